namespace Fmp4Streamer.H264;

/// <summary>Walks the NALs of an Annex B buffer; skips bytes before the first start code and empty NALs.</summary>
public ref struct NalEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private int _next;  // payload start of the next NAL, or -1 when done
    private ReadOnlySpan<byte> _current;

    internal NalEnumerator(ReadOnlySpan<byte> data)
    {
        _data = data;
        int at = AnnexB.FindStartCode(data, 0, out int length);
        _next = at < 0 ? -1 : at + length;
        _current = default;
        CurrentOffset = -1;
    }

    public readonly ReadOnlySpan<byte> Current => _current;

    /// <summary>Offset of <see cref="Current"/> in the buffer (its header byte).</summary>
    public int CurrentOffset { get; private set; }

    public readonly NalEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_next >= 0)
        {
            int start = _next;
            int found = start < _data.Length ? _data.Slice(start).IndexOf(AnnexB.StartCode3) : -1;
            int end = found < 0 ? _data.Length : start + found;
            _next = found < 0 ? -1 : end + 3;
            end = AnnexB.TrimTrailingZeros(_data, start, end);
            if (end > start)
            {
                _current = _data.Slice(start, end - start);
                CurrentOffset = start;
                return true;
            }
        }
        _current = default;
        return false;
    }
}
