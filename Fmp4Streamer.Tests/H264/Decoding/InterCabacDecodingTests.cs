namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>CABAC streams with P frames decode to exactly ffmpeg's frames.</summary>
public class InterCabacDecodingTests
{
    private static IEnumerable<TestCaseData> Streams()
    {
        yield return new TestCaseData(640, 480, "main", "keyint=30:bframes=0:ref=1:weightp=0").SetName("Main CABAC 640x480 P frames, 1 reference");
        yield return new TestCaseData(640, 480, "main", "keyint=30:bframes=0:ref=4:weightp=2").SetName("Main CABAC 640x480 P frames, 4 references, weightp 2");
        yield return new TestCaseData(640, 480, "high", "keyint=30:bframes=0:ref=4:8x8dct=1:slices=4").SetName("High CABAC 640x480 P frames, 8x8 transform, 4 slices");
        yield return new TestCaseData(1280, 720, "high", "keyint=30:bframes=0:cqm=jvt:deblock=-3,-3").SetName("High CABAC 1280x720 P frames, JVT matrices, deblock -3:-3");
        yield return new TestCaseData(1920, 1080, "high", "keyint=30:bframes=0:bitrate=8000").SetName("High CABAC 1920x1080 P frames 8 Mbit/s");
    }

    [TestCaseSource(nameof(Streams))]
    public void DecodesLikeFfmpeg(int width, int height, string profile, string x264Params)
    {
        DecoderCorpus.AssertBitExact(DecoderCorpus.X264(width, height, 40, profile, x264Params));
    }
}
