namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>Intra-only CABAC streams decode to exactly ffmpeg's frames.</summary>
public class IntraCabacDecodingTests
{
    private static IEnumerable<TestCaseData> Streams()
    {
        yield return new TestCaseData(640, 480, "main", "keyint=1").SetName("Main CABAC 640x480 intra");
        yield return new TestCaseData(640, 480, "main", "keyint=1:slices=4:qp=35").SetName("Main CABAC 640x480 intra, 4 slices, qp 35");
        yield return new TestCaseData(640, 480, "high", "keyint=1:8x8dct=1").SetName("High CABAC 640x480 intra, 8x8 transform");
        yield return new TestCaseData(640, 480, "high", "keyint=1:8x8dct=1:cqm=jvt:qp=10").SetName("High CABAC 640x480 intra, JVT matrices, qp 10");
        yield return new TestCaseData(1920, 1080, "high", "keyint=1").SetName("High CABAC 1920x1080 intra, cropped");
    }

    [TestCaseSource(nameof(Streams))]
    public void DecodesLikeFfmpeg(int width, int height, string profile, string x264Params)
    {
        DecoderCorpus.AssertBitExact(DecoderCorpus.X264(width, height, 4, profile, x264Params));
    }
}
