namespace Fmp4Streamer.H264;

/// <summary>
/// Parses slice_header() (H.264 7.3.3, with 7.3.3.1 to 7.3.3.3) of coded slice NALs (types 1, 2 and 5) into a
/// reusable <see cref="SliceHeader"/>, allocating nothing.
/// </summary>
/// <remarks>
/// Usage, for a decoder that keeps parameter sets by id:
/// <code>
/// if (!SliceHeaderParser.TryReadPicParameterSetId(nal, out int ppsId)) ...;   // which PPS, then its SPS
/// var r = new BitReader(nal[1..]);
/// if (!SliceHeaderParser.TryParse(ref r, nal[0], sps, pps, header)) ...;       // r now stands at slice_data()
/// </code>
/// The parameter sets must be the ones the slice names (checked: a mismatch fails). Values outside the ranges of
/// 7.4.3 fail rather than reach a decoder: a false return means the slice cannot be used, nothing is thrown.
/// MVC and SVC slices (types 20 and 21) are not parsed.
/// </remarks>
public static class SliceHeaderParser
{
    /// <summary>Reads first_mb_in_slice, slice_type and pic_parameter_set_id: the PPS a slice needs to be parsed.</summary>
    public static bool TryReadPicParameterSetId(ReadOnlySpan<byte> nal, out int picParameterSetId)
    {
        picParameterSetId = 0;
        if (nal.Length < 2 || !IsSliceNal(NalUnit.TypeOf(nal[0]))) return false;
        var r = new BitReader(nal.Slice(1));
        r.ReadUe(); // first_mb_in_slice
        uint sliceType = r.ReadUe();
        uint ppsId = r.ReadUe();
        if (r.Failed || sliceType > 9 || ppsId > 255) return false;
        picParameterSetId = (int)ppsId;
        return true;
    }

    /// <summary>Parses the header of a slice NAL given without start code (header byte first).</summary>
    public static bool TryParse(ReadOnlySpan<byte> nal, in Sps sps, in Pps pps, SliceHeader header)
    {
        if (nal.Length < 2) return false;
        var r = new BitReader(nal.Slice(1));
        return TryParse(ref r, nal[0], sps, pps, header);
    }

