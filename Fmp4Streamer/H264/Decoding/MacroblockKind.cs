namespace Fmp4Streamer.H264.Decoding;

/// <summary>How a macroblock was coded, as far as neighbours, deblocking and later users care.</summary>
public enum MacroblockKind : byte
{
    NotDecoded = 0,
    Intra4x4,
    Intra8x8,
    Intra16x16,
    IPcm,
    PSkip,
    Inter,
    BSkip,

    /// <summary>B_Direct_16x16: direct prediction with a residual.</summary>
    BDirect16x16,
}
