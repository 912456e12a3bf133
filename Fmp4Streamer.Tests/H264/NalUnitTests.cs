using Fmp4Streamer.H264;

namespace Fmp4Streamer.Tests.H264;

public class NalUnitTests
{
    [TestCase((byte)0x67, NalUnitType.Sps, 3)]
    [TestCase((byte)0x27, NalUnitType.Sps, 1)]
    [TestCase((byte)0x68, NalUnitType.Pps, 3)]
    [TestCase((byte)0x65, NalUnitType.Idr, 3)]
    [TestCase((byte)0x41, NalUnitType.Slice, 2)]
    [TestCase((byte)0x01, NalUnitType.Slice, 0)]
    [TestCase((byte)0x06, NalUnitType.Sei, 0)]
    [TestCase((byte)0x09, NalUnitType.AccessUnitDelimiter, 0)]
    [TestCase((byte)0x0C, NalUnitType.FillerData, 0)]
    [TestCase((byte)0x6E, NalUnitType.Prefix, 3)]
    [TestCase((byte)0x6F, NalUnitType.SubsetSps, 3)]
    public void HeaderByteGivesTypeAndRefIdc(byte header, NalUnitType type, int refIdc)
    {
        Assert.That(NalUnit.TypeOf(header), Is.EqualTo(type));
        Assert.That(NalUnit.RefIdcOf(header), Is.EqualTo(refIdc));
    }

    [Test]
    public void VclIsTypesOneToFive()
    {
        for (int t = 0; t < 32; t++)
        {
            Assert.That(((NalUnitType)t).IsVcl(), Is.EqualTo(t >= 1 && t <= 5), $"type {t}");
        }
    }

    [Test]
    public void AccessUnitOpenersFollowClause7_4_1_2_3()
    {
        int[] openers = [6, 7, 8, 9, 14, 15, 16, 17, 18];
        for (int t = 0; t < 32; t++)
        {
            Assert.That(((NalUnitType)t).StartsAccessUnit(), Is.EqualTo(Array.IndexOf(openers, t) >= 0), $"type {t}");
        }
    }

    [Test]
    public void EmptyNalHasNoType() => Assert.That(NalUnit.TypeOf(ReadOnlySpan<byte>.Empty), Is.EqualTo(NalUnitType.Unspecified));
}
