namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Spatial direct prediction (H.264 8.4.1.2.2): one reference index and vector per list for the whole macroblock from
/// its neighbours, then per block the vector of a list with index 0 zeroed where the co-located block barely moves
/// (colZeroFlag).
/// </summary>
internal sealed class SpatialDirect
{
    private readonly int[] _ref = new int[2];
    private readonly int[] _mvX = new int[2];
    private readonly int[] _mvY = new int[2];
    private bool _ready;

    public void BeginMacroblock() => _ready = false;

    /// <summary>Derives the 8x8 quarters of <paramref name="quarterMask"/>; false when a reference is missing.</summary>
    public bool Derive(MotionVectorPredictor predictor, InterContext inter, MacroblockGrid grid, int mbX, int mbY, int quarterMask)
    {
        DecodedPicture? colPicture = inter.List1[0];
        MotionField? col = colPicture?.Motion;
        if (col == null || col.BlockCount != grid.Motion.BlockCount) return false;
        if (!_ready && !PredictMacroblock(predictor, inter)) return false;

        DecodedPicture? picture0 = _ref[0] >= 0 ? inter.List0[_ref[0]] : null;
        DecodedPicture? picture1 = _ref[1] >= 0 ? inter.List1[_ref[1]] : null;
        int id0 = picture0?.Id ?? MotionField.NoPicture, id1 = picture1?.Id ?? MotionField.NoPicture;
        bool colShortTerm = !colPicture!.IsLongTermReference;
        int step = inter.Direct8x8Inference ? 2 : 1;
        for (int q = 0; q < 4; q++)
        {
            if ((quarterMask & (1 << q)) == 0) continue;
            int x0 = (q & 1) * 2, y0 = (q >> 1) * 2;
            for (int by = y0; by < y0 + 2; by += step)
            {
                for (int bx = x0; bx < x0 + 2; bx += step)
                {
                    bool colZero = colShortTerm
                        && Colocated.Read(col, Colocated.Index(grid.WidthInMbs, mbX, mbY, bx, by, inter.Direct8x8Inference),
                            out int refCol, out _, out int mvCol0, out int mvCol1)
                        && refCol == 0 && mvCol0 is >= -1 and <= 1 && mvCol1 is >= -1 and <= 1;
                    for (int list = 0; list < 2; list++)
                    {
                        int refIdx = _ref[list];
                        bool zero = refIdx == 0 && colZero;
                        predictor.StoreList(list, bx, by, step, step, refIdx, list == 0 ? id0 : id1,
                            zero || refIdx < 0 ? 0 : _mvX[list], zero || refIdx < 0 ? 0 : _mvY[list]);
                    }
                }
            }
        }
        return true;
    }

    private bool PredictMacroblock(MotionVectorPredictor predictor, InterContext inter)
    {
        _ready = true;
        _ref[0] = predictor.DirectReference(0);
        _ref[1] = predictor.DirectReference(1);
        if (_ref[0] < 0 && _ref[1] < 0)
        {
            // Neither list predicted by a neighbour: both lists, index 0, zero vectors.
            _ref[0] = _ref[1] = 0;
            _mvX[0] = _mvY[0] = _mvX[1] = _mvY[1] = 0;
            return inter.List0[0] != null && inter.List1[0] != null;
        }
        for (int list = 0; list < 2; list++)
        {
            int refIdx = _ref[list];
            if (refIdx < 0) continue;
            if ((list == 0 ? inter.List0 : inter.List1)[refIdx] == null) return false;
            predictor.Predict(list, 0, 0, 4, 4, refIdx, 0, out _mvX[list], out _mvY[list]);
        }
        return true;
    }
}
