namespace Fmp4Streamer.Tests.EndToEnd.Players;

/// <summary>
/// video.js (npm video.js) plays a camera's /stream.m3u8 in headless Chromium through its own HLS engine (VHS) and
/// MSE. It watches the x264 camera, which Shaka Player woke just before: the pattern camera must be free to sleep
/// for VLC, and the cold one for Shaka.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
[Order(2)]
public class VideoJsTests
{
    private const int PlaySeconds = 6;

    [Test]
    public void VideoJsPlaysTheMasterPlaylist()
    {
        var report = BrowserPlayback.Play(PlayerDaemon.Daemon.BaseUrl + "/x264/stream.m3u8", PlaySeconds, player: HlsPlayer.VideoJs);
        TestContext.Progress.WriteLine($"video.js (VHS) on /x264/stream.m3u8: first frame {report.FirstFrameMs} ms after navigation, " +
            $"played {report.EndTime - report.StartTime:0.0} s, {report.Decoded} frames decoded, {report.Dropped} dropped, " +
            $"{report.WaitingAfterStart} waiting events after the start");
        Assert.That(report.Errors, Is.Empty, $"video.js: {string.Join("; ", report.Errors)}\n{report.Raw}");
        Assert.Multiple(() =>
        {
            Assert.That(report.Ok, Is.True, report.Raw);
            Assert.That(report.Raw, Does.Contain("\"vhs\":true"), "video.js played through VHS, not Chromium's own HLS");
            Assert.That((report.Width, report.Height), Is.EqualTo((640, 480)));
            Assert.That(report.EndTime - report.StartTime, Is.GreaterThanOrEqualTo(PlaySeconds - 1.5), report.Raw);
        });
    }
}
