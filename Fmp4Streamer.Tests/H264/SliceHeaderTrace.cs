using Fmp4Streamer.H264;

namespace Fmp4Streamer.Tests.H264;

/// <summary>
/// Writes a parsed slice header back as the (name, value) list of syntax elements ffmpeg's trace_headers prints, in
/// syntax order (7.3.3), so a parse can be compared with an independent parser field by field. Array indices are
/// left out of the names (ffmpeg prints some and not others).
/// </summary>
internal static class SliceHeaderTrace
{
    public static List<(string Name, long Value)> Of(SliceHeader h, in Sps sps, in Pps pps)
    {
        var t = new List<(string, long)>();
        void Add(string name, long value) => t.Add((name, value));
        var type = h.SliceType;
        Add("first_mb_in_slice", h.FirstMbInSlice);
        Add("slice_type", h.SliceTypeValue);
        Add("pic_parameter_set_id", h.PicParameterSetId);
        if (sps.SeparateColourPlane) Add("colour_plane_id", h.ColourPlaneId);
        Add("frame_num", h.FrameNum);
        if (!sps.FrameMbsOnly)
        {
            Add("field_pic_flag", h.FieldPic ? 1 : 0);
            if (h.FieldPic) Add("bottom_field_flag", h.BottomField ? 1 : 0);
        }
        if (h.IdrPicFlag) Add("idr_pic_id", h.IdrPicId);
        bool bottomInFrame = pps.BottomFieldPicOrderInFramePresent && !h.FieldPic;
        if (sps.PicOrderCntType == 0)
        {
            Add("pic_order_cnt_lsb", h.PicOrderCntLsb);
            if (bottomInFrame) Add("delta_pic_order_cnt_bottom", h.DeltaPicOrderCntBottom);
        }
        if (sps.PicOrderCntType == 1 && !sps.DeltaPicOrderAlwaysZero)
        {
            Add("delta_pic_order_cnt", h.DeltaPicOrderCnt0);
            if (bottomInFrame) Add("delta_pic_order_cnt", h.DeltaPicOrderCnt1);
        }
        if (pps.RedundantPicCntPresent) Add("redundant_pic_cnt", h.RedundantPicCnt);
        if (type == SliceType.B) Add("direct_spatial_mv_pred_flag", h.DirectSpatialMvPred ? 1 : 0);
        if (type is SliceType.P or SliceType.SP or SliceType.B)
        {
            Add("num_ref_idx_active_override_flag", h.NumRefIdxActiveOverride ? 1 : 0);
            if (h.NumRefIdxActiveOverride)
            {
                Add("num_ref_idx_l0_active_minus1", h.NumRefIdxL0Active - 1);
                if (type == SliceType.B) Add("num_ref_idx_l1_active_minus1", h.NumRefIdxL1Active - 1);
            }
        }
        if (type is not (SliceType.I or SliceType.SI)) Modification(t, "l0", h.RefPicListModificationL0);
        if (type == SliceType.B) Modification(t, "l1", h.RefPicListModificationL1);
        if (h.HasPredWeightTable)
        {
            var w = h.PredWeightTable;
            Add("luma_log2_weight_denom", w.LumaLog2WeightDenom);
            if (sps.ChromaArrayType != 0) Add("chroma_log2_weight_denom", w.ChromaLog2WeightDenom);
            for (int i = 0; i < w.CountL0; i++) Weights(t, "l0", w.L0(i), sps.ChromaArrayType != 0);
            for (int i = 0; i < w.CountL1; i++) Weights(t, "l1", w.L1(i), sps.ChromaArrayType != 0);
        }
        if (h.IsReference)
        {
            var m = h.DecRefPicMarking;
            if (h.IdrPicFlag)
            {
                Add("no_output_of_prior_pics_flag", m.NoOutputOfPriorPics ? 1 : 0);
                Add("long_term_reference_flag", m.LongTermReference ? 1 : 0);
            }
            else
            {
                Add("adaptive_ref_pic_marking_mode_flag", m.AdaptiveRefPicMarkingMode ? 1 : 0);
                for (int i = 0; i < m.Count; i++)
                {
                    var op = m[i];
                    Add("memory_management_control_operation", op.Operation);
                    if (op.Operation is 1 or 3) Add("difference_of_pic_nums_minus1", op.DifferenceOfPicNumsMinus1);
                    if (op.Operation == 2) Add("long_term_pic_num", op.LongTermPicNum);
                    if (op.Operation is 3 or 6) Add("long_term_frame_idx", op.LongTermFrameIdx);
                    if (op.Operation == 4) Add("max_long_term_frame_idx_plus1", op.MaxLongTermFrameIdxPlus1);
                }
                if (m.AdaptiveRefPicMarkingMode) Add("memory_management_control_operation", 0);
            }
        }
        if (pps.EntropyCodingModeFlag && type is not (SliceType.I or SliceType.SI)) Add("cabac_init_idc", h.CabacInitIdc);
        Add("slice_qp_delta", h.SliceQpDelta);
        if (type is SliceType.SP or SliceType.SI)
        {
            if (type == SliceType.SP) Add("sp_for_switch_flag", h.SpForSwitch ? 1 : 0);
            Add("slice_qs_delta", h.SliceQsDelta);
        }
        if (pps.DeblockingFilterControlPresent)
        {
            Add("disable_deblocking_filter_idc", h.DisableDeblockingFilterIdc);
            if (h.DisableDeblockingFilterIdc != 1)
            {
                Add("slice_alpha_c0_offset_div2", h.SliceAlphaC0OffsetDiv2);
                Add("slice_beta_offset_div2", h.SliceBetaOffsetDiv2);
            }
        }
        if (pps.NumSliceGroups > 1 && pps.SliceGroupMapType is >= 3 and <= 5) Add("slice_group_change_cycle", h.SliceGroupChangeCycle);
        return t;
    }

    private static void Modification(List<(string, long)> t, string list, RefPicListModification m)
    {
        t.Add(($"ref_pic_list_modification_flag_{list}", m.Present ? 1 : 0));
        if (!m.Present) return;
        for (int i = 0; i < m.Count; i++)
        {
            var op = m[i];
            t.Add(("modification_of_pic_nums_idc", op.ModificationOfPicNumsIdc));
            t.Add((op.ModificationOfPicNumsIdc == 2 ? "long_term_pic_num" : "abs_diff_pic_num_minus1", op.Value));
        }
        t.Add(("modification_of_pic_nums_idc", 3));
    }

    private static void Weights(List<(string, long)> t, string list, PredWeight w, bool chroma)
    {
        t.Add(($"luma_weight_{list}_flag", w.LumaWeightFlag ? 1 : 0));
        if (w.LumaWeightFlag)
        {
            t.Add(($"luma_weight_{list}", w.LumaWeight));
            t.Add(($"luma_offset_{list}", w.LumaOffset));
        }
        if (!chroma) return;
        t.Add(($"chroma_weight_{list}_flag", w.ChromaWeightFlag ? 1 : 0));
        if (!w.ChromaWeightFlag) return;
        t.Add(($"chroma_weight_{list}", w.CbWeight));
        t.Add(($"chroma_offset_{list}", w.CbOffset));
        t.Add(($"chroma_weight_{list}", w.CrWeight));
        t.Add(($"chroma_offset_{list}", w.CrOffset));
    }
}
