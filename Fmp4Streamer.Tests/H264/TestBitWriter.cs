namespace Fmp4Streamer.Tests.H264;

/// <summary>Builds hand-written RBSPs for parser tests: u(n), ue(v), se(v), then emulation prevention.</summary>
internal sealed class TestBitWriter
{
    private readonly List<byte> _bytes = new();
    private int _bitCount;

    public TestBitWriter Bits(uint value, int count)
    {
        for (int i = count - 1; i >= 0; i--) Bit((value >> i) & 1);
        return this;
    }

    public TestBitWriter Flag(bool value) => Bit(value ? 1u : 0u);

    public TestBitWriter Ue(uint value)
    {
        ulong code = (ulong)value + 1;
        int length = 64 - System.Numerics.BitOperations.LeadingZeroCount(code);
        Bits(0, length - 1);
        for (int i = length - 1; i >= 0; i--) Bit((uint)(code >> i) & 1);
        return this;
    }

    public TestBitWriter Se(int value) => Ue(value > 0 ? (uint)(2 * value - 1) : (uint)(-2L * value));

    /// <summary>rbsp_trailing_bits: a stop bit and zero bits up to a byte boundary.</summary>
    public TestBitWriter Trailing()
    {
        Bit(1);
        while (_bitCount % 8 != 0) Bit(0);
        return this;
    }

    public byte[] ToRbsp() => _bytes.ToArray();

    /// <summary>The NAL: header byte then the RBSP with 03 inserted after every 00 00 followed by 00..03 (7.4.1).</summary>
    public byte[] ToNal(byte header)
    {
        var nal = new List<byte> { header };
        int zeros = 0;
        foreach (byte b in _bytes)
        {
            if (zeros >= 2 && b <= 3)
            {
                nal.Add(3);
                zeros = 0;
            }
            nal.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return nal.ToArray();
    }

    private TestBitWriter Bit(uint bit)
    {
        if (_bitCount % 8 == 0) _bytes.Add(0);
        if (bit != 0) _bytes[^1] |= (byte)(0x80 >> (_bitCount % 8));
        _bitCount++;
        return this;
    }
}
