using System.Buffers.Binary;
using System.Diagnostics;

namespace Fmp4Streamer.Mp4;

/// <summary>
/// Writes big-endian ISO BMFF boxes into a span. Sizes are back-patched (FFmpeg movenc's update_size): BeginBox
/// writes a placeholder and returns the start, EndBox fills in the size. Writing past the span throws (a bug).
/// </summary>
public ref struct BoxWriter
{
    private readonly Span<byte> _buffer;
    private int _depth;

    public BoxWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        Position = 0;
        _depth = 0;
    }

    /// <summary>Offset of the next byte to write.</summary>
    public int Position;

    /// <summary>Boxes begun and not yet ended; 0 once a segment is complete.</summary>
    public readonly int Depth => _depth;

    public readonly Span<byte> Written => _buffer[..Position];

    /// <summary>Writes a size placeholder and <paramref name="type"/>; returns the box start for <see cref="EndBox"/>.</summary>
    public int BeginBox(uint type)
    {
        int start = Position;
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(start, 8), 0);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(start + 4, 4), type);
        Position = start + 8;
        _depth++;
        return start;
    }

    /// <summary>A FullBox (14496-12 4.2): the box header, then version (8 bits) and flags (24 bits).</summary>
    public int BeginFullBox(uint type, byte version, uint flags)
    {
        Debug.Assert(flags <= 0xFFFFFF, "FullBox flags are 24 bits");
        int start = BeginBox(type);
        WriteU32((uint)version << 24 | (flags & 0xFFFFFF));
        return start;
    }

    /// <summary>Back-patches the size of the box begun at <paramref name="start"/>.</summary>
    public void EndBox(int start)
    {
        Debug.Assert(_depth > 0, "EndBox without BeginBox");
        Debug.Assert(start >= 0 && start + 8 <= Position, "EndBox with a start that is not a box header");
        Debug.Assert(BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(start, 4)) == 0, "box ended twice");
        _depth--;
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(start, 4), (uint)(Position - start));
    }

    /// <summary>Asserts (debug builds) that every box begun was ended: call at the end of a segment.</summary>
    [Conditional("DEBUG")]
    public readonly void AssertBalanced() => Debug.Assert(_depth == 0, "unbalanced BeginBox/EndBox");

    public void WriteU8(byte value)
    {
        _buffer[Position] = value;
        Position++;
    }

    public void WriteU16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(Position, 2), value);
        Position += 2;
    }

    public void WriteU32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(Position, 4), value);
        Position += 4;
    }

    public void WriteU64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.Slice(Position, 8), value);
        Position += 8;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[Position..]);
        Position += bytes.Length;
    }

    public void WriteZeros(int count)
    {
        _buffer.Slice(Position, count).Clear();
        Position += count;
    }

    /// <summary>Overwrites a u32 written earlier (trun's data_offset once the moof size is known).</summary>
    public readonly void PatchU32(int offset, uint value)
    {
        Debug.Assert(offset + 4 <= Position, "patch beyond what was written");
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(offset, 4), value);
    }
}
