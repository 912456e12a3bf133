using Fmp4Streamer.H264;

namespace Fmp4Streamer.H264.Decoding;

/// <summary>What inter macroblocks of one P or B slice predict from: reference lists 0 and 1, the weights, and direct mode.</summary>
public sealed class InterContext
{
    public const int MaxReferences = 32;

    /// <summary>List 0 by reference index (num_ref_idx_l0_active entries; null where no picture exists).</summary>
    public readonly DecodedPicture?[] List0 = new DecodedPicture?[MaxReferences + 1];
    public int NumRefActive;

    /// <summary>List 1 of a B slice by reference index (num_ref_idx_l1_active entries).</summary>
    public readonly DecodedPicture?[] List1 = new DecodedPicture?[MaxReferences + 1];
    public int NumRefActiveL1;

    /// <summary>The slice's pred_weight_table when explicit weighted prediction applies, else null.</summary>
    public PredWeightTable? Weights;

    /// <summary>weighted_bipred_idc of a B slice: 0 default, 1 explicit (<see cref="Weights"/>), 2 implicit.</summary>
    public int WeightedBipredIdc;

    /// <summary>Implicit weight w0 of list 0 index i with list 1 index j at [i * MaxReferences + j] (w1 is 64 - w0).</summary>
    public readonly short[] ImplicitWeightL0 = new short[MaxReferences * MaxReferences];

    /// <summary>PicOrderCnt of the picture being decoded.</summary>
    public int CurrentPoc;

    /// <summary>direct_spatial_mv_pred_flag of a B slice; temporal direct prediction when false.</summary>
    public bool DirectSpatial;

    /// <summary>direct_8x8_inference_flag of the SPS.</summary>
    public bool Direct8x8Inference;
}
