using Fmp4Streamer.H264;

namespace Fmp4Streamer.Streaming;

/// <summary>
/// The stream's current SPS and PPS, kept as copies. Buffers are reused, so a camera that repeats identical
/// parameter sets before every IDR costs a comparison, not an allocation.
/// </summary>
public sealed class ParameterSets
{
    private byte[] _sps = new byte[64];
    private byte[] _pps = new byte[64];
    private int _spsLength;
    private int _ppsLength;

    public ReadOnlySpan<byte> Sps => _sps.AsSpan(0, _spsLength);
    public ReadOnlySpan<byte> Pps => _pps.AsSpan(0, _ppsLength);
    public bool IsComplete => _spsLength > 0 && _ppsLength > 0;

    /// <summary>Takes the first SPS and PPS of the access unit; true when the complete pair differs from before.</summary>
    public bool Update(ReadOnlySpan<byte> annexB)
    {
        bool changed = false;
        bool sawSps = false, sawPps = false;
        foreach (var nal in AnnexB.EnumerateNals(annexB))
        {
            var type = (NalUnitType)(nal[0] & 0x1F);
            if (type == NalUnitType.Sps && !sawSps)
            {
                sawSps = true;
                changed |= Store(nal, ref _sps, ref _spsLength);
            }
            else if (type == NalUnitType.Pps && !sawPps)
            {
                sawPps = true;
                changed |= Store(nal, ref _pps, ref _ppsLength);
            }
        }
        return changed && IsComplete;
    }

    private static bool Store(ReadOnlySpan<byte> nal, ref byte[] buffer, ref int length)
    {
        if (nal.SequenceEqual(buffer.AsSpan(0, length))) return false;
        if (buffer.Length < nal.Length) buffer = new byte[nal.Length];
        nal.CopyTo(buffer);
        length = nal.Length;
        return true;
    }
}
