namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Builds a B macroblock's samples from the motion its partitions (direct ones included) left in the grid: blocks
/// with equal motion are predicted together (16x16, else per 8x8, else per 4x4: prediction is per sample, so the
/// split changes nothing), from list 0, list 1 or both combined, weighted as the slice says; then the residual.
/// </summary>
public sealed class BInterReconstructor
{
    private readonly InterPrediction _prediction = new();
    private readonly byte[][] _luma = [new byte[256], new byte[256]];
    private readonly byte[][] _cb = [new byte[64], new byte[64]];
    private readonly byte[][] _cr = [new byte[64], new byte[64]];

    /// <summary>Predicts the macroblock; adds <paramref name="mb"/>'s residual unless it is null (B_Skip).</summary>
    public void Reconstruct(MacroblockData? mb, DecodedPicture picture, MacroblockGrid grid, int mbX, int mbY, InterContext inter)
    {
        MotionField motion = grid.Motion;
        int w4 = grid.WidthInMbs * 4;
        int origin = mbY * 4 * w4 + mbX * 4;
        if (Uniform(motion, origin, w4, 4))
        {
            PredictBlock(picture, motion, origin, mbX * 16, mbY * 16, 16, inter);
        }
        else
        {
            for (int q = 0; q < 4; q++)
            {
                int bx = (q & 1) * 2, by = (q >> 1) * 2;
                int g = origin + by * w4 + bx;
                if (Uniform(motion, g, w4, 2))
                {
                    PredictBlock(picture, motion, g, mbX * 16 + bx * 4, mbY * 16 + by * 4, 8, inter);
                    continue;
                }
                for (int k = 0; k < 4; k++)
                {
                    int x = bx + (k & 1), y = by + (k >> 1);
                    PredictBlock(picture, motion, origin + y * w4 + x, mbX * 16 + x * 4, mbY * 16 + y * 4, 4, inter);
                }
            }
        }
        if (mb != null) InterReconstructor.AddResidual(mb, picture, mbX, mbY);
    }

    private static bool Uniform(MotionField m, int g0, int w4, int size)
    {
        for (int list = 0; list < 2; list++)
        {
            sbyte refIdx = m.RefIdx[list][g0];
            short mvx = m.MvX[list][g0], mvy = m.MvY[list][g0];
            for (int y = 0; y < size; y++)
            {
                int g = g0 + y * w4;
                for (int x = 0; x < size; x++)
                {
                    if (m.RefIdx[list][g + x] != refIdx || m.MvX[list][g + x] != mvx || m.MvY[list][g + x] != mvy) return false;
                }
            }
        }
        return true;
    }

