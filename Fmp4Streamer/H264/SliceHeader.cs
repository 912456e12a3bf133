namespace Fmp4Streamer.H264;

/// <summary>
/// Every field of one slice_header() (H.264 7.3.3), with the values the semantics infer when a field is absent
/// (reference index counts from the PPS, deblocking on, and so on). A reusable object: <see cref="SliceHeaderParser"/>
/// overwrites it for each slice and allocates nothing, its modification, weight and marking tables included.
/// </summary>
public sealed class SliceHeader
{
    /// <summary>nal_unit_type of the slice's NAL (1, 2 or 5) and its nal_ref_idc.</summary>
    public NalUnitType NalUnitType { get; internal set; }
    public int NalRefIdc { get; internal set; }
    public bool IdrPicFlag => NalUnitType == NalUnitType.Idr;

    /// <summary>A reference picture: other pictures may predict from it, and it moves the picture order count state.</summary>
    public bool IsReference => NalRefIdc != 0;

    public int FirstMbInSlice { get; internal set; }

    /// <summary>slice_type as coded (0..9) and its kind (the value modulo 5).</summary>
    public int SliceTypeValue { get; internal set; }
    public SliceType SliceType => (SliceType)(SliceTypeValue % 5);
    public int PicParameterSetId { get; internal set; }
    public int SeqParameterSetId { get; internal set; }

    /// <summary>colour_plane_id, for separate_colour_plane_flag streams only.</summary>
    public int ColourPlaneId { get; internal set; }
    public int FrameNum { get; internal set; }
    public bool FieldPic { get; internal set; }
    public bool BottomField { get; internal set; }

    /// <summary>MbaffFrameFlag (7-25): macroblock-adaptive frame/field coding in this frame.</summary>
    public bool MbaffFrame { get; internal set; }
    public int IdrPicId { get; internal set; }
    public int PicOrderCntLsb { get; internal set; }
    public int DeltaPicOrderCntBottom { get; internal set; }

    /// <summary>delta_pic_order_cnt[0] and [1] (pic_order_cnt_type 1).</summary>
    public int DeltaPicOrderCnt0 { get; internal set; }
    public int DeltaPicOrderCnt1 { get; internal set; }
    public int RedundantPicCnt { get; internal set; }
    public bool DirectSpatialMvPred { get; internal set; }
    public bool NumRefIdxActiveOverride { get; internal set; }

    /// <summary>num_ref_idx_l0_active_minus1 + 1 and the same for list 1; 0 for lists the slice type does not use.</summary>
    public int NumRefIdxL0Active { get; internal set; }
    public int NumRefIdxL1Active { get; internal set; }
    public RefPicListModification RefPicListModificationL0 { get; } = new();
    public RefPicListModification RefPicListModificationL1 { get; } = new();

    /// <summary>True when the slice codes pred_weight_table() (explicit weighted prediction).</summary>
    public bool HasPredWeightTable { get; internal set; }
    public PredWeightTable PredWeightTable { get; } = new();

    /// <summary>dec_ref_pic_marking(), coded in reference slices only (<see cref="IsReference"/>).</summary>
    public RefPicMarking DecRefPicMarking { get; } = new();

    /// <summary>True when the slice includes memory_management_control_operation 5.</summary>
    public bool HasMmco5 => IsReference && DecRefPicMarking.HasMemoryManagementControlOperation5;
    public int CabacInitIdc { get; internal set; }
    public int SliceQpDelta { get; internal set; }

    /// <summary>SliceQPY (7-30): 26 + pic_init_qp_minus26 + slice_qp_delta.</summary>
    public int SliceQp { get; internal set; }
    public bool SpForSwitch { get; internal set; }
    public int SliceQsDelta { get; internal set; }

    /// <summary>QSY (7-31), SP and SI slices only.</summary>
    public int SliceQs { get; internal set; }

    /// <summary>0 filters every edge, 1 none, 2 none across slice boundaries.</summary>
    public int DisableDeblockingFilterIdc { get; internal set; }
    public int SliceAlphaC0OffsetDiv2 { get; internal set; }
    public int SliceBetaOffsetDiv2 { get; internal set; }
    public int SliceGroupChangeCycle { get; internal set; }

    /// <summary>RBSP bits after the NAL header byte that the header took: where slice_data() begins.</summary>
    public int HeaderBitLength { get; internal set; }
}
