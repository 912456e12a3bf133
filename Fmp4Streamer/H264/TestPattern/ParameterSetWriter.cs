namespace Fmp4Streamer.H264.TestPattern;

/// <summary>
/// Writes the pattern's SPS and PPS (H.264 7.3.2.1, 7.3.2.2, E.1.1) as Annex-B NAL units: Constrained Baseline,
/// POC type 2 (output order = decode order), one reference frame, and a VUI telling decoders the frame rate and
/// that no frame is ever reordered, so they output each picture as soon as it is decoded.
/// </summary>
internal static class ParameterSetWriter
{
    public const int ProfileIdcBaseline = 66;
    public const int Log2MaxFrameNum = 8;
    private const int ConstraintFlags = 0b1100_0000;   // constraint_set0 + constraint_set1: Constrained Baseline (A.2.1.1)

    public static int WriteSps(Span<byte> output, int width, int height, int fps, int levelIdc)
    {
        int mbCols = (width + 15) / 16, mbRows = (height + 15) / 16;
        var w = new BitWriter(output);
        w.StartNal(3, 7);
        w.WriteBits(ProfileIdcBaseline, 8);
        w.WriteBits(ConstraintFlags, 8);
        w.WriteBits((uint)levelIdc, 8);
        w.WriteUe(0);                          // seq_parameter_set_id
        w.WriteUe(Log2MaxFrameNum - 4);        // log2_max_frame_num_minus4
        w.WriteUe(2);                          // pic_order_cnt_type
        w.WriteUe(1);                          // max_num_ref_frames
        w.WriteBit(false);                     // gaps_in_frame_num_value_allowed_flag
        w.WriteUe((uint)mbCols - 1);           // pic_width_in_mbs_minus1
        w.WriteUe((uint)mbRows - 1);           // pic_height_in_map_units_minus1
        w.WriteBit(true);                      // frame_mbs_only_flag
        w.WriteBit(true);                      // direct_8x8_inference_flag
        int cropRight = (mbCols * 16 - width) / 2, cropBottom = (mbRows * 16 - height) / 2;   // CropUnitX/Y = 2 (7.4.2.1.1)
        bool crop = cropRight != 0 || cropBottom != 0;
        w.WriteBit(crop);                      // frame_cropping_flag
        if (crop)
        {
            w.WriteUe(0);
            w.WriteUe((uint)cropRight);
            w.WriteUe(0);
            w.WriteUe((uint)cropBottom);
        }
        w.WriteBit(true);                      // vui_parameters_present_flag
        WriteVui(ref w, fps);
        w.EndNal();
        return w.Position;
    }

    public static int WritePps(Span<byte> output)
    {
        var w = new BitWriter(output);
        w.StartNal(3, 8);
        w.WriteUe(0);          // pic_parameter_set_id
        w.WriteUe(0);          // seq_parameter_set_id
        w.WriteBit(false);     // entropy_coding_mode_flag: CAVLC
        w.WriteBit(false);     // bottom_field_pic_order_in_frame_present_flag
        w.WriteUe(0);          // num_slice_groups_minus1
        w.WriteUe(0);          // num_ref_idx_l0_default_active_minus1
        w.WriteUe(0);          // num_ref_idx_l1_default_active_minus1
        w.WriteBit(false);     // weighted_pred_flag
        w.WriteBits(0, 2);     // weighted_bipred_idc
        w.WriteSe(0);          // pic_init_qp_minus26
        w.WriteSe(0);          // pic_init_qs_minus26
        w.WriteSe(0);          // chroma_qp_index_offset
        w.WriteBit(true);      // deblocking_filter_control_present_flag: slices switch the filter off
        w.WriteBit(false);     // constrained_intra_pred_flag
        w.WriteBit(false);     // redundant_pic_cnt_present_flag
        w.EndNal();
        return w.Position;
    }

    private static void WriteVui(ref BitWriter w, int fps)
    {
        w.WriteBit(false);     // aspect_ratio_info_present_flag
        w.WriteBit(false);     // overscan_info_present_flag
        w.WriteBit(false);     // video_signal_type_present_flag
        w.WriteBit(false);     // chroma_loc_info_present_flag
        w.WriteBit(true);      // timing_info_present_flag
        w.WriteBits(1, 32);    // num_units_in_tick
        w.WriteBits((uint)(2 * fps), 32);   // time_scale: two ticks per frame (E.2.1)
        w.WriteBit(true);      // fixed_frame_rate_flag
        w.WriteBit(false);     // nal_hrd_parameters_present_flag
        w.WriteBit(false);     // vcl_hrd_parameters_present_flag
        w.WriteBit(false);     // pic_struct_present_flag
        w.WriteBit(true);      // bitstream_restriction_flag
        w.WriteBit(true);      // motion_vectors_over_pic_boundaries_flag
        w.WriteUe(0);          // max_bytes_per_pic_denom: no limit
        w.WriteUe(0);          // max_bits_per_mb_denom: no limit (I_PCM)
        w.WriteUe(15);         // log2_max_mv_length_horizontal
        w.WriteUe(15);         // log2_max_mv_length_vertical
        w.WriteUe(0);          // max_num_reorder_frames: output at once (Chromium otherwise holds frames back)
        w.WriteUe(1);          // max_dec_frame_buffering
    }
}
