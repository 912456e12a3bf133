using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.H264;
using Fmp4Streamer.Mp4;

namespace Fmp4Streamer.Streaming;

/// <summary>
/// The hub's composition offsets: parses each access unit's first slice header against the stream's SPS and PPS,
/// counts its picture order and turns that into a composition time offset, one frame at a time. Streams it cannot
/// follow (field pictures, a slice naming a PPS the hub does not hold) fall back to offset 0 with one log line.
/// Allocates nothing per frame.
/// </summary>
public sealed class PresentationOrder
{
    private readonly string _component;
    private readonly SliceHeader _header = new();
    private readonly PictureOrderCounter _counter = new();
    private readonly CompositionOffsetEstimator _offsets = new();
    private Sps _sps;
    private Pps _pps;
    private bool _ready;
    private bool _gaveUp;
    private bool _warnedSlice;

    public PresentationOrder(string component) => _component = component;

    /// <summary>The reorder depth in use: 0 means no offsets (no B-frames, or parameter sets not known yet).</summary>
    public int ReorderDepth => _ready && !_gaveUp ? _offsets.ReorderDepth : 0;

    /// <summary>New parameter sets: the next picture is an IDR (the hub starts clients there).</summary>
    public void SetParameterSets(in Sps sps, ReadOnlySpan<byte> ppsNal)
    {
        _ready = Pps.TryParse(ppsNal, out _pps, sps.ChromaFormatIdc) && _pps.SeqParameterSetId == sps.SeqParameterSetId;
        _sps = sps;
        _gaveUp = false;
        _warnedSlice = false;
        _counter.Reset();
        _offsets.Reset(sps.ReorderDepth);
        if (!_ready) Log.Warning(_component, "cannot parse the PPS: frames are presented in decoding order");
    }

    /// <summary>The source restarted: counting resumes at its first IDR.</summary>
    public void Reset()
    {
        _counter.Reset();
        _offsets.Reset(_sps.ReorderDepth);
    }

    /// <summary>The composition time offset, in ticks, of the access unit <paramref name="annexB"/> of <paramref name="duration"/> ticks.</summary>
    public int Next(ReadOnlySpan<byte> annexB, uint duration)
    {
        if (!_ready || _gaveUp || _offsets.ReorderDepth == 0) return 0;
        if (!TryFirstSliceHeader(annexB))
        {
            // Presented as if in display order already: its neighbours stay in place.
            if (!_warnedSlice) Log.Warning(_component, "a slice header could not be read: its frame may show out of order");
            _warnedSlice = true;
            return _offsets.NextUnordered(duration);
        }
        if (!_counter.TryCount(_sps, _header, out var count))
        {
            Log.Warning(_component, "field-coded pictures: frames are presented in decoding order");
            _gaveUp = true;
            return 0;
        }
        return _offsets.Next(count.PicOrderCnt, count.RestartsOrder, duration);
    }

    private bool TryFirstSliceHeader(ReadOnlySpan<byte> annexB)
    {
        foreach (var nal in AnnexB.EnumerateNals(annexB))
        {
            var type = NalUnit.TypeOf(nal[0]);
            if (type is NalUnitType.Slice or NalUnitType.Idr or NalUnitType.SliceDataPartitionA)
                return SliceHeaderParser.TryParse(nal, _sps, _pps, _header);
        }
        return false;
    }
}
