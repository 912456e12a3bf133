using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd.Players;

/// <summary>
/// Shaka Player (npm shaka-player) in headless Chromium plays a camera's /stream.m3u8 when its own request wakes the
/// camera (never started here, asleep again in <see cref="ShakaAfterSleepTests"/>), and the content of an x264
/// <c>command =</c>, without stalling (no <c>waiting</c> event) once it started.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
[Order(1)]
public class ShakaTests
{
    private const int PlaySeconds = 8;

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

    internal static void AssertPlaysSmoothly(string path, string what)
    {
        var report = BrowserPlayback.Play(PlayerDaemon.Daemon.BaseUrl + path, PlaySeconds, player: HlsPlayer.Shaka);
        TestContext.Progress.WriteLine($"Shaka Player on {what} ({path}): first frame {report.FirstFrameMs} ms after " +
            $"navigation, played {report.EndTime - report.StartTime:0.0} s, {report.Decoded} frames decoded, {report.Dropped} dropped, " +
            $"{report.WaitingAfterStart} waiting events after the start");
        Assert.That(report.Errors, Is.Empty, $"Shaka Player on {what}: {string.Join("; ", report.Errors)}\n{report.Raw}");
        Assert.Multiple(() =>
        {
            Assert.That(report.Ok, Is.True, report.Raw);
            Assert.That(report.EndTime - report.StartTime, Is.GreaterThanOrEqualTo(PlaySeconds - 1.5), report.Raw);
            Assert.That(report.WaitingAfterStart, Is.EqualTo(0), $"Shaka Player stalled on {what} after it started: {report.Raw}");
        });
    }
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
