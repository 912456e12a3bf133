using System.Buffers.Binary;

namespace Fmp4Streamer.Rtsp;

/// <summary>Walks the NAL units of an AVCC sample (4-byte big-endian lengths); stops at a length past the end.</summary>
public ref struct AvccNalEnumerator
{
    private ReadOnlySpan<byte> _rest;

    public AvccNalEnumerator(ReadOnlySpan<byte> sample)
    {
        _rest = sample;
        Current = default;
    }

    public ReadOnlySpan<byte> Current { get; private set; }

    public bool MoveNext()
    {
        if (_rest.Length < 4) return false;
        uint length = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        if (length > (uint)(_rest.Length - 4)) return false;
        Current = _rest.Slice(4, (int)length);
        _rest = _rest[(4 + (int)length)..];
        return true;
    }
}
