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

    [TestCase("", -1L, -1)]
    [TestCase("_HLS_msn=12", 12L, -1)]
    [TestCase("_HLS_msn=12&_HLS_part=3", 12L, 3)]
    [TestCase("_HLS_part=3&_HLS_msn=12", 12L, 3)]
    [TestCase("x=1&_HLS_msn=7&_HLS_skip=YES", 7L, -1)]
    [TestCase("_HLS_msn=&_HLS_part=x", -1L, -1)]
    [TestCase("_HLS_msn=-4", -1L, -1)]
    [TestCase("_HLS_msnx=4", -1L, -1)]
    public void ParsesDeliveryDirectives(string query, long msn, int part)
    {
        HlsQuery.Parse(Encoding.ASCII.GetBytes(query), out long m, out int p);
        Assert.That((m, p), Is.EqualTo((msn, part)));
    }
}
