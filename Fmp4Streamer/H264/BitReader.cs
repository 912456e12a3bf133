namespace Fmp4Streamer.H264;

/// <summary>
/// Reads bits MSB first from a NAL payload, dropping emulation-prevention bytes (the 03 of 00 00 03, H.264 7.4.1)
/// on the fly. Reading past the end, or an Exp-Golomb code longer than 32 bits, sets <see cref="Failed"/> and
/// yields zeros from then on: parsers check the flag instead of catching exceptions.
/// </summary>
public ref struct BitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _next;        // index of the next byte to load
    private int _zeros;       // consecutive zero bytes loaded, for spotting 00 00 03
    private uint _current;    // the byte being read
    private int _bitsLeft;    // unread bits in _current
    private bool _failed;
    private int _bitPosition; // RBSP bits consumed

    public BitReader(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    /// <summary>True once a read ran past the end or met an invalid code; every later read returns 0.</summary>
    public readonly bool Failed => _failed;

    /// <summary>True while unread bits remain before the end of the data (trailing bits included).</summary>
    public readonly bool HasMoreData =>
        !_failed && (_bitsLeft > 0 || _next + (IsEmulationPrevention(_next) ? 1 : 0) < _data.Length);

    /// <summary>
    /// more_rbsp_data() (H.264 7.2): true while a bit other than the rbsp_stop_one_bit and the zeros after it is
    /// left, i.e. before the last 1 bit of the data. Trailing zero bytes (cabac_zero_words, padding) are skipped.
    /// </summary>
    public readonly bool MoreRbspData()
    {
        if (_failed) return false;
        int last = _data.Length - 1;
        while (last >= 0 && _data[last] == 0) last--;
        // A final 03 after 00 00 is emulation prevention appended to an RBSP ending in a zero byte (7.4.1).
        if (last >= 2 && _data[last] == 3 && _data[last - 1] == 0 && _data[last - 2] == 0)
        {
            last -= 3;
            while (last >= 0 && _data[last] == 0) last--;
        }
        if (last < 0) return false;
        int stopBitsLeft = System.Numerics.BitOperations.TrailingZeroCount((uint)_data[last]) + 1;
        int index, bitsLeft;
        if (_bitsLeft > 0)
        {
            index = _next - 1;
            bitsLeft = _bitsLeft;
        }
        else
        {
            index = IsEmulationPrevention(_next) ? _next + 1 : _next;
            bitsLeft = 8;
        }
        return index < last || (index == last && bitsLeft > stopBitsLeft);
    }

    /// <summary>Bits read so far, emulation-prevention bytes not counted: the position in the RBSP.</summary>
    public readonly int BitPosition => _bitPosition;

    /// <summary>True when the position is on a byte boundary of the RBSP.</summary>
    public readonly bool IsByteAligned => (_bitPosition & 7) == 0;

    public uint ReadBit()
    {
        if (_bitsLeft == 0 && !LoadByte()) return 0;
        _bitsLeft--;
        _bitPosition++;
        return (_current >> _bitsLeft) & 1;
    }

    public bool ReadFlag() => ReadBit() != 0;

    /// <summary>u(n) for n in 0..32.</summary>
    public uint ReadBits(int count)
    {
        if ((uint)count > 32)
        {
            _failed = true;
            return 0;
        }
        uint value = 0;
        for (int i = 0; i < count; i++) value = (value << 1) | ReadBit();
        return _failed ? 0 : value;
    }

    public void SkipBits(int count)
    {
        for (int i = 0; i < count && !_failed; i++) ReadBit();
    }

    /// <summary>ue(v), H.264 9.1. Codes over 32 bits cannot occur in a valid stream and fail.</summary>
    public uint ReadUe()
    {
        int leadingZeros = 0;
        while (ReadBit() == 0)
        {
            if (_failed || ++leadingZeros > 31)
            {
                _failed = true;
                return 0;
            }
        }
        if (leadingZeros == 0) return 0;
        uint suffix = ReadBits(leadingZeros);
        return _failed ? 0 : (1u << leadingZeros) - 1 + suffix;
    }

    /// <summary>se(v), H.264 9.1.1: 1, 2, 3, 4 map to 1, -1, 2, -2.</summary>
    public int ReadSe()
    {
        uint code = ReadUe();
        int magnitude = (int)((code + 1) >> 1);
        return (code & 1) != 0 ? magnitude : -magnitude;
    }

    private readonly bool IsEmulationPrevention(int index) => _zeros >= 2 && index < _data.Length && _data[index] == 3;

    private bool LoadByte()
    {
        if (_failed) return false;
        if (IsEmulationPrevention(_next))
        {
            _next++;
            _zeros = 0;
        }
        if (_next >= _data.Length)
        {
            _failed = true;
            return false;
        }
        _current = _data[_next++];
        _zeros = _current == 0 ? _zeros + 1 : 0;
        _bitsLeft = 8;
        return true;
    }
}
