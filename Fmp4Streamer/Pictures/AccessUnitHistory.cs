using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Pictures;

/// <summary>
/// The access units since the last key frame, copied into pooled buffers: what a decoder needs to reach the newest
/// picture. A key frame starts a new group (<see cref="Group"/>) and gives the old units back; a key frame without
/// in-band SPS and PPS gets the stream's current ones in front, so decoding can start there. Loop thread only.
/// </summary>
internal sealed class AccessUnitHistory
{
    private static ReadOnlySpan<byte> StartCode => [0, 0, 0, 1];

    private readonly UnitBufferPool _pool;
    private readonly List<UnitBuffer> _units = new(64);
    private long _nextSerial = 1;

    public AccessUnitHistory(UnitBufferPool pool) => _pool = pool;

    /// <summary>Counts key frames: units of one group decode from its first.</summary>
    public long Group { get; private set; }

    public int Count => _units.Count;
    public UnitBuffer this[int index] => _units[index];

    /// <summary>The serial of the newest unit kept, 0 when empty.</summary>
    public long NewestSerial => _units.Count > 0 ? _units[^1].Serial : 0;

    /// <summary>Keeps <paramref name="unit"/> (dropped until the first key frame); returns its buffer, or null.</summary>
    public UnitBuffer? Add(in AccessUnit unit)
    {
        if (unit.IsKeyFrame)
        {
            Clear();
            Group++;
        }
        else if (_units.Count == 0)
        {
            return null;
        }
        bool prefix = unit.IsKeyFrame && !AccessUnitInfo.Scan(unit.AnnexB).HasParameterSets && !unit.Sps.IsEmpty;
        int size = unit.AnnexB.Length + (prefix ? 8 + unit.Sps.Length + unit.Pps.Length : 0);
        var buffer = _pool.Rent(size);
        var dest = buffer.Data.AsSpan();
        int at = 0;
        if (prefix)
        {
            StartCode.CopyTo(dest);
            unit.Sps.CopyTo(dest[4..]);
            at = 4 + unit.Sps.Length;
            StartCode.CopyTo(dest[at..]);
            unit.Pps.CopyTo(dest[(at + 4)..]);
            at += 4 + unit.Pps.Length;
        }
        unit.AnnexB.CopyTo(dest[at..]);
        buffer.Length = at + unit.AnnexB.Length;
        buffer.CaptureTimeUs = unit.CaptureTimeUs != 0 ? unit.CaptureTimeUs : unit.ArrivalUs;
        buffer.IsKeyFrame = unit.IsKeyFrame;
        buffer.Serial = _nextSerial++;
        _units.Add(buffer);
        return buffer;
    }

    /// <summary>Gives every unit back (the source stopped: the next group starts at its first key frame).</summary>
    public void Clear()
    {
        foreach (var u in _units) u.Release();
        _units.Clear();
    }
}
