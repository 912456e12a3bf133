namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Temporal direct prediction (H.264 8.4.1.2.3, frames): each block takes the co-located block's vector, scaled by
/// picture order distances, towards the list 0 picture the co-located block referred to and the first list 1 picture.
/// </summary>
internal static class TemporalDirect
{
    /// <summary>Derives the 8x8 quarters of <paramref name="quarterMask"/>; false when a reference is missing.</summary>
    public static bool Derive(MotionVectorPredictor predictor, InterContext inter, MacroblockGrid grid, int mbX, int mbY, int quarterMask)
    {
        DecodedPicture? picture1 = inter.List1[0];
        MotionField? col = picture1?.Motion;
        if (col == null || col.BlockCount != grid.Motion.BlockCount) return false;
        int step = inter.Direct8x8Inference ? 2 : 1;
        for (int q = 0; q < 4; q++)
        {
            if ((quarterMask & (1 << q)) == 0) continue;
            int x0 = (q & 1) * 2, y0 = (q >> 1) * 2;
            for (int by = y0; by < y0 + 2; by += step)
            {
                for (int bx = x0; bx < x0 + 2; bx += step)
                {
                    int g = Colocated.Index(grid.WidthInMbs, mbX, mbY, bx, by, inter.Direct8x8Inference);
                    int refIdx0 = Colocated.Read(col, g, out _, out int refPicId, out int mvColX, out int mvColY)
                        ? MapToList0(inter, refPicId)
                        : 0;
                    DecodedPicture? picture0 = inter.List0[refIdx0];
                    if (picture0 == null) return false;
                    int scale = DistScaleFactor(inter.CurrentPoc, picture0, picture1!);
                    int mv0X = (scale * mvColX + 128) >> 8, mv0Y = (scale * mvColY + 128) >> 8;
                    predictor.StoreList(0, bx, by, step, step, refIdx0, picture0.Id, mv0X, mv0Y);
                    predictor.StoreList(1, bx, by, step, step, 0, picture1!.Id, mv0X - mvColX, mv0Y - mvColY);
                }
            }
        }
        return true;
    }

    /// <summary>
    /// The lowest list 0 index naming the picture the co-located block referred to; 0 when list 0 lacks it (a
    /// damaged stream).
    /// </summary>
    private static int MapToList0(InterContext inter, int pictureId)
    {
        for (int i = 0; i < inter.NumRefActive; i++)
        {
            if (inter.List0[i]?.Id == pictureId) return i;
        }
        return 0;
    }

    /// <summary>
    /// DistScaleFactor (8-195 to 8-197) in 1/256 units; 256 (the co-located vector unscaled, none towards list 1)
    /// when list 0's picture is long-term or as far in order as list 1's.
    /// </summary>
    public static int DistScaleFactor(int currentPoc, DecodedPicture picture0, DecodedPicture picture1)
    {
        int td = Math.Clamp(picture1.PicOrderCnt - picture0.PicOrderCnt, -128, 127);
        if (td == 0 || picture0.IsLongTermReference) return 256;
        int tb = Math.Clamp(currentPoc - picture0.PicOrderCnt, -128, 127);
        int tx = (16384 + Math.Abs(td / 2)) / td;
        return Math.Clamp((tb * tx + 32) >> 6, -1024, 1023);
    }
}
