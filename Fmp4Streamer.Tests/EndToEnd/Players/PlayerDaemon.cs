using System.Diagnostics;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd.Players;

/// <summary>
/// One daemon for every real-player fixture in this namespace, started before the first of them: players that
/// must join late share its 30 s of timeline instead of waiting 30 s each. Its cameras:
/// <list type="bullet">
/// <item>"pattern" (the first, so also at /stream.mp4 and /stream.m3u8): the test pattern, kept awake by an idle
/// viewer from the start, so its timeline is far from 0 when a player joins;</item>
/// <item>"cold": a test pattern nobody watches until Shaka Player wakes it;</item>
/// <item>"x264": ffmpeg's libx264 through <c>command =</c>, frames arriving with a pipe's jitter.</item>
/// </list>
/// A camera sleeps one second after its last viewer left.
/// </summary>
[SetUpFixture]
public sealed class PlayerDaemon
{
    /// <summary>How long the pattern camera has streamed before a late player joins.</summary>
    public static readonly TimeSpan LateJoin = TimeSpan.FromSeconds(30);

    private const string Config = """
        [server]
        sleep_grace = 1

        [pattern]
        test_pattern = yes

        [cold]
        test_pattern = yes

        [x264]
        command = exec ffmpeg -hide_banner -loglevel error -nostdin -re -f lavfi -i testsrc=size=640x480:rate=30 -c:v libx264 -preset ultrafast -tune zerolatency -g 30 -pix_fmt yuv420p -f h264 -
        width = 640
        height = 480
        fps = 30
        """;

    private static DaemonProcess? s_daemon;
    private static IdleViewer? s_viewer;
    private static readonly Stopwatch s_awake = new();

    public static DaemonProcess Daemon => s_daemon ?? throw new InvalidOperationException("the player daemon is not running");

    [OneTimeSetUp]
    public void StartDaemon()
    {
        s_daemon = DaemonProcess.Start(Config);
        s_viewer = new IdleViewer(s_daemon.Port, "/pattern/stream.mp4");
        s_awake.Restart();
    }

    [OneTimeTearDown]
    public void StopDaemon()
    {
        s_viewer?.Dispose();
        if (s_daemon is null) return;
        int exit = s_daemon.Stop();
        string log = s_daemon.Log;
        s_daemon.Dispose();
        s_daemon = null;
        Assert.That(exit, Is.EqualTo(0), log);
    }

    /// <summary>Returns once the pattern camera has streamed for <see cref="LateJoin"/> without a break.</summary>
    public static void WaitForLateJoin()
    {
        if (s_viewer is null) Assert.Fail("the idle viewer is away (inside Asleep)");
        var left = LateJoin - s_awake.Elapsed;
        if (left > TimeSpan.Zero) Thread.Sleep(left);
        TestContext.Progress.WriteLine($"joining the pattern camera after {s_awake.Elapsed.TotalSeconds:0} s of streaming");
    }

    /// <summary>
    /// Lets the pattern camera fall asleep (the idle viewer leaves) and returns once the daemon logged it, after at
    /// least <see cref="LateJoin"/> of streaming; disposing the result brings the idle viewer back.
    /// </summary>
    public static IDisposable Asleep()
    {
        WaitForLateJoin();
        int before = SleepsOf("pattern");
        s_viewer!.Dispose();
        s_viewer = null;
        // An HLS player keeps the camera awake 30 s after its last playlist request.
        WaitForLog(() => SleepsOf("pattern") > before, TimeSpan.FromSeconds(45), "the pattern camera did not fall asleep");
        return new Wake();
    }

    /// <summary>How often a camera has fallen asleep so far.</summary>
    public static int SleepsOf(string camera) => Count(Daemon.Log, camera + ": nobody watches: source going to sleep");

    public static void WaitForLog(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail(failure + " within " + timeout.TotalSeconds + " s:\n" + Daemon.Log);
            Thread.Sleep(100);
        }
    }

    private static int Count(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    private sealed class Wake : IDisposable
    {
        public void Dispose()
        {
            if (s_viewer is not null || s_daemon is null) return;
            // The timeline continues across the sleep, so the camera still counts as having streamed long enough.
            s_viewer = new IdleViewer(s_daemon.Port, "/pattern/stream.mp4");
        }
    }
}
