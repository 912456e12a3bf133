using Fmp4Streamer.H264;

namespace Fmp4Streamer.H264.Decoding;

/// <summary>What inter macroblocks of one P or B slice predict from: reference lists 0 and 1 and the explicit weights, if any.</summary>
public sealed class InterContext
{
    /// <summary>List 0 by reference index (num_ref_idx_l0_active entries; null where no picture exists).</summary>
    public readonly DecodedPicture?[] List0 = new DecodedPicture?[33];
    public int NumRefActive;

    /// <summary>List 1 of a B slice by reference index (num_ref_idx_l1_active entries).</summary>
    public readonly DecodedPicture?[] List1 = new DecodedPicture?[33];
    public int NumRefActiveL1;

    /// <summary>The slice's pred_weight_table when weighted_pred_flag applies, else null.</summary>
    public PredWeightTable? Weights;
}
