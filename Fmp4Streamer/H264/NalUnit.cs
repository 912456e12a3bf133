namespace Fmp4Streamer.H264;

/// <summary>Reads the one-byte NAL unit header (H.264 7.3.1) and classifies types.</summary>
public static class NalUnit
{
    /// <summary>nal_unit_type is the low five bits of the header byte.</summary>
    public static NalUnitType TypeOf(byte header) => (NalUnitType)(header & 0x1F);

    /// <summary>Type of a NAL given without its start code; <see cref="NalUnitType.Unspecified"/> when empty.</summary>
    public static NalUnitType TypeOf(ReadOnlySpan<byte> nal) => nal.IsEmpty ? NalUnitType.Unspecified : TypeOf(nal[0]);

    /// <summary>nal_ref_idc: zero for NALs no other picture refers to.</summary>
    public static int RefIdcOf(byte header) => (header >> 5) & 3;

    /// <summary>Slices of a primary coded picture (types 1 to 5, H.264 7.4.1.2.3).</summary>
    public static bool IsVcl(this NalUnitType type) => type >= NalUnitType.Slice && type <= NalUnitType.Idr;

    /// <summary>
    /// Types that, once a picture's slices have been seen, open the next access unit
    /// (H.264 7.4.1.2.3: AUD, SPS, PPS, SEI and types 14 to 18).
    /// </summary>
    public static bool StartsAccessUnit(this NalUnitType type) =>
        type is NalUnitType.AccessUnitDelimiter or NalUnitType.Sps or NalUnitType.Pps or NalUnitType.Sei
            or (>= NalUnitType.Prefix and <= NalUnitType.Reserved18);
}