    private void PredictBlock(DecodedPicture picture, MotionField m, int g, int x, int y, int size, InterContext inter)
    {
        int ref0 = m.RefIdx[0][g], ref1 = m.RefIdx[1][g];
        Plane luma = picture.Luma, cb = picture.Cb, cr = picture.Cr;
        int lumaOffset = luma.IndexOf(x, y);
        int cx = x / 2, cy = y / 2, cs = size / 2;
        int cbOffset = cb.IndexOf(cx, cy), crOffset = cr.IndexOf(cx, cy);
        if (ref0 < 0 || ref1 < 0)
        {
            int list = ref0 < 0 ? 1 : 0;
            int refIdx = list == 0 ? ref0 : ref1;
            DecodedPicture reference = (list == 0 ? inter.List0 : inter.List1)[refIdx]!;
            int mvx = m.MvX[list][g], mvy = m.MvY[list][g];
            _prediction.Luma(reference.Luma, x, y, mvx, mvy, size, size, luma.Data, lumaOffset, luma.Stride);
            _prediction.Chroma(reference.Cb, cx, cy, mvx, mvy, cs, cs, cb.Data, cbOffset, cb.Stride);
            _prediction.Chroma(reference.Cr, cx, cy, mvx, mvy, cs, cs, cr.Data, crOffset, cr.Stride);
            if (inter.WeightedBipredIdc == 1 && inter.Weights != null) WeightSingle(picture, lumaOffset, cbOffset, crOffset, size, inter.Weights, list, refIdx);
            return;
        }

        for (int list = 0; list < 2; list++)
        {
            DecodedPicture reference = (list == 0 ? inter.List0[ref0] : inter.List1[ref1])!;
            int mvx = m.MvX[list][g], mvy = m.MvY[list][g];
            _prediction.Luma(reference.Luma, x, y, mvx, mvy, size, size, _luma[list], 0, 16);
            _prediction.Chroma(reference.Cb, cx, cy, mvx, mvy, cs, cs, _cb[list], 0, 8);
            _prediction.Chroma(reference.Cr, cx, cy, mvx, mvy, cs, cs, _cr[list], 0, 8);
        }
        if (inter.WeightedBipredIdc == 1 && inter.Weights != null)
        {
            PredWeightTable t = inter.Weights;
            PredWeight a = t.L0(ref0), b = t.L1(ref1);
            BiPrediction.Weighted(_luma[0], _luma[1], 16, size, size, luma.Data, lumaOffset, luma.Stride,
                t.LumaLog2WeightDenom, a.LumaWeight, b.LumaWeight, (a.LumaOffset + b.LumaOffset + 1) >> 1);
            int denom = t.ChromaLog2WeightDenom;
            BiPrediction.Weighted(_cb[0], _cb[1], 8, cs, cs, cb.Data, cbOffset, cb.Stride, denom, a.CbWeight, b.CbWeight, (a.CbOffset + b.CbOffset + 1) >> 1);
            BiPrediction.Weighted(_cr[0], _cr[1], 8, cs, cs, cr.Data, crOffset, cr.Stride, denom, a.CrWeight, b.CrWeight, (a.CrOffset + b.CrOffset + 1) >> 1);
        }
        else if (inter.WeightedBipredIdc == 2)
        {
            int w0 = inter.ImplicitWeightL0[ref0 * InterContext.MaxReferences + ref1];
            BiPrediction.Weighted(_luma[0], _luma[1], 16, size, size, luma.Data, lumaOffset, luma.Stride, 5, w0, 64 - w0, 0);
            BiPrediction.Weighted(_cb[0], _cb[1], 8, cs, cs, cb.Data, cbOffset, cb.Stride, 5, w0, 64 - w0, 0);
            BiPrediction.Weighted(_cr[0], _cr[1], 8, cs, cs, cr.Data, crOffset, cr.Stride, 5, w0, 64 - w0, 0);
        }
        else
        {
            BiPrediction.Average(_luma[0], _luma[1], 16, size, size, luma.Data, lumaOffset, luma.Stride);
            BiPrediction.Average(_cb[0], _cb[1], 8, cs, cs, cb.Data, cbOffset, cb.Stride);
            BiPrediction.Average(_cr[0], _cr[1], 8, cs, cs, cr.Data, crOffset, cr.Stride);
        }
    }

    /// <summary>Explicit weighting of a block predicted from one list (8-270), in place.</summary>
    private static void WeightSingle(DecodedPicture picture, int lumaOffset, int cbOffset, int crOffset, int size,
        PredWeightTable t, int list, int refIdx)
    {
        PredWeight weight = list == 0 ? t.L0(refIdx) : t.L1(refIdx);
        int cs = size / 2;
        if (weight.LumaWeightFlag)
        {
            InterPrediction.Weight(picture.Luma.Data, lumaOffset, picture.Luma.Stride, size, size, t.LumaLog2WeightDenom,
                weight.LumaWeight, weight.LumaOffset);
        }
        if (weight.ChromaWeightFlag)
        {
            int denom = t.ChromaLog2WeightDenom;
            InterPrediction.Weight(picture.Cb.Data, cbOffset, picture.Cb.Stride, cs, cs, denom, weight.CbWeight, weight.CbOffset);
            InterPrediction.Weight(picture.Cr.Data, crOffset, picture.Cr.Stride, cs, cs, denom, weight.CrWeight, weight.CrOffset);
        }
    }
}
