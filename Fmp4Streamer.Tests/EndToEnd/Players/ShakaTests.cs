using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd.Players;

/// <summary>
/// Shaka Player (npm shaka-player) in headless Chromium plays a camera's /stream.m3u8 when its own request wakes the
/// camera (never started here, asleep again in <see cref="ShakaAfterSleepTests"/>), the content of an x264
/// <c>command =</c>, and that stream again when it joins it running, without stalling (no <c>waiting</c> event) once
/// it started. A second viewer of the camera's /stream.mp4 tells a stall of the stream from a pause of the source.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
[Order(1)]
public class ShakaTests
{
    private const int PlaySeconds = 8;

    /// <summary>Waits this soon after the first <c>playing</c> event belong to the start-up.</summary>
    private const int StartUpMs = 250;

    [Test, Order(1)]
    public void ShakaPlaysACameraThatNeverStarted()
    {
        Assert.That(PlayerDaemon.Daemon.Log, Does.Not.Contain("cold: starting"), "nobody watched the cold camera yet");
        AssertPlaysSmoothly("/cold/stream.m3u8", "a cold camera");
    }

    [Test, Order(2)]
    public void ShakaPlaysX264FromACommandWithoutStalling()
    {
        AssertPlaysSmoothly("/x264/stream.m3u8", "x264 from a command");
    }

    /// <summary>
    /// Joining a stream whose playlist window has moved on: Shaka Player's timestamp offset is then negative, which
    /// it skews by a millisecond, so part durations printed a few microseconds short made it reset its parser before
    /// parts without a key frame and drop them (a stall at nearly every segment's end).
    /// </summary>
    [Test, Order(3)]
    public void ShakaJoinsARunningStreamWithoutStalling()
    {
        AssertPlaysSmoothly("/x264/stream.m3u8", "x264 joined while it runs");
    }

    internal static void AssertPlaysSmoothly(string path, string what)
    {
        for (int attempt = 1; ; attempt++)
        {
            var (report, sourceStalls) = PlayWatchingTheSource(path);
            // Shaka Player may start playing before its second part is appended and wait a few milliseconds for it:
            // a start-up blink, not a stall of the stream.
            var stalls = report.WaitingAfterStartAtMs.Where(at => at - report.PlayingAtMs > StartUpMs).ToList();
            TestContext.Progress.WriteLine($"Shaka Player on {what} ({path}): first frame {report.FirstFrameMs} ms after " +
                $"navigation, played {report.EndTime - report.StartTime:0.0} s, {report.Decoded} frames decoded, {report.Dropped} dropped, " +
                $"{report.WaitingAfterStart} waiting events after the start ({report.WaitingAfterStart - stalls.Count} in its first " +
                $"{StartUpMs} ms), {sourceStalls.Count} while the source itself paused");
            // A wait while the camera's own frames paused (the machine starved the encoder) says nothing about the
            // stream: play once more. Waits while frames flowed fail at once.
            if (attempt == 1 && stalls.Count > 0 && stalls.All(sourceStalls.Contains)) continue;
            Assert.That(report.Errors, Is.Empty, $"Shaka Player on {what}: {string.Join("; ", report.Errors)}\n{report.Raw}");
            Assert.Multiple(() =>
            {
                Assert.That(report.Ok, Is.True, report.Raw);
                Assert.That(report.EndTime - report.StartTime, Is.GreaterThanOrEqualTo(PlaySeconds - 1.5), report.Raw);
                Assert.That(stalls, Is.Empty, $"Shaka Player stalled on {what} after it started: {report.Raw}");
            });
            return;
        }
    }

    /// <summary>
    /// Plays <paramref name="path"/> while a second viewer reads the same camera's /stream.mp4, joining once the
    /// player has woken the camera; returns the report and the player's waits that fell into a pause of the source.
    /// </summary>
    private static (PlaybackReport Report, List<long> SourceStalls) PlayWatchingTheSource(string path)
    {
        string mp4 = path[..path.LastIndexOf('/')] + "/stream.mp4";
        ArrivalGapWatcher? watcher = null;
        using var stop = new CancellationTokenSource();
        var joining = Task.Run(() =>
        {
            if (stop.Token.WaitHandle.WaitOne(WatcherJoinDelay)) return;
            watcher = new ArrivalGapWatcher(PlayerDaemon.Daemon.Port, mp4, TimeSpan.FromMilliseconds(300));
        });
        try
        {
            var report = BrowserPlayback.Play(PlayerDaemon.Daemon.BaseUrl + path, PlaySeconds, player: HlsPlayer.Shaka);
            stop.Cancel();
            joining.Wait();
            var stalls = watcher is null ? new List<long>()
                : report.WaitingAfterStartAtMs.Where(at => watcher.SawGapAround(at, TimeSpan.FromSeconds(1))).ToList();
            return (report, stalls);
        }
        finally
        {
            stop.Cancel();
            joining.Wait();
            watcher?.Dispose();
        }
    }

    /// <summary>After the player's first request woke the camera, well before its first frame (4 to 6 s here).</summary>
    private static readonly TimeSpan WatcherJoinDelay = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Shaka Player wakes the cold camera again after it fell asleep (its HLS segmenter outlives the last playlist
/// request by 30 s, then the camera sleeps): ordered after the other players, which fill that time.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
[Order(5)]
public class ShakaAfterSleepTests
{
    [Test]
    public void ShakaPlaysACameraThatFellAsleep()
    {
        if (!PlayerDaemon.Daemon.Log.Contains("cold: starting"))
        {
            // Run alone: wake the camera first, with one playlist request.
            using var http = new HttpClient();
            http.GetStringAsync(PlayerDaemon.Daemon.BaseUrl + "/cold/stream.m3u8").Wait(TimeSpan.FromSeconds(15));
        }
        PlayerDaemon.WaitForLog(() => PlayerDaemon.SleepsOf("cold") > 0, TimeSpan.FromSeconds(60), "the cold camera did not fall asleep");
        ShakaTests.AssertPlaysSmoothly("/cold/stream.m3u8", "a camera that fell asleep");
    }
}
