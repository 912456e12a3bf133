using System.Text;
using Fmp4Streamer.Http;

namespace Fmp4Streamer.Tests.Http;

public class HlsRoutesTests
{
    [TestCase("/stream.m3u8", "master-playlist", 0, 0L, 0)]
    [TestCase("/streaminf.m3u8", "media-playlist", 0, 0L, 0)]
    [TestCase("/cam2/stream.m3u8", "master-playlist", 1, 0L, 0)]
    [TestCase("/cam2/streaminf.m3u8", "media-playlist", 1, 0L, 0)]
    [TestCase("/init.mp4", "hls-init", 0, 0L, 0)]
    [TestCase("/init3.mp4", "hls-init", 0, 3L, 0)]
    [TestCase("/init0.mp4", null, 0, 0L, 0)]
    [TestCase("/seg0.m4s", "segment", 0, 0L, 0)]
    [TestCase("/seg1795505274.m4s", "segment", 0, 1795505274L, 0)]
    [TestCase("/cam2/seg42.m4s", "segment", 1, 42L, 0)]
    [TestCase("/seg42.3.m4s", "part", 0, 42L, 3)]
    [TestCase("/cam2/seg42.0.m4s", "part", 1, 42L, 0)]
    [TestCase("/seg042.m4s", null, 0, 0L, 0)]
    [TestCase("/seg.m4s", null, 0, 0L, 0)]
    [TestCase("/seg-1.m4s", null, 0, 0L, 0)]
    [TestCase("/seg1.m4", null, 0, 0L, 0)]
    [TestCase("/seg1.2.3.m4s", null, 0, 0L, 0)]
    [TestCase("/seg1..m4s", null, 0, 0L, 0)]
    [TestCase("/seg1234567890123456789.m4s", null, 0, 0L, 0)]
    [TestCase("/icon-192.png", "icon-192", 0, 0L, 0)]
    [TestCase("/icon-512.png", "icon-512", 0, 0L, 0)]
    [TestCase("/", "page", 0, 0L, 0)]
    [TestCase("/index.html", "page", 0, 0L, 0)]
    [TestCase("/video0/", "page", 0, 0L, 0)]
    public void ResolvesHlsAndHomeScreenPaths(string path, string? expected, int stream, long number, int part)
    {
        var routes = new RouteTable([new FakeLiveStream("video0"), new FakeLiveStream("cam2")]);
        var match = routes.Resolve(Encoding.ASCII.GetBytes(path));
        Assert.That((match.Route?.Name, match.StreamIndex, match.Number, match.Part), Is.EqualTo((expected, stream, number, part)));
    }
}
