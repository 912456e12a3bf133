using Fmp4Streamer.H264;

namespace Fmp4Streamer.Tests.H264;

public class BitReaderTests
{
    // (code bits as a string, ue value) from H.264 Table 9-2.
    private static readonly object[] s_ueCases =
    [
        new object[] { "1", 0u },
        new object[] { "010", 1u },
        new object[] { "011", 2u },
        new object[] { "00100", 3u },
        new object[] { "00111", 6u },
        new object[] { "0001000", 7u },
        new object[] { "000010001", 16u },
        new object[] { new string('0', 31) + "1" + new string('1', 31), uint.MaxValue - 1 },
    ];

    [TestCaseSource(nameof(s_ueCases))]
    public void ReadsUe(string bits, uint expected)
    {
        var data = Pack(bits + "1");
        var r = new BitReader(data);
        Assert.That(r.ReadUe(), Is.EqualTo(expected));
        Assert.That(r.Failed, Is.False);
        Assert.That(r.ReadBit(), Is.EqualTo(1u), "the reader stops exactly after the code");
    }

    [TestCase(0u, 0)]
    [TestCase(1u, 1)]
    [TestCase(2u, -1)]
    [TestCase(3u, 2)]
    [TestCase(4u, -2)]
    [TestCase(uint.MaxValue - 1, int.MinValue + 1)]
    public void MapsSeFromUe(uint code, int expected)
    {
        var data = new TestBitWriter().Ue(code).Trailing().ToRbsp();
        var r = new BitReader(data);
        Assert.That(r.ReadSe(), Is.EqualTo(expected));
        Assert.That(r.Failed, Is.False);
    }

    [Test]
    public void ReadBitsCrossesBytes()
    {
        var r = new BitReader(new byte[] { 0xAB, 0xCD, 0xEF, 0x12, 0x34 });
        Assert.That(r.ReadBits(4), Is.EqualTo(0xAu));
        Assert.That(r.ReadBits(12), Is.EqualTo(0xBCDu));
        r.SkipBits(4);
        Assert.That(r.ReadBits(20), Is.EqualTo(0xF1234u));
        Assert.That(r.HasMoreData, Is.False);
        Assert.That(r.Failed, Is.False);
    }

    [Test]
    public void Reads32Bits()
    {
        var r = new BitReader(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF });
        Assert.That(r.ReadBits(32), Is.EqualTo(0xDEADBEEFu));
        Assert.That(r.Failed, Is.False);
    }

    [Test]
    public void SkipsEmulationPreventionBytes()
    {
        // RBSP 00 00 01 00 00 00 FF is coded 00 00 03 01 00 00 03 00 FF.
        var r = new BitReader(new byte[] { 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x03, 0x00, 0xFF });
        Assert.That(r.ReadBits(24), Is.EqualTo(0x000001u));
        Assert.That(r.ReadBits(24), Is.EqualTo(0x000000u));
        Assert.That(r.ReadBits(8), Is.EqualTo(0xFFu));
        Assert.That(r.Failed, Is.False);
    }

    [Test]
    public void KeepsThreeThatFollowsOnlyOneZero()
    {
        var r = new BitReader(new byte[] { 0x00, 0x03, 0x00, 0x00, 0x03 });
        Assert.That(r.ReadBits(16), Is.EqualTo(0x0003u));
        Assert.That(r.ReadBits(16), Is.EqualTo(0x0000u));
        Assert.That(r.HasMoreData, Is.False, "the final 03 after 00 00 is emulation prevention");
    }

    [Test]
    public void ReadingPastTheEndFailsAndReturnsZero()
    {
        var r = new BitReader(new byte[] { 0xFF });
        Assert.That(r.ReadBits(8), Is.EqualTo(0xFFu));
        Assert.That(r.ReadBit(), Is.EqualTo(0u));
        Assert.That(r.Failed, Is.True);
        Assert.That(r.ReadFlag(), Is.False);
    }

    [Test]
    public void TruncatedReadBitsReturnsZero()
    {
        var r = new BitReader(new byte[] { 0xFF });
        Assert.That(r.ReadBits(9), Is.EqualTo(0u));
        Assert.That(r.Failed, Is.True);
    }

    [Test]
    public void UeLongerThan32BitsFails()
    {
        var r = new BitReader(new byte[] { 0, 0, 0, 0, 0x80, 0xFF, 0xFF, 0xFF, 0xFF });
        Assert.That(r.ReadUe(), Is.EqualTo(0u));
        Assert.That(r.Failed, Is.True);
    }

    [Test]
    public void UeCutInItsSuffixFails()
    {
        var r = new BitReader(new byte[] { 0x00, 0x01 }); // 15 zeros, the marker, no suffix
        Assert.That(r.ReadUe(), Is.EqualTo(0u));
        Assert.That(r.Failed, Is.True);
    }

    [Test]
    public void ReadBitsRejectsCountsAbove32()
    {
        var r = new BitReader(new byte[8]);
        Assert.That(r.ReadBits(33), Is.EqualTo(0u));
        Assert.That(r.Failed, Is.True);
    }

    [Test]
    public void EmptyInputFailsAtOnce()
    {
        var r = new BitReader(ReadOnlySpan<byte>.Empty);
        Assert.That(r.HasMoreData, Is.False);
        r.ReadUe();
        Assert.That(r.Failed, Is.True);
    }

    private static byte[] Pack(string bits)
    {
        var w = new TestBitWriter();
        foreach (char c in bits) w.Flag(c == '1');
        return w.ToRbsp();
    }

    [Test]
    public void MoreRbspDataStopsAtTheStopBit()
    {
        // Data 1 0 1, stop bit, zero bits, then a trailing zero byte (cabac_zero_word-like padding).
        byte[] data = new TestBitWriter().Bits(0b101, 3).Trailing().ToRbsp().Concat(new byte[] { 0 }).ToArray();
        var r = new BitReader(data);
        Assert.That(r.MoreRbspData(), Is.True);
        r.ReadBits(2);
        Assert.That(r.MoreRbspData(), Is.True);
        r.ReadBit();
        Assert.That(r.MoreRbspData(), Is.False, "only the stop bit and its zeros are left");
        Assert.That(r.BitPosition, Is.EqualTo(3));
    }

    [Test]
    public void MoreRbspDataSeesAcrossBytesAndEmulationPrevention()
    {
        // 16 zero bits, then 0x01 (escaped as 00 00 03 01), then a stop byte.
        byte[] nal = new TestBitWriter().Bits(0, 16).Bits(1, 8).Trailing().ToNal(0x68)[1..];
        Assert.That(nal, Is.EqualTo(new byte[] { 0, 0, 3, 1, 0x80 }));
        var r = new BitReader(nal);
        r.ReadBits(16);
        Assert.That(r.MoreRbspData(), Is.True);
        Assert.That(r.ReadBits(8), Is.EqualTo(1u));
        Assert.That(r.MoreRbspData(), Is.False);
        Assert.That(r.BitPosition, Is.EqualTo(24), "emulation prevention bytes are not RBSP bits");
    }
}
