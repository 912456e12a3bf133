namespace Fmp4Streamer.Aac;

/// <summary>Writes bits most significant first into a span, as the AAC bitstream syntax reads them.</summary>
internal ref struct BitWriter
{
    private readonly Span<byte> _buffer;
    private ulong _pending;
    private int _pendingBits;
    private int _bytes;

    public BitWriter(Span<byte> buffer)
    {
        _buffer = buffer;
    }

    /// <summary>Writes the low <paramref name="count"/> bits of <paramref name="value"/> (count at most 32).</summary>
    public void Write(uint value, int count)
    {
        if (count == 0) return;
        _pending = (_pending << count) | (value & (uint)((1UL << count) - 1));
        _pendingBits += count;
        while (_pendingBits >= 8)
        {
            _pendingBits -= 8;
            if (_bytes >= _buffer.Length) ThrowFull();
            _buffer[_bytes++] = (byte)(_pending >> _pendingBits);
        }
    }

    /// <summary>Pads with zero bits to the next byte boundary and returns the bytes written.</summary>
    public int Flush()
    {
        if (_pendingBits > 0) Write(0, 8 - _pendingBits);
        return _bytes;
    }

    private static void ThrowFull() => throw new ArgumentException("the output span is too small for the access unit");
}
