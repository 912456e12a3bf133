namespace Fmp4Streamer.H264;

/// <summary>The leading fields of a picture parameter set (H.264 7.3.2.2): which SPS it belongs to, and the entropy coder.</summary>
public readonly record struct Pps
{
    public int PicParameterSetId { get; init; }
    public int SeqParameterSetId { get; init; }

    /// <summary>True for CABAC, false for CAVLC.</summary>
    public bool EntropyCodingModeFlag { get; init; }
    public bool BottomFieldPicOrderInFramePresent { get; init; }

    /// <summary>Parses a PPS NAL given without start code; false (never an exception) when truncated or invalid.</summary>
    public static bool TryParse(ReadOnlySpan<byte> nal, out Pps pps)
    {
        pps = default;
        if (nal.Length < 2 || NalUnit.TypeOf(nal[0]) != NalUnitType.Pps) return false;
        var r = new BitReader(nal.Slice(1));
        uint ppsId = r.ReadUe();
        uint spsId = r.ReadUe();
        bool cabac = r.ReadFlag();
        bool bottomFieldPocPresent = r.ReadFlag();
        if (r.Failed || ppsId > 255 || spsId > 31) return false;
        pps = new Pps
        {
            PicParameterSetId = (int)ppsId,
            SeqParameterSetId = (int)spsId,
            EntropyCodingModeFlag = cabac,
            BottomFieldPicOrderInFramePresent = bottomFieldPocPresent,
        };
        return true;
    }
}
