using Fmp4Streamer.H264.Decoding;

namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>Spot checks of the B macroblock and sub-macroblock type tables against their names in H.264 Tables 7-14 and 7-18.</summary>
public class BMacroblockTypesTests
{
    [TestCase(1, 1, 0, 1, 0)]    // B_L0_16x16
    [TestCase(3, 1, 0, 3, 0)]    // B_Bi_16x16
    [TestCase(8, 2, 1, 1, 2)]    // B_L0_L1_16x8
    [TestCase(11, 2, 2, 2, 1)]   // B_L1_L0_8x16
    [TestCase(15, 2, 2, 2, 3)]   // B_L1_Bi_8x16
    [TestCase(16, 2, 1, 3, 1)]   // B_Bi_L0_16x8
    [TestCase(21, 2, 2, 3, 3)]   // B_Bi_Bi_8x16
    public void MacroblockTypes(int mbType, int parts, int shape, int use0, int use1)
    {
        Assert.That(BMacroblockTypes.PartitionCount(mbType), Is.EqualTo(parts));
        Assert.That(BMacroblockTypes.Shape(mbType), Is.EqualTo(shape));
        Assert.That(BMacroblockTypes.Use(mbType, 0), Is.EqualTo(use0));
        if (parts == 2) Assert.That(BMacroblockTypes.Use(mbType, 1), Is.EqualTo(use1));
    }

    [TestCase(3, 3, 2, 2)]    // B_Bi_8x8
    [TestCase(4, 1, 2, 1)]    // B_L0_8x4
    [TestCase(7, 2, 1, 2)]    // B_L1_4x8
    [TestCase(9, 3, 1, 2)]    // B_Bi_4x8
    [TestCase(11, 2, 1, 1)]   // B_L1_4x4
    public void SubMacroblockTypes(int subType, int use, int width, int height)
    {
        Assert.That(BMacroblockTypes.SubUse(subType), Is.EqualTo(use));
        Assert.That(BMacroblockTypes.SubWidth(subType), Is.EqualTo(width));
        Assert.That(BMacroblockTypes.SubHeight(subType), Is.EqualTo(height));
    }
}
