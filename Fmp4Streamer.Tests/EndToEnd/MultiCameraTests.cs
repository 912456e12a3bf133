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
    public void TheTilesPlayWithoutJavaScript()
    {
        using var daemon = DaemonProcess.Start(TwoPatterns);
        var report = BrowserPlayback.Play(daemon.BaseUrl + "/", 4, withoutScript: true, allVideos: true);
        Assert.That(report.Raw, Does.Contain("\"scriptRemoved\":true"));
        Assert.That(report.Ok, Is.True, report.Raw + "\n" + daemon.Log);
        Assert.That(report.Raw.Split("\"w\":320").Length - 1, Is.GreaterThanOrEqualTo(2), "both tiles decoded 320x240");
    }

    /// <summary>The grid's glass-to-glass latency, read from each tile's strip; the single page's is printed by
    /// <see cref="BrowserTests.LatencyStaysBoundedWithTheLiveEdgeScript"/>.</summary>
    [Test]
    public void TheTilesStayNearTheLiveEdge()
    {
        using var daemon = DaemonProcess.Start(TwoPatterns);
        var report = BrowserPlayback.Play(daemon.BaseUrl + "/", 20, readStrip: true, allVideos: true);
        Assert.That(report.Ok, Is.True, report.Raw + "\n" + daemon.Log);
        Assert.That(report.TileLatencies, Has.Count.EqualTo(2), report.Raw);
        for (int i = 0; i < report.TileLatencies.Count; i++)
        {
            var values = report.TileLatencies[i].ToList();
            Assert.That(values, Has.Count.GreaterThan(20), $"tile {i}: the strip was not readable from the displayed frames");
            // The second half: after the start-up, where the player has settled.
            var settled = values.GetRange(values.Count / 2, values.Count - values.Count / 2).OrderBy(v => v).ToList();
            double median = settled[settled.Count / 2];
            TestContext.Progress.WriteLine($"glass-to-glass latency on loopback, tiles page, tile {i + 1} of 2: median " +
                $"{median:0} ms over the last 10 s, min {values.Min():0} ms, max {values.Max():0} ms, " +
                $"first frame {report.FirstFrameMs} ms after navigation");
            Assert.That(median, Is.LessThan(500), $"tile {i} plays far behind the live edge");
        }
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
