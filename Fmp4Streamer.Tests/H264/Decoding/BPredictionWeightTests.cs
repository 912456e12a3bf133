using Fmp4Streamer.H264.Decoding;

namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>
/// The picture order distance arithmetic of temporal direct and implicit weights (H.264 8.4.1.2.3, 8.4.2.3.1),
/// including the long-term cases the x264 corpus never produces.
/// </summary>
public class BPredictionWeightTests
{
    private static DecodedPicture Picture(int poc, bool longTerm = false)
    {
        var picture = new DecodedPicture(16, 16) { PicOrderCnt = poc };
        if (longTerm) picture.IsLongTermReference = true;
        else picture.IsShortTermReference = true;
        return picture;
    }

    [TestCase(4, 0, 8, 128, TestName = "Halfway: half the co-located vector")]
    [TestCase(2, 0, 8, 64, TestName = "A quarter of the way")]
    [TestCase(6, 4, 0, -128, TestName = "List 1 picture before list 0's: negative")]
    [TestCase(4, 8, 8, 256, TestName = "Same order count in both: unscaled")]
    [TestCase(400, 0, 1, 1023, TestName = "Far outside: clipped")]
    public void DistScaleFactorFollowsTheOrderDistances(int current, int poc0, int poc1, int expected)
    {
        Assert.That(TemporalDirect.DistScaleFactor(current, Picture(poc0), Picture(poc1)), Is.EqualTo(expected));
    }

    [Test]
    public void ALongTermListZeroPictureTakesTheCoLocatedVectorUnscaled()
    {
        Assert.That(TemporalDirect.DistScaleFactor(2, Picture(0, longTerm: true), Picture(8)), Is.EqualTo(256));
    }

    [TestCase(2, 0, 8, false, 48, TestName = "Implicit: nearer list 0 picture weighs more")]
    [TestCase(4, 0, 8, false, 32, TestName = "Implicit: halfway, equal weights")]
    [TestCase(2, 0, 8, true, 32, TestName = "Implicit: a long-term picture gets equal weights")]
    [TestCase(2, 8, 8, false, 32, TestName = "Implicit: same order count, equal weights")]
    [TestCase(20, 0, 8, false, 32, TestName = "Implicit: extrapolated too far, equal weights")]
    public void ImplicitWeightsFollowTheOrderDistances(int current, int poc0, int poc1, bool longTerm1, int expectedW0)
    {
        var inter = new InterContext { CurrentPoc = current, NumRefActive = 1, NumRefActiveL1 = 1 };
        inter.List0[0] = Picture(poc0);
        inter.List1[0] = Picture(poc1, longTerm1);
        ImplicitWeights.Compute(inter);
        Assert.That(inter.ImplicitWeightL0[0], Is.EqualTo(expectedW0));
    }
}
