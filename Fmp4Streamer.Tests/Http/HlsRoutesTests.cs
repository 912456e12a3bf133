using System.Text;
using Fmp4Streamer.Http;

namespace Fmp4Streamer.Tests.Http;

public class HlsRoutesTests
{
    [TestCase("/stream.m3u8", Resource.MasterPlaylist, 0, 0L, 0)]
    [TestCase("/streaminf.m3u8", Resource.MediaPlaylist, 0, 0L, 0)]
    [TestCase("/cam2/stream.m3u8", Resource.MasterPlaylist, 1, 0L, 0)]
    [TestCase("/cam2/streaminf.m3u8", Resource.MediaPlaylist, 1, 0L, 0)]
    [TestCase("/init.mp4", Resource.HlsInit, 0, 0L, 0)]
    [TestCase("/init3.mp4", Resource.HlsInit, 0, 3L, 0)]
    [TestCase("/init0.mp4", Resource.NotFound, 0, 0L, 0)]
    [TestCase("/seg0.m4s", Resource.HlsSegment, 0, 0L, 0)]
    [TestCase("/seg1795505274.m4s", Resource.HlsSegment, 0, 1795505274L, 0)]
    [TestCase("/cam2/seg42.m4s", Resource.HlsSegment, 1, 42L, 0)]
    [TestCase("/seg42.3.m4s", Resource.HlsPart, 0, 42L, 3)]
    [TestCase("/cam2/seg42.0.m4s", Resource.HlsPart, 1, 42L, 0)]
    [TestCase("/seg042.m4s", Resource.NotFound, 0, 0L, 0)]
    [TestCase("/seg.m4s", Resource.NotFound, 0, 0L, 0)]
    [TestCase("/seg-1.m4s", Resource.NotFound, 0, 0L, 0)]
    [TestCase("/seg1.m4", Resource.NotFound, 0, 0L, 0)]
    [TestCase("/seg1.2.3.m4s", Resource.NotFound, 0, 0L, 0)]
    [TestCase("/seg1..m4s", Resource.NotFound, 0, 0L, 0)]
    [TestCase("/seg1234567890123456789.m4s", Resource.NotFound, 0, 0L, 0)]
    [TestCase("/icon-192.png", Resource.HomeScreenIcon, 0, 0L, 0)]
    [TestCase("/icon-512.png", Resource.SplashIcon, 0, 0L, 0)]
    [TestCase("/", Resource.Tiles, 0, 0L, 0)]
    [TestCase("/index.html", Resource.Tiles, 0, 0L, 0)]
    [TestCase("/video0/", Resource.Page, 0, 0L, 0)]
    public void ResolvesHlsAndHomeScreenPaths(string path, Resource expected, int stream, long number, int part)
    {
        var routes = new Routes([new FakeLiveStream("video0"), new FakeLiveStream("cam2")]);
        var resource = routes.Resolve(Encoding.ASCII.GetBytes(path), out int streamIndex, out long n, out int p);
        Assert.That((resource, streamIndex, n, p), Is.EqualTo((expected, stream, number, part)));
    }
}
