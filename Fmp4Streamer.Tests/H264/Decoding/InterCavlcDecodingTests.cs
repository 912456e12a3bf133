namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>CAVLC streams with P frames decode to exactly ffmpeg's frames.</summary>
public class InterCavlcDecodingTests
{
    private static IEnumerable<TestCaseData> Streams()
    {
        yield return new TestCaseData(640, 480, "baseline", "keyint=30:ref=1").SetName("Baseline 640x480 P frames, 1 reference");
        yield return new TestCaseData(640, 480, "baseline", "keyint=30:ref=4").SetName("Baseline 640x480 P frames, 4 references");
        yield return new TestCaseData(640, 480, "baseline", "keyint=30:ref=4:slices=4").SetName("Baseline 640x480 P frames, 4 slices");
        yield return new TestCaseData(640, 480, "baseline", "keyint=30:no-deblock=1").SetName("Baseline 640x480 P frames, deblocking off");
        yield return new TestCaseData(640, 480, "baseline", "keyint=30:deblock=-3,-3").SetName("Baseline 640x480 P frames, deblock -3:-3");
        yield return new TestCaseData(640, 480, "baseline", "keyint=10:intra-refresh=1").SetName("Baseline 640x480 intra refresh");
        yield return new TestCaseData(1366, 768, "baseline", "keyint=30:ref=2").SetName("Baseline 1366x768 P frames");
        yield return new TestCaseData(640, 480, "main", "keyint=30:cabac=0:bframes=0:weightp=2:ref=3").SetName("Main CAVLC 640x480 P frames, weightp 2");
        yield return new TestCaseData(640, 480, "high", "keyint=30:cabac=0:bframes=0:8x8dct=1:ref=4").SetName("High CAVLC 640x480 P frames, 8x8 transform");
        yield return new TestCaseData(1280, 720, "high", "keyint=30:cabac=0:bframes=0:cqm=jvt").SetName("High CAVLC 1280x720 P frames, JVT quant matrices");
        yield return new TestCaseData(1920, 1080, "high", "keyint=30:cabac=0:bframes=0").SetName("High CAVLC 1920x1080 P frames, cropped");
    }

    [TestCaseSource(nameof(Streams))]
    public void DecodesLikeFfmpeg(int width, int height, string profile, string x264Params)
    {
        DecoderCorpus.AssertBitExact(DecoderCorpus.X264(width, height, 40, profile, x264Params));
    }
}
