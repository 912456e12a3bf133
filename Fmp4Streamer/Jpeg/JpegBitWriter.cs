using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Fmp4Streamer.Jpeg;

/// <summary>
/// Writes Huffman codes and magnitude bits, most significant first, with a 0x00 stuffed after every 0xFF byte of
/// entropy-coded data (T.81 B.1.1.5). Bits gather in a 64-bit accumulator that is written eight bytes at a time when
/// none of them is 0xFF (the usual case), byte by byte with stuffing otherwise. Stops writing when the destination is
/// full and says so through <see cref="Overflowed"/>, so the caller can retry with a larger buffer.
/// </summary>
public ref struct JpegBitWriter
{
    private const ulong Ones = 0x0101010101010101UL;
    private const ulong HighBits = 0x8080808080808080UL;

    private readonly Span<byte> _dest;
    private ulong _accumulator; // the pending bits, in the low 64 − _free bits
    private int _free;

    public JpegBitWriter(Span<byte> dest, int position)
    {
        _dest = dest;
        Position = position;
        _free = 64;
    }

    public int Position { get; private set; }
    public bool Overflowed { get; private set; }

    /// <param name="bits">The bits in the low <paramref name="length"/> bits (at most 32), nothing above them.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(uint bits, int length)
    {
        if (length < _free)
        {
            _accumulator = (_accumulator << length) | bits;
            _free -= length;
            return;
        }
        WriteFull(bits, length);
    }

    /// <summary>Fills the accumulator, writes its eight bytes, and keeps the bits that did not fit.</summary>
    private void WriteFull(uint bits, int length)
    {
        int spill = length - _free;
        ulong full = (_accumulator << _free) | ((ulong)bits >> spill);
        _accumulator = bits & ((1UL << spill) - 1);
        _free = 64 - spill;
        if (Position + 16 <= _dest.Length && !HasFFByte(full))
        {
            BinaryPrimitives.WriteUInt64BigEndian(_dest[Position..], full);
            Position += 8;
            return;
        }
        for (int shift = 56; shift >= 0; shift -= 8) PutStuffed((byte)(full >> shift));
    }

    /// <summary>Pads the last byte with 1 bits, as T.81 F.1.2.3 asks, and writes what is pending, ending the entropy-coded segment.</summary>
    public void Flush()
    {
        int pending = 64 - _free;
        int padding = (8 - pending % 8) % 8;
        ulong bits = (_accumulator << padding) | ((1UL << padding) - 1);
        pending += padding;
        for (int shift = pending - 8; shift >= 0; shift -= 8) PutStuffed((byte)(bits >> shift));
        _accumulator = 0;
        _free = 64;
    }

    public void WriteByte(byte value) => Put(value);

    /// <summary>Whether any byte of <paramref name="value"/> is 0xFF: the classic zero-byte test on its complement.</summary>
    private static bool HasFFByte(ulong value)
    {
        ulong inverted = ~value;
        return ((inverted - Ones) & ~inverted & HighBits) != 0;
    }

    private void PutStuffed(byte value)
    {
        Put(value);
        if (value == 0xFF) Put(0);
    }

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
