namespace Fmp4Streamer.H264;

/// <summary>
/// A sequence parameter set (H.264 7.3.2.1.1) with every field a slice header parser, the picture order count and
/// a decoder need, and the VUI timing and reorder depth a muxer needs. Scaling lists are stored with fall-back
/// rule A applied (<see cref="ScalingMatrix"/>), flat when absent.
/// </summary>
public readonly record struct Sps
{
    /// <summary>Largest picture accepted, in macroblocks per side (8192 pixels, above every level's limit).</summary>
    private const uint MaxSizeInMbs = 512;

    public byte ProfileIdc { get; init; }

    /// <summary>constraint_set0_flag..constraint_set5_flag and the two reserved bits, as the byte they occupy.</summary>
    public byte ConstraintFlags { get; init; }
    public byte LevelIdc { get; init; }
    public int SeqParameterSetId { get; init; }
    public int ChromaFormatIdc { get; init; }
    public bool SeparateColourPlane { get; init; }
    public int BitDepthLuma { get; init; }
    public int BitDepthChroma { get; init; }
    public bool QpprimeYZeroTransformBypass { get; init; }
    public bool SeqScalingMatrixPresent { get; init; }

    /// <summary>The sequence's scaling lists (rule A applied), or <see cref="ScalingMatrix.Flat"/> when not coded.</summary>
    public ScalingMatrix ScalingMatrix { get; init; }
    public int Log2MaxFrameNum { get; init; }
    public int PicOrderCntType { get; init; }

    /// <summary>log2_max_pic_order_cnt_lsb (pic_order_cnt_type 0 only, else 0).</summary>
    public int Log2MaxPicOrderCntLsb { get; init; }

    // pic_order_cnt_type 1 only (7.4.2.1.1), else false / 0.
    public bool DeltaPicOrderAlwaysZero { get; init; }
    public int OffsetForNonRefPic { get; init; }
    public int OffsetForTopToBottomField { get; init; }
    public int NumRefFramesInPicOrderCntCycle { get; init; }

    /// <summary>offset_for_ref_frame[i], i &lt; <see cref="NumRefFramesInPicOrderCntCycle"/>.</summary>
    public OffsetForRefFrameTable OffsetForRefFrame { get; init; }

    /// <summary>ExpectedDeltaPerPicOrderCntCycle (7-12): the sum of <see cref="OffsetForRefFrame"/>.</summary>
    public int ExpectedDeltaPerPicOrderCntCycle { get; init; }
    public int MaxNumRefFrames { get; init; }
    public bool GapsInFrameNumValueAllowed { get; init; }
    public int PicWidthInMbs { get; init; }
    public int PicHeightInMapUnits { get; init; }
    public bool FrameMbsOnly { get; init; }
    public bool MbAdaptiveFrameField { get; init; }
    public bool Direct8x8Inference { get; init; }
    public bool FrameCroppingFlag { get; init; }

    /// <summary>frame_crop_*_offset in crop units (H.264 7.4.2.1.1, equations 7-19 to 7-22).</summary>
    public int FrameCropLeftOffset { get; init; }
    public int FrameCropRightOffset { get; init; }
    public int FrameCropTopOffset { get; init; }
    public int FrameCropBottomOffset { get; init; }

    /// <summary>Decoded size in pixels, before cropping.</summary>
    public int CodedWidth { get; init; }
    public int CodedHeight { get; init; }

    /// <summary>Displayed size in pixels, cropping applied.</summary>
    public int Width { get; init; }
    public int Height { get; init; }

    /// <summary>Sample aspect ratio from the VUI; 0:0 when absent or unspecified.</summary>
    public int SarWidth { get; init; }
    public int SarHeight { get; init; }

    public bool TimingInfoPresent { get; init; }
    public uint NumUnitsInTick { get; init; }
    public uint TimeScale { get; init; }
    public bool FixedFrameRate { get; init; }
    public bool PicStructPresent { get; init; }

    /// <summary>VUI bitstream_restriction_flag: <see cref="MaxNumReorderFrames"/> and <see cref="MaxDecFrameBuffering"/> were coded.</summary>
    public bool BitstreamRestriction { get; init; }

    /// <summary>
    /// VUI max_num_reorder_frames: 0 means output order is decode order (no B-frames, no composition offsets);
    /// null when the SPS does not say (then up to the DPB size may be reordered).
    /// </summary>
    public int? MaxNumReorderFrames { get; init; }
    public int? MaxDecFrameBuffering { get; init; }

    /// <summary>MaxFrameNum (7-10).</summary>
    public int MaxFrameNum => 1 << Log2MaxFrameNum;

    /// <summary>MaxPicOrderCntLsb (7-11), for pic_order_cnt_type 0.</summary>
    public int MaxPicOrderCntLsb => 1 << Log2MaxPicOrderCntLsb;

    /// <summary>ChromaArrayType (7.4.2.1.1): 0 for monochrome or separately coded colour planes.</summary>
    public int ChromaArrayType => SeparateColourPlane ? 0 : ChromaFormatIdc;

    /// <summary>FrameHeightInMbs (7-18).</summary>
    public int FrameHeightInMbs => (FrameMbsOnly ? 1 : 2) * PicHeightInMapUnits;

    /// <summary>PicSizeInMapUnits (7-16).</summary>
    public int PicSizeInMapUnits => PicWidthInMbs * PicHeightInMapUnits;

    /// <summary>
    /// MaxDpbFrames (A.3.1 item h): how many frames the level's MaxDpbMbs (Table A-1) holds at this picture size,
    /// at most 16.
    /// </summary>
    public int MaxDpbFrames
    {
        get
        {
            int frameMbs = PicWidthInMbs * FrameHeightInMbs;
            return frameMbs <= 0 ? 16 : Math.Min(MaxDpbMbs / frameMbs, 16);
        }
    }

    /// <summary>
    /// How many frames may precede a frame in decoding order and follow it in output order: VUI
    /// max_num_reorder_frames when coded; 0 when output order is decoding order by construction (pic_order_cnt_type
    /// 2, or a profile without B slices: Baseline, and the intra-only profiles); else max_dec_frame_buffering, or
    /// the level's DPB size (the bound C.4.5.3 bumping gives).
    /// </summary>
    public int ReorderDepth
    {
        get
        {
            if (MaxNumReorderFrames is int coded) return coded;
            if (PicOrderCntType == 2 || ProfileIdc == 66 || ProfileIdc == 44) return 0;
            bool intraOnly = (ConstraintFlags & 0x10) != 0 && ProfileIdc is 100 or 110 or 122 or 244;
            if (intraOnly) return 0;
            return MaxDecFrameBuffering ?? MaxDpbFrames;
        }
    }

    /// <summary>MaxDpbMbs of Table A-1 for the level (level_idc 11 with constraint_set3 is level 1b).</summary>
    private int MaxDpbMbs => LevelIdc switch
    {
        9 or 10 => 396,
        11 => (ConstraintFlags & 0x10) != 0 && ProfileIdc is 66 or 77 or 88 ? 396 : 900,
        12 or 13 or 20 => 2376,
        21 => 4752,
        22 or 30 => 8100,
        31 => 18000,
        32 => 20480,
        40 or 41 => 32768,
        42 => 34816,
        50 => 110400,
        51 or 52 => 184320,
        _ => 696320, // levels 6 to 6.2, and unknown levels: the largest
    };

    /// <summary>Frames per second from the VUI timing (time_scale / (2 * num_units_in_tick), Annex E), or null.</summary>
    public double? FrameRate =>
        TimingInfoPresent && NumUnitsInTick != 0 && TimeScale != 0 ? TimeScale / (2.0 * NumUnitsInTick) : null;

    /// <summary>RFC 6381 codecs parameter, "avc1.PPCCLL" in lowercase hex: profile, constraint byte, level.</summary>
    public string CodecsString => $"avc1.{ProfileIdc:x2}{ConstraintFlags:x2}{LevelIdc:x2}";

    /// <summary>Profiles whose SPS carries chroma_format_idc and bit depths (H.264 7.3.2.1.1).</summary>
    public static bool HasChromaInfo(int profileIdc) => profileIdc is 100 or 110 or 122 or 244 or 44 or 83 or 86
        or 118 or 128 or 138 or 139 or 134 or 135;

    /// <summary>
    /// Parses an SPS NAL given without start code (header byte first). Returns false, never throws, on a
    /// truncated or invalid SPS. A truncated VUI leaves the timing fields unset rather than failing.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> nal, out Sps sps)
    {
        sps = default;
        if (nal.Length < 4 || NalUnit.TypeOf(nal[0]) != NalUnitType.Sps) return false;

        var r = new BitReader(nal.Slice(1));
        byte profileIdc = (byte)r.ReadBits(8);
        byte constraintFlags = (byte)r.ReadBits(8);
        byte levelIdc = (byte)r.ReadBits(8);
        uint spsId = r.ReadUe();
        if (r.Failed || spsId > 31) return false;

        uint chromaFormatIdc = 1;
        bool separateColourPlane = false;
        uint bitDepthLuma = 8, bitDepthChroma = 8;
        bool transformBypass = false, scalingMatrixPresent = false;
        var scalingMatrix = ScalingMatrix.Flat;
        if (HasChromaInfo(profileIdc))
        {
            chromaFormatIdc = r.ReadUe();
            if (chromaFormatIdc > 3) return false;
            if (chromaFormatIdc == 3) separateColourPlane = r.ReadFlag();
            bitDepthLuma = 8 + r.ReadUe();
            bitDepthChroma = 8 + r.ReadUe();
            if (bitDepthLuma > 14 || bitDepthChroma > 14) return false;
            transformBypass = r.ReadFlag();
            scalingMatrixPresent = r.ReadFlag();
            if (scalingMatrixPresent)
            {
                if (!ScalingMatrix.TryReadCoded(ref r, chromaFormatIdc == 3 ? 12 : 8, out var coded, out int present))
                    return false;
                scalingMatrix = coded.WithFallbacks(present, ruleB: false, default);
            }
        }

        uint log2MaxFrameNum = 4 + r.ReadUe();
        if (log2MaxFrameNum > 16) return false;
        uint pocType = r.ReadUe();
        uint log2MaxPocLsb = 0;
        bool deltaAlwaysZero = false;
        int offsetForNonRefPic = 0, offsetForTopToBottomField = 0, expectedDelta = 0;
        uint cycle = 0;
        var offsetForRefFrame = default(OffsetForRefFrameTable);
        if (pocType == 0)
        {
            log2MaxPocLsb = 4 + r.ReadUe();
            if (log2MaxPocLsb > 16) return false;
        }
        else if (pocType == 1)
        {
            deltaAlwaysZero = r.ReadFlag();
            offsetForNonRefPic = r.ReadSe();
            offsetForTopToBottomField = r.ReadSe();
            cycle = r.ReadUe();
            if (cycle > OffsetForRefFrameTable.MaxLength) return false;
            for (int i = 0; i < (int)cycle && !r.Failed; i++)
            {
                offsetForRefFrame[i] = r.ReadSe();
                expectedDelta += offsetForRefFrame[i]; // each is within ±2^31-1 per 7.4.2.1.1; the sum wraps like C
            }
        }
        else if (pocType > 2)
        {
            return false;
        }

        uint maxNumRefFrames = r.ReadUe();
        bool gaps = r.ReadFlag();
        uint widthInMbs = r.ReadUe() + 1;
        uint heightInMapUnits = r.ReadUe() + 1;
        bool frameMbsOnly = r.ReadFlag();
        bool mbAdaptive = !frameMbsOnly && r.ReadFlag();
        bool direct8x8 = r.ReadFlag();
        if (r.Failed || maxNumRefFrames > 16 || widthInMbs > MaxSizeInMbs || heightInMapUnits > MaxSizeInMbs
            || widthInMbs == 0 || heightInMapUnits == 0)
        {
            return false; // widthInMbs == 0 means ue wrapped: 0xFFFFFFFF + 1
        }

        uint cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        bool cropping = r.ReadFlag();
        if (cropping)
        {
            cropLeft = r.ReadUe();
            cropRight = r.ReadUe();
            cropTop = r.ReadUe();
            cropBottom = r.ReadUe();
        }
        if (r.Failed) return false;

        int codedWidth = (int)widthInMbs * 16;
        int codedHeight = (int)heightInMapUnits * 16 * (frameMbsOnly ? 1 : 2);

        // Equations 7-19 to 7-22: crop units follow the chroma subsampling and, for field coding, double vertically.
        uint chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
        int subWidthC = chromaFormatIdc == 3 ? 1 : 2;
        int subHeightC = chromaFormatIdc == 1 ? 2 : 1;
        long cropUnitX = chromaArrayType == 0 ? 1 : subWidthC;
        long cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
        long width = codedWidth - cropUnitX * ((long)cropLeft + cropRight);
        long height = codedHeight - cropUnitY * ((long)cropTop + cropBottom);
        if (width <= 0 || height <= 0) return false;

        sps = new Sps
        {
            ProfileIdc = profileIdc,
            ConstraintFlags = constraintFlags,
            LevelIdc = levelIdc,
            SeqParameterSetId = (int)spsId,
            ChromaFormatIdc = (int)chromaFormatIdc,
            SeparateColourPlane = separateColourPlane,
            BitDepthLuma = (int)bitDepthLuma,
            BitDepthChroma = (int)bitDepthChroma,
            QpprimeYZeroTransformBypass = transformBypass,
            SeqScalingMatrixPresent = scalingMatrixPresent,
            ScalingMatrix = scalingMatrix,
            Log2MaxFrameNum = (int)log2MaxFrameNum,
            PicOrderCntType = (int)pocType,
            Log2MaxPicOrderCntLsb = (int)log2MaxPocLsb,
            DeltaPicOrderAlwaysZero = deltaAlwaysZero,
            OffsetForNonRefPic = offsetForNonRefPic,
            OffsetForTopToBottomField = offsetForTopToBottomField,
            NumRefFramesInPicOrderCntCycle = (int)cycle,
            OffsetForRefFrame = offsetForRefFrame,
            ExpectedDeltaPerPicOrderCntCycle = expectedDelta,
            MaxNumRefFrames = (int)maxNumRefFrames,
            GapsInFrameNumValueAllowed = gaps,
            PicWidthInMbs = (int)widthInMbs,
            PicHeightInMapUnits = (int)heightInMapUnits,
            FrameMbsOnly = frameMbsOnly,
            MbAdaptiveFrameField = mbAdaptive,
            Direct8x8Inference = direct8x8,
            FrameCroppingFlag = cropping,
            FrameCropLeftOffset = (int)cropLeft,
            FrameCropRightOffset = (int)cropRight,
            FrameCropTopOffset = (int)cropTop,
            FrameCropBottomOffset = (int)cropBottom,
            CodedWidth = codedWidth,
            CodedHeight = codedHeight,
            Width = (int)width,
            Height = (int)height,
        };

        if (r.ReadFlag() && !r.Failed) sps = ReadVui(ref r, sps);
        return true;
    }

    /// <summary>VUI (H.264 E.1.1): aspect ratio, timing and bitstream restrictions; each part kept only if read whole.</summary>
    private static Sps ReadVui(ref BitReader r, Sps sps)
    {
        int sarWidth = 0, sarHeight = 0;
        if (r.ReadFlag())
        {
            uint aspectRatioIdc = r.ReadBits(8);
            if (aspectRatioIdc == ExtendedSar)
            {
                sarWidth = (int)r.ReadBits(16);
                sarHeight = (int)r.ReadBits(16);
            }
            else if (aspectRatioIdc < (uint)SarTable.Length / 2)
            {
                sarWidth = SarTable[(int)aspectRatioIdc * 2];
                sarHeight = SarTable[(int)aspectRatioIdc * 2 + 1];
            }
        }
        if (r.ReadFlag()) r.SkipBits(1); // overscan_info_present_flag, overscan_appropriate_flag
        if (r.ReadFlag())
        {
            r.SkipBits(4); // video_format, video_full_range_flag
            if (r.ReadFlag()) r.SkipBits(24); // colour_primaries, transfer_characteristics, matrix_coefficients
        }
        if (r.ReadFlag())
        {
            r.ReadUe(); // chroma_sample_loc_type_top_field
            r.ReadUe(); // chroma_sample_loc_type_bottom_field
        }
        if (r.Failed) return sps;
        sps = sps with { SarWidth = sarWidth, SarHeight = sarHeight };

        if (r.ReadFlag())
        {
            uint numUnitsInTick = r.ReadBits(32);
            uint timeScale = r.ReadBits(32);
            bool fixedFrameRate = r.ReadFlag();
            if (r.Failed) return sps;
            sps = sps with
            {
                TimingInfoPresent = true,
                NumUnitsInTick = numUnitsInTick,
                TimeScale = timeScale,
                FixedFrameRate = fixedFrameRate,
            };
        }

        bool nalHrd = r.ReadFlag();
        if (nalHrd && !SkipHrdParameters(ref r)) return sps;
        bool vclHrd = r.ReadFlag();
        if (vclHrd && !SkipHrdParameters(ref r)) return sps;
        if (nalHrd || vclHrd) r.SkipBits(1); // low_delay_hrd_flag
        bool picStructPresent = r.ReadFlag();
        if (r.Failed) return sps;
        sps = sps with { PicStructPresent = picStructPresent };
        if (!r.ReadFlag() || r.Failed) return sps; // bitstream_restriction_flag
        r.SkipBits(1); // motion_vectors_over_pic_boundaries_flag
        r.ReadUe();    // max_bytes_per_pic_denom
        r.ReadUe();    // max_bits_per_mb_denom
        r.ReadUe();    // log2_max_mv_length_horizontal
        r.ReadUe();    // log2_max_mv_length_vertical
        uint maxNumReorderFrames = r.ReadUe();
        uint maxDecFrameBuffering = r.ReadUe();
        if (r.Failed || maxNumReorderFrames > 16 || maxDecFrameBuffering > 16) return sps;
        return sps with
        {
            BitstreamRestriction = true,
            MaxNumReorderFrames = (int)maxNumReorderFrames,
            MaxDecFrameBuffering = (int)maxDecFrameBuffering,
        };
    }

    /// <summary>hrd_parameters() (H.264 E.1.2), read only to reach the fields after it.</summary>
    private static bool SkipHrdParameters(ref BitReader r)
    {
        uint cpbCount = r.ReadUe() + 1;
        if (cpbCount > 32) return false;
        r.SkipBits(8); // bit_rate_scale, cpb_size_scale
        for (uint i = 0; i < cpbCount && !r.Failed; i++)
        {
            r.ReadUe();    // bit_rate_value_minus1
            r.ReadUe();    // cpb_size_value_minus1
            r.SkipBits(1); // cbr_flag
        }
        r.SkipBits(20); // four 5-bit delay and length fields
        return !r.Failed;
    }

    private const uint ExtendedSar = 255;

    /// <summary>Table E-1, aspect_ratio_idc 0..16 as width, height pairs.</summary>
    private static ReadOnlySpan<byte> SarTable =>
    [
        0, 0, 1, 1, 12, 11, 10, 11, 16, 11, 40, 33, 24, 11, 20, 11, 32, 11,
        80, 33, 18, 11, 15, 11, 64, 33, 160, 99, 4, 3, 3, 2, 2, 1,
    ];
}
