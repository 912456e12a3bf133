namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>Intra-only CAVLC streams decode to exactly ffmpeg's frames.</summary>
public class IntraCavlcDecodingTests
{
    private static IEnumerable<TestCaseData> Streams()
    {
        yield return new TestCaseData(640, 480, "baseline", "keyint=1").SetName("Baseline 640x480 intra, deblocking on");
        yield return new TestCaseData(640, 480, "baseline", "keyint=1:no-deblock=1").SetName("Baseline 640x480 intra, deblocking off");
        yield return new TestCaseData(640, 480, "baseline", "keyint=1:deblock=-3,-3").SetName("Baseline 640x480 intra, deblock -3:-3");
        yield return new TestCaseData(640, 480, "baseline", "keyint=1:slices=4").SetName("Baseline 640x480 intra, 4 slices");
        yield return new TestCaseData(1366, 768, "baseline", "keyint=1:qp=40").SetName("Baseline 1366x768 intra, qp 40");
        yield return new TestCaseData(640, 480, "baseline", "keyint=1:qp=5").SetName("Baseline 640x480 intra, qp 5");
        yield return new TestCaseData(640, 480, "high", "keyint=1:cabac=0:8x8dct=1").SetName("High CAVLC 640x480 intra, 8x8 transform");
        yield return new TestCaseData(640, 480, "high", "keyint=1:cabac=0:8x8dct=1:cqm=jvt").SetName("High CAVLC 640x480 intra, JVT quant matrices");
        yield return new TestCaseData(1920, 1080, "high", "keyint=1:cabac=0").SetName("High CAVLC 1920x1080 intra, cropped");
    }

    [TestCaseSource(nameof(Streams))]
    public void DecodesLikeFfmpeg(int width, int height, string profile, string x264Params)
    {
        DecoderCorpus.AssertBitExact(DecoderCorpus.X264(width, height, 6, profile, x264Params));
    }
}
