namespace Fmp4Streamer.H264.Decoding;

/// <summary>What macroblock decoding needs from one slice's header and its parameter sets.</summary>
public struct SliceParameters
{
    /// <summary>Decoder-wide counter, distinct for every slice decoded, for the same-slice test of neighbours.</summary>
    public int SliceNumber;

    /// <summary>slice_type % 5: 0 P, 1 B, 2 I.</summary>
    public int SliceType;
    public int FirstMbInSlice;

    /// <summary>26 + pic_init_qp_minus26 + slice_qp_delta.</summary>
    public int SliceQp;
    public int ChromaQpIndexOffset;
    public int SecondChromaQpIndexOffset;
    public bool ConstrainedIntraPred;
    public bool Transform8x8Mode;
    public bool Cabac;
    public int CabacInitIdc;

    /// <summary>disable_deblocking_filter_idc: 0 filter, 1 off, 2 not across slice edges.</summary>
    public int DisableDeblockingFilterIdc;

    /// <summary>FilterOffsetA and FilterOffsetB: slice_alpha_c0_offset_div2 and slice_beta_offset_div2, doubled.</summary>
    public int FilterOffsetA;
    public int FilterOffsetB;
}
