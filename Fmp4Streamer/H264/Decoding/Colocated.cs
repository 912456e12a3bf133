namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The co-located block of direct prediction (8.4.1.2.1, frames only): the block at the same place in the first
/// picture of list 1, with direct_8x8_inference_flag the corner block of the same 8x8 quarter. Its list 0 motion if
/// it used list 0, else its list 1 motion; none for an intra block.
/// </summary>
internal static class Colocated
{
    /// <summary>Grid index of the co-located 4x4 block of block (bx, by) of macroblock (mbX, mbY).</summary>
    public static int Index(int widthInMbs, int mbX, int mbY, int bx, int by, bool direct8x8Inference)
    {
        if (direct8x8Inference)
        {
            bx = bx < 2 ? 0 : 3;
            by = by < 2 ? 0 : 3;
        }
        return (mbY * 4 + by) * widthInMbs * 4 + mbX * 4 + bx;
    }

    /// <summary>False for an intra block (refIdxCol -1, mvCol zero).</summary>
    public static bool Read(MotionField col, int g, out int refIdx, out int refPicId, out int mvx, out int mvy)
    {
        int list = col.RefIdx[0][g] >= 0 ? 0 : 1;
        refIdx = col.RefIdx[list][g];
        if (refIdx < 0)
        {
            refPicId = MotionField.NoPicture;
            mvx = mvy = 0;
            return false;
        }
        refPicId = col.RefPicId[list][g];
        mvx = col.MvX[list][g];
        mvy = col.MvY[list][g];
        return true;
    }
}
