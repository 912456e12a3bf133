using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// The built binary with a <c>command =</c> camera that holds an exclusive lock, as a camera program holds its
/// camera: every wake after a sleep streams again, and neither sleeping nor SIGTERM leaves a process behind.
/// </summary>
[Category("EndToEnd")]
public class CommandLifecycleTests
{
    private LockedCameraCommand _command = null!;
    private string _lockFile = "";

    [SetUp]
    public void SetUp()
    {
        _command = new LockedCameraCommand("fmp4-command-e2e-");
        _lockFile = _command.LockFile;
    }

    [TearDown]
    public void TearDown() => _command.Dispose();

    private string Config() => $"""
        [server]
        sleep_grace = 1

        [camera]
        command = flock -n {_lockFile} ffmpeg -hide_banner -loglevel error -nostdin -re -f lavfi -i testsrc=size=320x240:rate=30 -c:v libx264 -preset ultrafast -tune zerolatency -g 15 -pix_fmt yuv420p -metadata comment={_lockFile} -f h264 -
        width = 320
        height = 240
        """;

    private List<ProcTable.Entry> CommandProcesses() => _command.Processes();

    private bool FfmpegRuns() => CommandProcesses().Exists(e => e.CommandLine.StartsWith("ffmpeg"));

    [Test]
    public void EveryWakeAfterASleepStreamsAndNoCopyOfTheCommandIsLeft()
    {
        using var daemon = DaemonProcess.Start(Config());
        Assert.That(CommandProcesses(), Is.Empty, "nobody watches yet");
        for (int wake = 1; wake <= 3; wake++)
        {
            long bytes = StreamSampler.ReadUntil(daemon.Port, 50_000, TimeSpan.FromSeconds(30));
            TestContext.Out.WriteLine($"wake {wake}: {bytes} bytes");
            Assert.That(bytes, Is.GreaterThanOrEqualTo(50_000), $"wake {wake} streamed nothing:\n{daemon.Log}");
            Assert.That(FfmpegRuns(), Is.True, "ffmpeg is found by its comment");
            var left = ProcTable.WaitUntilNone(CommandProcesses, TimeSpan.FromSeconds(10));
            Assert.That(left, Is.Empty, $"after sleep {wake} the command is still running:\n{daemon.Log}");
            // The group's last members are reaped on the daemon's loop a moment after they exit (zombies meanwhile).
            var children = ProcTable.WaitUntilNone(() => ProcTable.ChildrenOf(daemon.Pid), TimeSpan.FromSeconds(5));
            Assert.That(children, Is.Empty, "no child (or zombie) of the daemon is left");
        }
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    [Test]
    public void SigtermWhileStreamingLeavesNothing()
    {
        using var daemon = DaemonProcess.Start(Config());
        var reader = Task.Run(() => StreamSampler.BytesOver(daemon.Port, TimeSpan.Zero, TimeSpan.FromSeconds(30)));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!FfmpegRuns() && DateTime.UtcNow < until) Thread.Sleep(50);
        Assert.That(FfmpegRuns(), Is.True, "the command runs");
        Thread.Sleep(1000);
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
        Assert.That(CommandProcesses(), Is.Empty, "the daemon waits for its command before exiting");
        reader.Wait(TimeSpan.FromSeconds(30));
    }
}