    /// <summary>
    /// Parses the header from <paramref name="r"/>, which stands just after the NAL header byte
    /// <paramref name="nalHeader"/>; on success <paramref name="r"/> stands at the first bit of slice_data().
    /// </summary>
    public static bool TryParse(ref BitReader r, byte nalHeader, in Sps sps, in Pps pps, SliceHeader header)
    {
        var nalType = NalUnit.TypeOf(nalHeader);
        if (!IsSliceNal(nalType)) return false;
        int start = r.BitPosition;
        bool idr = nalType == NalUnitType.Idr;
        header.NalUnitType = nalType;
        header.NalRefIdc = NalUnit.RefIdcOf(nalHeader);
        if (idr && header.NalRefIdc == 0) return false; // 7.4.1: an IDR is always a reference picture

        uint firstMb = r.ReadUe();
        uint sliceTypeValue = r.ReadUe();
        uint ppsId = r.ReadUe();
        int picSizeInMbs = sps.PicWidthInMbs * sps.FrameHeightInMbs;
        if (r.Failed || sliceTypeValue > 9 || ppsId != (uint)pps.PicParameterSetId
            || pps.SeqParameterSetId != sps.SeqParameterSetId || firstMb >= (uint)picSizeInMbs)
        {
            return false;
        }
        var sliceType = (SliceType)(sliceTypeValue % 5);
        if (idr && sliceType is not (SliceType.I or SliceType.SI)) return false; // 7.4.3
        header.FirstMbInSlice = (int)firstMb;
        header.SliceTypeValue = (int)sliceTypeValue;
        header.PicParameterSetId = (int)ppsId;
        header.SeqParameterSetId = sps.SeqParameterSetId;

        header.ColourPlaneId = sps.SeparateColourPlane ? (int)r.ReadBits(2) : 0;
        header.FrameNum = (int)r.ReadBits(sps.Log2MaxFrameNum);
        header.FieldPic = !sps.FrameMbsOnly && r.ReadFlag();
        header.BottomField = header.FieldPic && r.ReadFlag();
        header.MbaffFrame = sps.MbAdaptiveFrameField && !header.FieldPic;
        if (header.FieldPic) picSizeInMbs /= 2;
        if (firstMb * (header.MbaffFrame ? 2u : 1u) >= (uint)picSizeInMbs) return false;
        if (idr && header.FrameNum != 0) return false; // 7.4.3

        uint idrPicId = idr ? r.ReadUe() : 0;
        if (idrPicId > 65535) return false;
        header.IdrPicId = (int)idrPicId;

        header.PicOrderCntLsb = 0;
        header.DeltaPicOrderCntBottom = header.DeltaPicOrderCnt0 = header.DeltaPicOrderCnt1 = 0;
        bool bottomInFrame = pps.BottomFieldPicOrderInFramePresent && !header.FieldPic;
        if (sps.PicOrderCntType == 0)
        {
            header.PicOrderCntLsb = (int)r.ReadBits(sps.Log2MaxPicOrderCntLsb);
            if (bottomInFrame) header.DeltaPicOrderCntBottom = r.ReadSe();
        }
        if (sps.PicOrderCntType == 1 && !sps.DeltaPicOrderAlwaysZero)
        {
            header.DeltaPicOrderCnt0 = r.ReadSe();
            if (bottomInFrame) header.DeltaPicOrderCnt1 = r.ReadSe();
        }

        uint redundantPicCnt = pps.RedundantPicCntPresent ? r.ReadUe() : 0;
        if (redundantPicCnt > 127) return false;
        header.RedundantPicCnt = (int)redundantPicCnt;

        header.DirectSpatialMvPred = sliceType == SliceType.B && r.ReadFlag();
        bool predicted = sliceType is SliceType.P or SliceType.SP or SliceType.B;
        uint l0 = predicted ? (uint)pps.NumRefIdxL0DefaultActive : 0;
        uint l1 = sliceType == SliceType.B ? (uint)pps.NumRefIdxL1DefaultActive : 0;
        header.NumRefIdxActiveOverride = predicted && r.ReadFlag();
        if (header.NumRefIdxActiveOverride)
        {
            l0 = r.ReadUe() + 1;
            if (sliceType == SliceType.B) l1 = r.ReadUe() + 1;
        }
        // 7.4.3: at most 16 references for a frame, 32 for a field (counting each field).
        uint maxRefs = header.FieldPic ? 32u : 16u;
        if (r.Failed || l0 > maxRefs || l1 > maxRefs || (predicted && l0 == 0)
            || (sliceType == SliceType.B && l1 == 0))
        {
            return false;
        }
        header.NumRefIdxL0Active = (int)l0;
        header.NumRefIdxL1Active = (int)l1;

        header.RefPicListModificationL0.Clear();
        header.RefPicListModificationL1.Clear();
        if (sliceType is not (SliceType.I or SliceType.SI)
            && !header.RefPicListModificationL0.TryRead(ref r, (int)l0))
        {
            return false;
        }
        if (sliceType == SliceType.B && !header.RefPicListModificationL1.TryRead(ref r, (int)l1)) return false;

        header.HasPredWeightTable = (pps.WeightedPred && sliceType is SliceType.P or SliceType.SP)
            || (pps.WeightedBipredIdc == 1 && sliceType == SliceType.B);
        header.PredWeightTable.Clear();
        if (header.HasPredWeightTable
            && !header.PredWeightTable.TryRead(ref r, sps.ChromaArrayType, (int)l0, (int)l1))
        {
            return false;
        }

        header.DecRefPicMarking.Clear();
        if (header.NalRefIdc != 0 && !header.DecRefPicMarking.TryRead(ref r, idr)) return false;

        uint cabacInitIdc = pps.EntropyCodingModeFlag && sliceType is not (SliceType.I or SliceType.SI) ? r.ReadUe() : 0;
        if (cabacInitIdc > 2) return false;
        header.CabacInitIdc = (int)cabacInitIdc;

        header.SliceQpDelta = r.ReadSe();
        header.SliceQp = pps.PicInitQp + header.SliceQpDelta;
        int qpBdOffsetY = 6 * (sps.BitDepthLuma - 8);
        if (header.SliceQp < -qpBdOffsetY || header.SliceQp > 51) return false;

        header.SpForSwitch = false;
        header.SliceQsDelta = 0;
        header.SliceQs = 0;
        if (sliceType is SliceType.SP or SliceType.SI)
        {
            header.SpForSwitch = sliceType == SliceType.SP && r.ReadFlag();
            header.SliceQsDelta = r.ReadSe();
            header.SliceQs = pps.PicInitQs + header.SliceQsDelta;
            if (header.SliceQs is < 0 or > 51) return false;
        }

        header.DisableDeblockingFilterIdc = 0;
        header.SliceAlphaC0OffsetDiv2 = header.SliceBetaOffsetDiv2 = 0;
        if (pps.DeblockingFilterControlPresent)
        {
            uint disable = r.ReadUe();
            if (disable > 2) return false;
            header.DisableDeblockingFilterIdc = (int)disable;
            if (disable != 1)
            {
                header.SliceAlphaC0OffsetDiv2 = r.ReadSe();
                header.SliceBetaOffsetDiv2 = r.ReadSe();
                if (header.SliceAlphaC0OffsetDiv2 is < -6 or > 6 || header.SliceBetaOffsetDiv2 is < -6 or > 6) return false;
            }
        }

        header.SliceGroupChangeCycle = 0;
        if (pps.NumSliceGroups > 1 && pps.SliceGroupMapType is >= 3 and <= 5)
        {
            // Ceil(Log2(PicSizeInMapUnits ÷ SliceGroupChangeRate + 1)) bits (7.4.3).
            uint units = (uint)((sps.PicSizeInMapUnits + pps.SliceGroupChangeRate - 1) / pps.SliceGroupChangeRate);
            int bits = 32 - System.Numerics.BitOperations.LeadingZeroCount(units);
            header.SliceGroupChangeCycle = (int)r.ReadBits(bits);
        }

        if (r.Failed) return false;
        header.HeaderBitLength = r.BitPosition - start;
        return true;
    }

    /// <summary>Coded slice NALs whose header is slice_header(): non-IDR, data partition A, IDR.</summary>
    private static bool IsSliceNal(NalUnitType type) =>
        type is NalUnitType.Slice or NalUnitType.SliceDataPartitionA or NalUnitType.Idr;
}
