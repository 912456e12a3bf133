namespace Fmp4Streamer.Jpeg;

/// <summary>
/// Writes Huffman codes and magnitude bits, most significant first, with a 0x00 stuffed after every 0xFF byte of
/// entropy-coded data (T.81 B.1.1.5). Stops writing when the destination is full and says so through
/// <see cref="Overflowed"/>, so the caller can retry with a larger buffer.
/// </summary>
public ref struct JpegBitWriter
{
    private readonly Span<byte> _dest;
    private ulong _accumulator;
    private int _bitCount;

    public JpegBitWriter(Span<byte> dest, int position)
    {
        _dest = dest;
        Position = position;
    }

    public int Position { get; private set; }
    public bool Overflowed { get; private set; }

    /// <param name="bits">The code in the low <paramref name="length"/> bits (at most 16).</param>
    public void Write(uint bits, int length)
    {
        _accumulator = (_accumulator << length) | (bits & ((1u << length) - 1));
        _bitCount += length;
        while (_bitCount >= 8)
        {
            _bitCount -= 8;
            byte b = (byte)(_accumulator >> _bitCount);
            Put(b);
            if (b == 0xFF) Put(0);
        }
    }

    /// <summary>Pads the last byte with 1 bits, as T.81 F.1.2.3 asks, ending the entropy-coded segment.</summary>
    public void Flush()
    {
        if (_bitCount > 0) Write((1u << (8 - _bitCount)) - 1, 8 - _bitCount);
    }

    public void WriteByte(byte value) => Put(value);

    private void Put(byte value)
    {
        if (Position >= _dest.Length)
        {
            Overflowed = true;
            return;
        }
        _dest[Position++] = value;
    }
}
