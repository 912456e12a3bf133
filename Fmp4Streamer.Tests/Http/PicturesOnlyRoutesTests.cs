using Fmp4Streamer.Diagnostics.Metrics;

namespace Fmp4Streamer.Tests.Http;

/// <summary>
/// A camera that serves pictures only (MJPG/YUYV without an encoder): its video URLs answer 404 with the reason at
/// once, instead of subscribing and waiting for H264 that never comes; its page and tile show the MJPEG stream.
/// </summary>
public class PicturesOnlyRoutesTests
{
    [TestCase("/stream.mp4")]
    [TestCase("/stream.h264")]
    [TestCase("/stream.m3u8")]
    [TestCase("/streaminf.m3u8")]
    [TestCase("/init.mp4")]
    [TestCase("/seg3.m4s")]
    [TestCase("/seg3.1.m4s")]
    [TestCase("/cam/stream.mp4")]
    public void VideoUrlsAnswer404WithTheReasonAndSubscribeNothing(string path)
    {
        using var f = new ServerFixture(null, new FakeLiveStream("cam") { PicturesOnly = true });
        using var c = f.Connect();
        var r = c.Get(path);
        Assert.That(r.Status, Is.EqualTo(404));
        Assert.That(r.Text, Does.Contain("this camera serves pictures only (snapshot.jpg, stream.mjpg): add an H264 encoder"));
        Assert.That(f.LoopThread.Invoke(() => f.Stream.SubscribeCalls), Is.Zero);
    }

    [Test]
    public void AVideoCameraBesideItStillStreams()
    {
        using var f = new ServerFixture(null, new FakeLiveStream("pics") { PicturesOnly = true }, new FakeLiveStream("video"));
        using var c = f.Connect();
        c.Send("GET /video/stream.mp4 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(c.ReadHead(), Does.StartWith("HTTP/1.1 200"));
        Assert.That(f.WaitFor(() => f.Streams[1].SubscriberCount == 1), Is.True);
    }

    [Test]
    public void ThePageAndTheTileShowTheMjpegStream()
    {
        using var f = new ServerFixture(null, new FakeLiveStream("pics") { PicturesOnly = true }, new FakeLiveStream("video"));
        using var c = f.Connect();
        string page = c.Get("/pics/").Text;
        Assert.That(page, Does.Contain("<img id=\"stream\" src=\"stream.mjpg\" alt=\"MJPEG stream\" width=\"640\" height=\"480\">"));
        Assert.That(page, Does.Not.Contain("<video"));
        Assert.That(c.Get("/video/").Text, Does.Contain("<video"));
        string tiles = c.Get("/").Text;
        Assert.That(tiles, Does.Contain("<img src=\"pics/stream.mjpg\""));
        Assert.That(tiles, Does.Contain("<source src=\"video/stream.mp4\""));
        Assert.That(tiles, Does.Not.Contain("pics/stream.mp4"));
    }

    [Test]
    public void MjpgStreamerActionsCountAsSnapshotAndMjpegRequests()
    {
        using var f = new ServerFixture();
        var registry = new MetricsRegistry();
        f.LoopThread.Invoke(() => f.Server.ServeMetrics(registry));
        using (var c = f.Connect()) c.Get("/?action=snapshot&t=1");
        using (var c = f.Connect()) c.Get("/video0/?action=stream");
        using (var c = f.Connect()) c.Get("/?action=stream");
        using (var c = f.Connect()) c.Get("/");
        string text;
        using (var c = f.Connect()) text = c.Get("/metrics").Text;
        Assert.That(text, Does.Contain("fmp4streamer_http_route_requests_total{route=\"snapshot\"} 1\n"));
        Assert.That(text, Does.Contain("fmp4streamer_http_route_requests_total{route=\"mjpeg\"} 2\n"));
        Assert.That(text, Does.Contain("fmp4streamer_http_route_requests_total{route=\"page\"} 1\n"));
        Assert.That(text, Does.Contain("fmp4streamer_http_streaming_clients{kind=\"mjpeg\"} 0\n"));
    }
}
