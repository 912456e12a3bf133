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

    public BitReader(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    /// <summary>True once a read ran past the end or met an invalid code; every later read returns 0.</summary>
    public readonly bool Failed => _failed;

    /// <summary>True while unread bits remain before the end of the data (trailing bits included).</summary>
    public readonly bool HasMoreData =>
        !_failed && (_bitsLeft > 0 || _next + (IsEmulationPrevention(_next) ? 1 : 0) < _data.Length);

    public uint ReadBit()
    {
        if (_bitsLeft == 0 && !LoadByte()) return 0;
        _bitsLeft--;
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
