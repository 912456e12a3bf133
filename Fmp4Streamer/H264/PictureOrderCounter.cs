namespace Fmp4Streamer.H264;

/// <summary>
/// Picture order count of coded frames (H.264 8.2.1.1 to 8.2.1.3, types 0, 1 and 2), from the first slice header
/// of each picture in decoding order. Holds the state the next picture's count depends on (the previous reference
/// picture's MSB and LSB, the previous FrameNumOffset and frame_num), reset by IDRs and by
/// memory_management_control_operation 5 exactly as 8.2.1 says. Allocates nothing.
/// </summary>
/// <remarks>
/// Frames only: a field picture (field_pic_flag 1) is refused, so a caller can fall back; MBAFF frames are frames.
/// Gaps in frame_num (8.2.5.2's "non-existing" frames) are not inferred: they change nothing for types 0 to 2 as
/// long as no gap spans a whole frame_num wrap, which a gap of fewer than MaxFrameNum frames cannot.
/// </remarks>
public sealed class PictureOrderCounter
{
    // Type 0: of the previous reference picture (8.2.1.1).
    private int _prevPicOrderCntMsb;
    private int _prevPicOrderCntLsb;

    // Types 1 and 2: of the previous picture (8.2.1.2, 8.2.1.3).
    private int _prevFrameNumOffset;
    private int _prevFrameNum;

    /// <summary>Forgets the stream: the next picture must be an IDR to be counted right.</summary>
    public void Reset()
    {
        _prevPicOrderCntMsb = _prevPicOrderCntLsb = 0;
        _prevFrameNumOffset = _prevFrameNum = 0;
    }

    /// <summary>
    /// Counts the picture whose first slice header is <paramref name="header"/> (parsed with <paramref name="sps"/>),
    /// then updates the state for the next picture. Call once per picture, in decoding order. False for a field
    /// picture, which this counter does not handle (the state is left as it was).
    /// </summary>
    public bool TryCount(in Sps sps, SliceHeader header, out PictureOrderCount count)
    {
        count = default;
        if (header.FieldPic) return false;
        bool idr = header.IdrPicFlag;
        bool mmco5 = header.HasMmco5;
        int top, bottom;
        switch (sps.PicOrderCntType)
        {
            case 0:
                CountType0(sps, header, out top, out bottom);
                break;
            case 1:
                CountType1(sps, header, out top, out bottom);
                break;
            case 2:
                CountType2(sps, header, out top, out bottom);
                break;
            default:
                return false;
        }
        count = new PictureOrderCount(top, bottom, idr || mmco5);

        if (mmco5)
        {
            // 8.2.1: after decoding, tempPicOrderCnt = Min(top, bottom) is subtracted from both; the next picture
            // counts from there: MSB 0 and LSB = the lowered top count (type 0), FrameNumOffset 0 and frame_num 0.
            int temp = Math.Min(top, bottom);
            _prevPicOrderCntMsb = 0;
            _prevPicOrderCntLsb = top - temp;
            _prevFrameNumOffset = 0;
            _prevFrameNum = 0;
        }
        else
        {
            _prevFrameNum = header.FrameNum;
        }
        return true;
    }

    /// <summary>8.2.1.1: the LSB is coded; the MSB follows the previous reference picture's, wrapping by MaxPicOrderCntLsb.</summary>
    private void CountType0(in Sps sps, SliceHeader header, out int top, out int bottom)
    {
        if (header.IdrPicFlag) _prevPicOrderCntMsb = _prevPicOrderCntLsb = 0;
        int maxLsb = sps.MaxPicOrderCntLsb;
        int lsb = header.PicOrderCntLsb;
        int msb;
        if (lsb < _prevPicOrderCntLsb && _prevPicOrderCntLsb - lsb >= maxLsb / 2) msb = _prevPicOrderCntMsb + maxLsb;
        else if (lsb > _prevPicOrderCntLsb && lsb - _prevPicOrderCntLsb > maxLsb / 2) msb = _prevPicOrderCntMsb - maxLsb;
        else msb = _prevPicOrderCntMsb;
        top = msb + lsb;
        bottom = top + header.DeltaPicOrderCntBottom;
        if (header.IsReference)
        {
            _prevPicOrderCntMsb = msb;
            _prevPicOrderCntLsb = lsb;
        }
    }

    /// <summary>8.2.1.2: counts follow frame_num through the SPS's cycle of expected offsets.</summary>
    private void CountType1(in Sps sps, SliceHeader header, out int top, out int bottom)
    {
        int frameNumOffset = NextFrameNumOffset(sps, header);
        int cycleLength = sps.NumRefFramesInPicOrderCntCycle;
        int absFrameNum = cycleLength != 0 ? frameNumOffset + header.FrameNum : 0;
        if (!header.IsReference && absFrameNum > 0) absFrameNum--;
        int expected = 0;
        if (absFrameNum > 0)
        {
            int cycleCount = (absFrameNum - 1) / cycleLength;
            int frameNumInCycle = (absFrameNum - 1) % cycleLength;
            expected = cycleCount * sps.ExpectedDeltaPerPicOrderCntCycle;
            var offsets = sps.OffsetForRefFrame;
            for (int i = 0; i <= frameNumInCycle; i++) expected += offsets[i];
        }
        if (!header.IsReference) expected += sps.OffsetForNonRefPic;
        top = expected + header.DeltaPicOrderCnt0;
        bottom = top + sps.OffsetForTopToBottomField + header.DeltaPicOrderCnt1;
        _prevFrameNumOffset = frameNumOffset;
    }

    /// <summary>8.2.1.3: twice the frame number, one less for a non-reference picture; output order is decoding order.</summary>
    private void CountType2(in Sps sps, SliceHeader header, out int top, out int bottom)
    {
        int frameNumOffset = NextFrameNumOffset(sps, header);
        int temp = header.IdrPicFlag ? 0 : 2 * (frameNumOffset + header.FrameNum) - (header.IsReference ? 0 : 1);
        top = bottom = temp;
        _prevFrameNumOffset = frameNumOffset;
    }

    /// <summary>FrameNumOffset (8-6, 8-11): grows by MaxFrameNum each time frame_num wraps.</summary>
    private int NextFrameNumOffset(in Sps sps, SliceHeader header)
    {
        if (header.IdrPicFlag) return 0;
        return _prevFrameNum > header.FrameNum ? _prevFrameNumOffset + sps.MaxFrameNum : _prevFrameNumOffset;
    }
}
