using System.Buffers.Binary;
using System.Numerics;

namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The bits of one NAL unit's payload with the emulation-prevention bytes removed (H.264 7.4.1), read MSB first.
/// The unescaped bytes sit in a reused buffer followed by zero padding, so reads never bounds-check per bit:
/// reading past the end yields zeros and sets <see cref="Overrun"/>, which the slice decoder checks once per
/// macroblock (a malformed slice then ends instead of looping or reading outside memory).
/// </summary>
public sealed class RbspReader
{
    private const int PaddingBytes = 16;
    private byte[] _buffer = new byte[4096];
    private int _bitLength;
    private int _position;
    private int _stopBit;

    /// <summary>Bits read so far.</summary>
    public int Position => _position;

    /// <summary>Length of the payload in bits, trailing bits included.</summary>
    public int BitLength => _bitLength;

    /// <summary>The unescaped payload, followed by at least <see cref="PaddingBytes"/> zero bytes (for engines that read ahead).</summary>
    internal byte[] Buffer => _buffer;

    /// <summary>Zero bytes guaranteed after the payload in <see cref="Buffer"/>.</summary>
    internal const int Padding = PaddingBytes;

    /// <summary>True once a read went past the end of the payload.</summary>
    public bool Overrun => _position > _bitLength;

    /// <summary>Takes the payload after the NAL header byte(s), removing every 03 of a 00 00 03 sequence.</summary>
    public void Load(ReadOnlySpan<byte> payload)
    {
        if (_buffer.Length < payload.Length + PaddingBytes)
        {
            _buffer = new byte[payload.Length + PaddingBytes + payload.Length / 2];
        }
        byte[] buffer = _buffer;
        int length = 0;
        int zeros = 0;
        for (int i = 0; i < payload.Length; i++)
        {
            byte b = payload[i];
            if (zeros >= 2 && b == 3)
            {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            buffer[length++] = b;
        }
        buffer.AsSpan(length, PaddingBytes).Clear();
        _bitLength = length * 8;
        _position = 0;
        _stopBit = FindStopBit(buffer, length);
    }

    /// <summary>Moves to a bit position (the first bit after a slice header parsed elsewhere).</summary>
    public void Seek(int bitPosition) => _position = Math.Clamp(bitPosition, 0, _bitLength + 1);

    /// <summary>The next <paramref name="count"/> (0..32) bits without consuming them.</summary>
    public uint Peek(int count)
    {
        if (count == 0) return 0;
        ulong window = BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(_position >> 3, 8));
        return (uint)((window << (_position & 7)) >> (64 - count));
    }

    public void Skip(int count)
    {
        int next = _position + count;
        // Never further than one bit past the end: Peek then stays inside the zero padding.
        _position = next > _bitLength ? _bitLength + 1 : next;
    }

    public uint ReadBits(int count)
    {
        uint value = Peek(count);
        Skip(count);
        return value;
    }

    public bool ReadFlag() => ReadBits(1) != 0;

    /// <summary>ue(v), H.264 9.1; a code longer than 32 bits marks the reader overrun.</summary>
    public uint ReadUe()
    {
        uint peek = Peek(32);
        int leadingZeros = BitOperations.LeadingZeroCount(peek);
        if (leadingZeros < 16)
        {
            int length = 2 * leadingZeros + 1;
            Skip(length);
            return (peek >> (32 - length)) - 1;
        }
        if (leadingZeros > 31)
        {
            _position = _bitLength + 1;
            return 0;
        }
        Skip(leadingZeros);
        return (uint)((ulong)ReadBits(leadingZeros + 1) - 1);
    }

    /// <summary>se(v), H.264 9.1.1.</summary>
    public int ReadSe()
    {
        uint code = ReadUe();
        int magnitude = (int)((code + 1) >> 1);
        return (code & 1) != 0 ? magnitude : -magnitude;
    }

    /// <summary>te(v) with the given range (H.264 9.1): one inverted bit when the range is 1.</summary>
    public uint ReadTe(int range) => range > 1 ? ReadUe() : ReadBits(1) ^ 1;

    public bool IsByteAligned => (_position & 7) == 0;

    /// <summary>more_rbsp_data() (H.264 7.2): anything but the stop bit and zeros before the end.</summary>
    public bool MoreRbspData() => _position < _stopBit;

    public void AlignToByte() => Skip((8 - (_position & 7)) & 7);

    /// <summary>Position of the rbsp_stop_one_bit: the last 1 bit of the payload (its length when there is none).</summary>
    private static int FindStopBit(byte[] buffer, int length)
    {
        for (int i = length - 1; i >= 0; i--)
        {
            if (buffer[i] != 0) return i * 8 + 7 - BitOperations.TrailingZeroCount(buffer[i]);
        }
        return 0;
    }
}
