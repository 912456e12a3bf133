namespace Fmp4Streamer.H264;

/// <summary>
/// A picture parameter set (H.264 7.3.2.2), every field: what the slice header syntax depends on (picture order
/// and reference index defaults, weighted prediction, redundant pictures, deblocking control, slice groups) and
/// what a decoder needs (entropy coder, QP, 8x8 transform, scaling lists). The per-slice-group map arrays of
/// flexible macroblock ordering are read past, not kept: no profile this program decodes uses slice groups.
/// </summary>
public readonly record struct Pps
{
    public int PicParameterSetId { get; init; }
    public int SeqParameterSetId { get; init; }

    /// <summary>True for CABAC, false for CAVLC.</summary>
    public bool EntropyCodingModeFlag { get; init; }

    /// <summary>bottom_field_pic_order_in_frame_present_flag: slice headers carry delta_pic_order_cnt_bottom.</summary>
    public bool BottomFieldPicOrderInFramePresent { get; init; }

    /// <summary>num_slice_groups_minus1 + 1.</summary>
    public int NumSliceGroups { get; init; }
    public int SliceGroupMapType { get; init; }
    public bool SliceGroupChangeDirection { get; init; }

    /// <summary>slice_group_change_rate_minus1 + 1 (map types 3 to 5), else 0.</summary>
    public int SliceGroupChangeRate { get; init; }

    /// <summary>num_ref_idx_l0_default_active_minus1 + 1, and the same for list 1.</summary>
    public int NumRefIdxL0DefaultActive { get; init; }
    public int NumRefIdxL1DefaultActive { get; init; }
    public bool WeightedPred { get; init; }

    /// <summary>weighted_bipred_idc: 0 default, 1 explicit (pred_weight_table in B slices), 2 implicit.</summary>
    public int WeightedBipredIdc { get; init; }

    /// <summary>pic_init_qp_minus26 + 26 and pic_init_qs_minus26 + 26.</summary>
    public int PicInitQp { get; init; }
    public int PicInitQs { get; init; }
    public int ChromaQpIndexOffset { get; init; }
    public bool DeblockingFilterControlPresent { get; init; }
    public bool ConstrainedIntraPred { get; init; }
    public bool RedundantPicCntPresent { get; init; }
    public bool Transform8x8Mode { get; init; }
    public bool PicScalingMatrixPresent { get; init; }

    /// <summary>Equal to <see cref="ChromaQpIndexOffset"/> when not coded (7.4.2.2).</summary>
    public int SecondChromaQpIndexOffset { get; init; }

    /// <summary>The lists the PPS codes (bit i of <see cref="ScalingListPresentMask"/> for list i); resolve with <see cref="ScalingMatrixFor"/>.</summary>
    public ScalingMatrix CodedScalingMatrix { get; init; }
    public int ScalingListPresentMask { get; init; }

    /// <summary>
    /// The scaling lists of pictures using this PPS with <paramref name="sps"/> (7.4.2.2): the sequence's when the
    /// PPS codes none; else the PPS's, absent lists filled by fall-back rule A (SPS without a matrix) or rule B.
    /// </summary>
    public ScalingMatrix ScalingMatrixFor(in Sps sps)
    {
        var sequence = sps.SeqScalingMatrixPresent ? sps.ScalingMatrix : ScalingMatrix.Flat;
        if (!PicScalingMatrixPresent) return sequence;
        return CodedScalingMatrix.WithFallbacks(ScalingListPresentMask, sps.SeqScalingMatrixPresent, sequence);
    }

    /// <summary>
    /// Parses a PPS NAL given without start code; false (never an exception) when truncated or invalid. The PPS does
    /// not depend on its SPS except for how many 8x8 lists a 4:4:4 stream codes: pass that SPS's chroma_format_idc
    /// when known (the default, 4:2:0, is right for every other stream).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> nal, out Pps pps, int chromaFormatIdc = 1)
    {
        pps = default;
        if (nal.Length < 2 || NalUnit.TypeOf(nal[0]) != NalUnitType.Pps) return false;
        var r = new BitReader(nal.Slice(1));
        uint ppsId = r.ReadUe();
        uint spsId = r.ReadUe();
        bool cabac = r.ReadFlag();
        bool bottomFieldPocPresent = r.ReadFlag();
        uint sliceGroups = r.ReadUe() + 1;
        if (r.Failed || ppsId > 255 || spsId > 31 || sliceGroups is 0 or > 8) return false;

        uint mapType = 0, changeRate = 0;
        bool changeDirection = false;
        if (sliceGroups > 1)
        {
            mapType = r.ReadUe();
            if (!SkipSliceGroupMap(ref r, mapType, sliceGroups, ref changeDirection, ref changeRate)) return false;
        }

        uint refIdxL0 = r.ReadUe() + 1;
        uint refIdxL1 = r.ReadUe() + 1;
        bool weightedPred = r.ReadFlag();
        uint weightedBipred = r.ReadBits(2);
        int initQp = 26 + r.ReadSe();
        int initQs = 26 + r.ReadSe();
        int chromaQpOffset = r.ReadSe();
        bool deblockingControl = r.ReadFlag();
        bool constrainedIntra = r.ReadFlag();
        bool redundantPicCnt = r.ReadFlag();
        if (r.Failed || refIdxL0 is 0 or > 32 || refIdxL1 is 0 or > 32 || weightedBipred > 2
            || initQp is < -36 or > 51 || initQs is < 0 or > 51 || chromaQpOffset is < -12 or > 12)
        {
            return false; // QP bounds: -(26 + QpBdOffsetY) for 14-bit video down to 51 (7.4.2.2)
        }

        bool transform8x8 = false, scalingPresent = false;
        var coded = default(ScalingMatrix);
        int presentMask = 0;
        int secondChromaQpOffset = chromaQpOffset;
        if (r.MoreRbspData())
        {
            transform8x8 = r.ReadFlag();
            scalingPresent = r.ReadFlag();
            if (scalingPresent)
            {
                int lists = 6 + (chromaFormatIdc == 3 ? 6 : 2) * (transform8x8 ? 1 : 0);
                if (!ScalingMatrix.TryReadCoded(ref r, lists, out coded, out presentMask)) return false;
            }
            secondChromaQpOffset = r.ReadSe();
            if (r.Failed || secondChromaQpOffset is < -12 or > 12) return false;
        }

        pps = new Pps
        {
            PicParameterSetId = (int)ppsId,
            SeqParameterSetId = (int)spsId,
            EntropyCodingModeFlag = cabac,
            BottomFieldPicOrderInFramePresent = bottomFieldPocPresent,
            NumSliceGroups = (int)sliceGroups,
            SliceGroupMapType = (int)mapType,
            SliceGroupChangeDirection = changeDirection,
            SliceGroupChangeRate = (int)changeRate,
            NumRefIdxL0DefaultActive = (int)refIdxL0,
            NumRefIdxL1DefaultActive = (int)refIdxL1,
            WeightedPred = weightedPred,
            WeightedBipredIdc = (int)weightedBipred,
            PicInitQp = initQp,
            PicInitQs = initQs,
            ChromaQpIndexOffset = chromaQpOffset,
            DeblockingFilterControlPresent = deblockingControl,
            ConstrainedIntraPred = constrainedIntra,
            RedundantPicCntPresent = redundantPicCnt,
            Transform8x8Mode = transform8x8,
            PicScalingMatrixPresent = scalingPresent,
            CodedScalingMatrix = coded,
            ScalingListPresentMask = presentMask,
            SecondChromaQpIndexOffset = secondChromaQpOffset,
        };
        return true;
    }

    /// <summary>The slice group map syntax of 7.3.2.2 for <paramref name="mapType"/>, keeping only what slice headers need.</summary>
    private static bool SkipSliceGroupMap(ref BitReader r, uint mapType, uint sliceGroups, ref bool changeDirection,
        ref uint changeRate)
    {
        switch (mapType)
        {
            case 0:
                for (uint i = 0; i < sliceGroups && !r.Failed; i++) r.ReadUe(); // run_length_minus1
                break;
            case 2:
                for (uint i = 0; i + 1 < sliceGroups && !r.Failed; i++)
                {
                    r.ReadUe(); // top_left
                    r.ReadUe(); // bottom_right
                }
                break;
            case 3:
            case 4:
            case 5:
                changeDirection = r.ReadFlag();
                changeRate = r.ReadUe() + 1;
                if (changeRate == 0) return false;
                break;
            case 6:
                uint mapUnits = r.ReadUe() + 1;
                if (mapUnits == 0 || mapUnits > 139264) return false; // level 6.2's frame size in macroblocks
                int bits = 32 - System.Numerics.BitOperations.LeadingZeroCount(sliceGroups - 1); // Ceil(Log2(groups))
                for (uint i = 0; i < mapUnits && !r.Failed; i++) r.SkipBits(bits); // slice_group_id
                break;
            case 1:
                break;
            default:
                return false;
        }
        return !r.Failed;
    }
}
