using Fmp4Streamer.H264.TestPattern;

namespace Fmp4Streamer.Tests.H264.TestPattern;

public class BitWriterTests
{
    private static IEnumerable<TestCaseData> UeCases()
    {
        yield return new TestCaseData(0u, "1").SetName("ue 0");
        yield return new TestCaseData(1u, "010").SetName("ue 1");
        yield return new TestCaseData(2u, "011").SetName("ue 2");
        yield return new TestCaseData(3u, "00100").SetName("ue 3");
        yield return new TestCaseData(25u, "000011010").SetName("ue 25 (I_PCM in I slice)");
        yield return new TestCaseData(30u, "000011111").SetName("ue 30 (I_PCM in P slice)");
        yield return new TestCaseData(65534u, new string('0', 15) + "1" + new string('1', 15)).SetName("ue 65534");
        yield return new TestCaseData(65535u, new string('0', 16) + "1" + new string('0', 16)).SetName("ue 65535 (33 bits)");
        yield return new TestCaseData(uint.MaxValue - 1, new string('0', 31) + new string('1', 32)).SetName("ue max");
    }

    private static IEnumerable<TestCaseData> SeCases()
    {
        yield return new TestCaseData(0, "1").SetName("se 0");
        yield return new TestCaseData(1, "010").SetName("se 1");
        yield return new TestCaseData(-1, "011").SetName("se -1");
        yield return new TestCaseData(2, "00100").SetName("se 2");
        yield return new TestCaseData(-2, "00101").SetName("se -2");
        yield return new TestCaseData(-26, "00000110101").SetName("se -26");
    }

    [TestCaseSource(nameof(UeCases))]
    public void WriteUeProducesExpGolombCode(uint value, string bits)
    {
        Span<byte> buffer = stackalloc byte[16];
        var w = new BitWriter(buffer);
        w.WriteUe(value);
        Assert.That(ReadBits(buffer, w, bits.Length), Is.EqualTo(bits));
    }

    [TestCaseSource(nameof(SeCases))]
    public void WriteSeProducesSignedExpGolombCode(int value, string bits)
    {
        Span<byte> buffer = stackalloc byte[16];
        var w = new BitWriter(buffer);
        w.WriteSe(value);
        Assert.That(ReadBits(buffer, w, bits.Length), Is.EqualTo(bits));
    }

    [Test]
    public void TrailingBitsAddAOneAndAlign()
    {
        byte[] buffer = new byte[4];
        var w = new BitWriter(buffer);
        w.WriteBits(0b101, 3);
        w.WriteTrailingBits();
        Assert.That(w.Position, Is.EqualTo(1));
        Assert.That(buffer[0], Is.EqualTo(0b1011_0000));
        w.WriteTrailingBits();
        Assert.That(w.Position, Is.EqualTo(2));
        Assert.That(buffer[1], Is.EqualTo(0x80));
    }

    [Test]
    public void AlignWithZerosDoesNothingWhenAligned()
    {
        byte[] buffer = new byte[4];
        var w = new BitWriter(buffer);
        w.WriteBits(0xAB, 8);
        w.AlignWithZeros();
        Assert.That(w.Position, Is.EqualTo(1));
        w.WriteBit(true);
        w.AlignWithZeros();
        Assert.That(w.Position, Is.EqualTo(2));
        Assert.That(buffer[1], Is.EqualTo(0x80));
    }

    private static IEnumerable<TestCaseData> EmulationCases()
    {
        yield return new TestCaseData(new byte[] { 0, 0, 0, 0, 1, 2, 3, 4 }, new byte[] { 0, 0, 3, 0, 0, 3, 1, 2, 3, 4 })
            .SetName("zero runs before 00 and 01");
        yield return new TestCaseData(new byte[] { 0, 0, 2, 0, 0, 3 }, new byte[] { 0, 0, 3, 2, 0, 0, 3, 3 })
            .SetName("00 00 02 and 00 00 03");
        yield return new TestCaseData(new byte[] { 0, 0, 4, 0, 0x10, 0, 0 }, new byte[] { 0, 0, 4, 0, 0x10, 0, 0 })
            .SetName("no prevention before 04 or after a single zero");
        yield return new TestCaseData(new byte[] { 0, 0, 0, 0, 0, 0 }, new byte[] { 0, 0, 3, 0, 0, 3, 0, 0 })
            .SetName("a long zero run");
    }

    [TestCaseSource(nameof(EmulationCases))]
    public void NalPayloadGetsEmulationPreventionBytes(byte[] rbsp, byte[] expectedPayload)
    {
        foreach (bool aligned in new[] { true, false })
        {
            byte[] buffer = new byte[64];
            var w = new BitWriter(buffer);
            w.StartNal(3, 5);
            if (aligned) w.WriteAlignedBytes(rbsp);
            else foreach (byte b in rbsp) w.WriteBits(b, 8);
            w.EndNal();
            byte[] expected = [0, 0, 0, 1, 0x65, .. expectedPayload, 0x80];
            Assert.That(buffer.AsSpan(0, w.Position).ToArray(), Is.EqualTo(expected), aligned ? "aligned" : "bitwise");
        }
    }

    [Test]
    public void PreventionCountsZerosAcrossUnalignedWrites()
    {
        byte[] buffer = new byte[16];
        var w = new BitWriter(buffer);
        w.StartNal(2, 1);
        w.WriteBits(0, 12);
        w.WriteBits(0, 12);       // bytes 00 00 00 -> 00 00 03 00
        w.WriteBits(1, 8);        // 01 after one zero: no prevention
        w.EndNal();
        Assert.That(buffer.AsSpan(0, w.Position).ToArray(), Is.EqualTo(new byte[] { 0, 0, 0, 1, 0x41, 0, 0, 3, 0, 1, 0x80 }));
    }

    [Test]
    public void WriteRawDoesNotInsertPreventionBytes()
    {
        byte[] buffer = new byte[16];
        var w = new BitWriter(buffer);
        w.WriteRaw([0, 0, 0, 1, 0x67, 0, 0, 1]);
        Assert.That(w.Position, Is.EqualTo(8));
        Assert.That(buffer.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0, 0, 0, 1, 0x67, 0, 0, 1 }));
    }

    private static string ReadBits(ReadOnlySpan<byte> buffer, BitWriter w, int count)
    {
        w.AlignWithZeros();
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < count; i++) text.Append((buffer[i >> 3] >> (7 - (i & 7)) & 1) != 0 ? '1' : '0');
        for (int i = count; i < w.Position * 8; i++)
        {
            Assert.That(buffer[i >> 3] >> (7 - (i & 7)) & 1, Is.Zero, "padding after the code must be zero");
        }
        return text.ToString();
    }
}
