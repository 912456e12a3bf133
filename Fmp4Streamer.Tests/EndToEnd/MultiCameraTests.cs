using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>Several cameras on one server: tiles on "/", each camera on its own URLs, each sleeping on its own.</summary>
[Category("EndToEnd")]
[NonParallelizable]
public class MultiCameraTests
{
    private const string TwoPatterns = """
        [north]
        test_pattern = yes
        width = 320
        height = 240

        [south]
        test_pattern = yes
        width = 320
        height = 240
        """;

    [Test]
    public void TwoCamerasPlaySideBySideInOnePage()
    {
        using var daemon = DaemonProcess.Start(TwoPatterns);
        var report = BrowserPlayback.Play(daemon.BaseUrl + "/", 4, allVideos: true);
        Assert.That(report.Ok, Is.True, report.Raw + "\n" + daemon.Log);
        Assert.That(report.Raw, Does.Contain("\"videos\":[{"));
        Assert.That(report.Raw.Split("\"w\":320").Length - 1, Is.GreaterThanOrEqualTo(2), "both tiles decoded 320x240");
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    [Test]
    public void OneCameraFallingAsleepDoesNotDisturbTheOther()
    {
        using var daemon = DaemonProcess.Start("[server]\nsleep_grace = 1\n\n" + TwoPatterns);
        var north = ToolRun.FfmpegDecode(daemon.BaseUrl + "/north/stream.mp4", 30, TimeSpan.FromSeconds(40));
        Assert.That(north.Frames, Is.GreaterThanOrEqualTo(30), north.Result.StdErr);
        // North sleeps one second after its viewer left, in the middle of this five-second decode of south.
        var south = ToolRun.FfmpegDecode(daemon.BaseUrl + "/south/stream.m3u8", 150, TimeSpan.FromSeconds(40));
        Assert.Multiple(() =>
        {
            Assert.That(south.Frames, Is.GreaterThanOrEqualTo(150), south.Result.StdErr);
            Assert.That(south.Result.StdErr, Is.Empty);
            Assert.That(daemon.Log, Does.Contain("north: nobody watches: source going to sleep"));
            Assert.That(daemon.Log, Does.Not.Contain("south: nobody watches"));
        });
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    [Test]
    public void ASleepingCameraDoesNotStopTheOther()
    {
        using var daemon = DaemonProcess.Start(TwoPatterns);
        var hls = ToolRun.FfmpegDecode(daemon.BaseUrl + "/south/stream.m3u8", 60, TimeSpan.FromSeconds(40));
        var progressive = ToolRun.FfmpegDecode(daemon.BaseUrl + "/south/stream.mp4", 60, TimeSpan.FromSeconds(40));
        Assert.Multiple(() =>
        {
            Assert.That(hls.Frames, Is.GreaterThanOrEqualTo(60), hls.Result.StdErr);
            Assert.That(progressive.Frames, Is.GreaterThanOrEqualTo(60), progressive.Result.StdErr);
            Assert.That(hls.Result.StdErr + progressive.Result.StdErr, Is.Empty);
        });
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
        Assert.That(daemon.Log, Does.Contain("south: starting test pattern"));
        Assert.That(daemon.Log, Does.Not.Contain("north: starting"), "nobody watched north: it slept throughout");
    }
}
