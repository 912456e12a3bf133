using Fmp4Streamer.Mp4.Hls;

namespace Fmp4Streamer.Tests.Mp4.Hls;

public class MasterPlaylistWriterTests
{
    [TestCase(1234567L, 1000000L, 640, 480, "avc1.64001f",
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n" +
        "#EXT-X-STREAM-INF:BANDWIDTH=1234567,AVERAGE-BANDWIDTH=1000000,CODECS=\"avc1.64001f\",RESOLUTION=640x480\nstreaminf.m3u8\n")]
    [TestCase(0L, 0L, 1920, 1080, "avc1.640028",
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n" +
        "#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1.640028\",RESOLUTION=1920x1080\nstreaminf.m3u8\n")]
    public void WritesOneVariant(long peak, long average, int width, int height, string codecs, string expected)
    {
        Assert.That(MasterPlaylistWriter.Write(peak, average, width, height, codecs, "streaminf.m3u8"), Is.EqualTo(expected));
    }
}
