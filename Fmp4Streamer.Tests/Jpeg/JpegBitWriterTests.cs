using Fmp4Streamer.Jpeg;

namespace Fmp4Streamer.Tests.Jpeg;

/// <summary>The 64-bit bit writer and the zig-zag nonzero mask against plain one-bit-at-a-time references.</summary>
public class JpegBitWriterTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void TheBitsMatchAOneBitAtATimeWriterWithStuffing(int seed)
    {
        var random = new Random(seed);
        var codes = new List<(uint Bits, int Length)>();
        for (int i = 0; i < 5000; i++)
        {
            int length = random.Next(1, 33);
            // Runs of ones make 0xFF bytes, which need stuffing and take the byte-by-byte path.
            uint bits = random.Next(3) == 0 ? uint.MaxValue : (uint)random.NextInt64(0, 1L << 32);
            codes.Add((length == 32 ? bits : bits & ((1u << length) - 1), length));
        }
        byte[] expected = Reference(codes);
        var dest = new byte[expected.Length + 64];
        var writer = new JpegBitWriter(dest, 3);
        foreach (var (bits, length) in codes) writer.Write(bits, length);
        writer.Flush();
        Assert.That(writer.Overflowed, Is.False);
        Assert.That(dest.AsSpan(3, writer.Position - 3).ToArray(), Is.EqualTo(expected));
        Assert.That(expected.Count(b => b == 0xFF), Is.GreaterThan(100), "the test stuffs bytes");
    }

    [Test]
    public void AFullDestinationIsReportedAndNotOverrun()
    {
        var dest = new byte[40];
        var writer = new JpegBitWriter(dest.AsSpan(0, 20), 0);
        for (int i = 0; i < 100; i++) writer.Write(0x12345, 20);
        writer.Flush();
        Assert.That(writer.Overflowed, Is.True);
        Assert.That(writer.Position, Is.LessThanOrEqualTo(20));
        Assert.That(dest.AsSpan(20).ToArray(), Has.All.EqualTo(0), "nothing written past the span");
    }

    [Test]
    public void TheZigZagMaskHasABitForEachNonzeroCoefficient()
    {
        var random = new Random(5);
        var coefficients = new short[64];
        var zigZag = JpegTables.ZigZag;
        for (int trial = 0; trial < 2000; trial++)
        {
            for (int i = 0; i < 64; i++) coefficients[i] = random.Next(100) < trial % 100 ? (short)random.Next(-1023, 1024) : (short)0;
            ulong expected = 0;
            for (int n = 0; n < 64; n++)
            {
                // Coefficients sit column-major, [u * 8 + v], as the transform leaves them.
                int natural = zigZag[n];
                if (coefficients[natural % 8 * 8 + natural / 8] != 0) expected |= 1UL << n;
            }
            Assert.That(HuffmanBlockEncoder.ZigZagNonzeroMask(coefficients), Is.EqualTo(expected), $"trial {trial}");
        }
    }

    private static byte[] Reference(List<(uint Bits, int Length)> codes)
    {
        var bitList = new List<int>();
        foreach (var (bits, length) in codes)
            for (int i = length - 1; i >= 0; i--) bitList.Add((int)(bits >> i) & 1);
        while (bitList.Count % 8 != 0) bitList.Add(1);
        var bytes = new List<byte>();
        for (int i = 0; i < bitList.Count; i += 8)
        {
            int b = 0;
            for (int j = 0; j < 8; j++) b = b << 1 | bitList[i + j];
            bytes.Add((byte)b);
            if (b == 0xFF) bytes.Add(0);
        }
        return bytes.ToArray();
    }
}
