using System.Diagnostics;
using System.Numerics;

namespace Fmp4Streamer.H264.TestPattern;

/// <summary>
/// Writes H.264 syntax elements MSB first into a span. Between <see cref="StartNal"/> and <see cref="EndNal"/> it
/// inserts emulation prevention bytes on the fly (H.264 7.4.1: 00 00 0x with x &lt;= 3 becomes 00 00 03 0x), so the
/// caller writes plain RBSP syntax and gets a finished Annex-B NAL unit.
/// </summary>
public ref struct BitWriter
{
    private readonly Span<byte> _buffer;
    private int _position;
    private ulong _pending;   // bits not yet emitted, right-aligned; fewer than 8 between calls
    private int _pendingCount;
    private int _zeroRun;     // consecutive 0x00 bytes emitted inside the current NAL payload
    private bool _inNal;

    public BitWriter(Span<byte> buffer)
    {
        _buffer = buffer;
    }

    /// <summary>Whole bytes written so far, emulation prevention bytes included.</summary>
    public readonly int Position => _position;

    public readonly bool IsByteAligned => _pendingCount == 0;

    public void WriteBit(bool bit) => WriteBits(bit ? 1u : 0u, 1);

    /// <summary>Writes the low <paramref name="count"/> bits of <paramref name="value"/> (0..32), MSB first.</summary>
    public void WriteBits(uint value, int count)
    {
        Debug.Assert((uint)count <= 32);
        if (count == 0) return;
        _pending = (_pending << count) | (value & (uint.MaxValue >> (32 - count)));
        _pendingCount += count;
        while (_pendingCount >= 8)
        {
            _pendingCount -= 8;
            EmitByte((byte)(_pending >> _pendingCount));
        }
        _pending &= (1UL << _pendingCount) - 1;
    }

    /// <summary>Unsigned Exp-Golomb ue(v), H.264 9.1; values up to uint.MaxValue - 1.</summary>
    public void WriteUe(uint value)
    {
        Debug.Assert(value < uint.MaxValue);
        uint codeNum = value + 1;
        int length = 32 - BitOperations.LeadingZeroCount(codeNum);
        if (2 * length - 1 <= 32)
        {
            // The length-1 leading zeros are the high bits of a (2*length-1)-bit field holding codeNum.
            WriteBits(codeNum, 2 * length - 1);
        }
        else
        {
            WriteBits(0, length - 1);
            WriteBits(codeNum, length);
        }
    }

    /// <summary>Signed Exp-Golomb se(v), H.264 9.1.1: k &gt; 0 maps to 2k-1, k &lt;= 0 to -2k.</summary>
    public void WriteSe(int value)
    {
        uint codeNum = value > 0 ? (uint)(2L * value - 1) : (uint)(-2L * value);
        WriteUe(codeNum);
    }

    /// <summary>Zero bits up to the next byte boundary (pcm_alignment_zero_bit, alignment_zero_bit).</summary>
    public void AlignWithZeros()
    {
        if (_pendingCount != 0) WriteBits(0, 8 - _pendingCount);
    }

    /// <summary>rbsp_trailing_bits(), H.264 7.3.2.11: a one bit, then zero bits to the byte boundary.</summary>
    public void WriteTrailingBits()
    {
        WriteBits(1, 1);
        AlignWithZeros();
    }

    /// <summary>Byte-aligned payload bytes (I_PCM samples), still subject to emulation prevention.</summary>
    public void WriteAlignedBytes(ReadOnlySpan<byte> bytes)
    {
        Debug.Assert(_pendingCount == 0);
        // Bytes above 3 can neither need a prevention byte nor extend a zero run: copy them in one go.
        if (bytes.IndexOfAnyInRange((byte)0, (byte)3) < 0)
        {
            bytes.CopyTo(_buffer.Slice(_position));
            _position += bytes.Length;
            _zeroRun = 0;
            return;
        }
        foreach (byte b in bytes) EmitByte(b);
    }

    /// <summary>Writes a 4-byte start code and the NAL header (7.3.1), then switches emulation prevention on.</summary>
    public void StartNal(int nalRefIdc, int nalUnitType)
    {
        Debug.Assert(_pendingCount == 0 && !_inNal);
        Debug.Assert((uint)nalRefIdc <= 3 && (uint)nalUnitType <= 31);
        Span<byte> head = _buffer.Slice(_position, 5);
        head[0] = 0;
        head[1] = 0;
        head[2] = 0;
        head[3] = 1;
        head[4] = (byte)((nalRefIdc << 5) | nalUnitType);
        _position += 5;
        _zeroRun = 0;
        _inNal = true;
    }

    /// <summary>Ends the NAL unit with rbsp_trailing_bits; its last byte is therefore never zero.</summary>
    public void EndNal()
    {
        Debug.Assert(_inNal);
        WriteTrailingBits();
        _inNal = false;
    }

    /// <summary>Copies bytes verbatim (ready-made NAL units with their start codes); must be outside a NAL.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Debug.Assert(_pendingCount == 0 && !_inNal);
        bytes.CopyTo(_buffer.Slice(_position));
        _position += bytes.Length;
    }

    private void EmitByte(byte value)
    {
        if (_inNal && _zeroRun >= 2 && value <= 3)
        {
            _buffer[_position++] = 3;
            _zeroRun = 0;
        }
        _buffer[_position++] = value;
        _zeroRun = value == 0 ? _zeroRun + 1 : 0;
    }
}
