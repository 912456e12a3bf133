namespace Fmp4Streamer.H264;

/// <summary>
/// The explicit weights of one reference index (H.264 7.4.3.2), defaults filled in: a weight without its flag is
/// 2^log2_weight_denom and its offset 0, so weighting with them changes nothing.
/// </summary>
public readonly record struct PredWeight(
    bool LumaWeightFlag,
    int LumaWeight,
    int LumaOffset,
    bool ChromaWeightFlag,
    int CbWeight,
    int CbOffset,
    int CrWeight,
    int CrOffset);
