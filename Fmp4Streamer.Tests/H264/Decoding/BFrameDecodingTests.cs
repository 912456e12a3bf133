namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>Streams with B frames (CAVLC and CABAC, spatial and temporal direct, weights, pyramids) decode to exactly ffmpeg's frames.</summary>
public class BFrameDecodingTests
{
    private static IEnumerable<TestCaseData> Streams()
    {
        yield return new TestCaseData(320, 240, "main", "keyint=30:bframes=2:b-pyramid=none:cabac=0").SetName("CAVLC 2 B frames");
        yield return new TestCaseData(320, 240, "main", "keyint=30:bframes=2:b-pyramid=none").SetName("CABAC 2 B frames");
        yield return new TestCaseData(320, 240, "main", "keyint=30:bframes=3:b-pyramid=normal:ref=4:cabac=0").SetName("CAVLC 3 B frames, normal pyramid, 4 references");
        yield return new TestCaseData(320, 240, "main", "keyint=30:bframes=3:b-pyramid=normal:ref=4").SetName("CABAC 3 B frames, normal pyramid, 4 references");
        yield return new TestCaseData(320, 240, "main", "keyint=30:bframes=3:b-pyramid=strict:ref=3").SetName("CABAC 3 B frames, strict pyramid");
        yield return new TestCaseData(320, 240, "main", "keyint=30:bframes=3:b-pyramid=strict:ref=3:cabac=0").SetName("CAVLC 3 B frames, strict pyramid");
        yield return new TestCaseData(320, 240, "main", "keyint=30:bframes=3:direct=temporal:ref=3").SetName("CABAC temporal direct");
        yield return new TestCaseData(320, 240, "main", "keyint=30:bframes=3:direct=temporal:ref=3:cabac=0").SetName("CAVLC temporal direct");
        yield return new TestCaseData(320, 240, "main", "keyint=30:bframes=3:direct=spatial:ref=3:weightb=1").SetName("CABAC spatial direct, weightb");
        yield return new TestCaseData(320, 240, "main", "keyint=30:bframes=3:direct=temporal:weightb=1:cabac=0").SetName("CAVLC temporal direct, weightb");
        yield return new TestCaseData(320, 240, "high", "keyint=30:bframes=3:8x8dct=1:ref=4").SetName("High CABAC B frames, 8x8 transform");
        yield return new TestCaseData(320, 240, "high", "keyint=30:bframes=3:8x8dct=1:ref=4:cabac=0:direct=temporal").SetName("High CAVLC B frames, 8x8 transform, temporal direct");
        yield return new TestCaseData(320, 240, "high", "keyint=30:bframes=3:8x8dct=1:slices=4:weightb=1").SetName("High CABAC B frames, 4 slices");
        yield return new TestCaseData(320, 240, "high", "keyint=30:bframes=3:8x8dct=1:slices=4:cabac=0").SetName("High CAVLC B frames, 4 slices");
        yield return new TestCaseData(320, 240, "main", "keyint=30:bframes=3:weightb=1:weightp=2:ref=4:b-adapt=2").SetName("CABAC weightb with weightp 2");
    }

    [TestCaseSource(nameof(Streams))]
    public void DecodesLikeFfmpeg(int width, int height, string profile, string x264Params)
    {
        DecoderCorpus.AssertBitExact(DecoderCorpus.X264(width, height, 30, profile, x264Params));
    }

    /// <summary>ffmpeg's own libx264 settings (preset medium: 3 B frames, normal pyramid, weightb, CABAC, 3 references).</summary>
    [TestCase("", TestName = "ffmpeg libx264 Main profile defaults, 1 slice")]
    [TestCase("-slices 4", TestName = "ffmpeg libx264 Main profile defaults, 4 slices")]
    public void DecodesFfmpegsMainProfileLikeFfmpeg(string extra)
    {
        DecoderCorpus.AssertBitExact(DecoderCorpus.Encode("testsrc2=size=640x480:rate=30", 30,
            $"-c:v libx264 -profile:v main -pix_fmt yuv420p {extra}"));
    }
}
