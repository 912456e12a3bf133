namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Builds a P macroblock's samples: derives each partition's vector (prediction plus difference), predicts it from
/// its reference picture (luma, then both chroma planes, weighted when the slice says so), then adds the residual.
/// </summary>
public sealed class InterReconstructor
{
    private readonly InterPrediction _prediction = new();

    /// <summary>Derives the vectors of <paramref name="mb"/>'s partitions and stores them in the grid; false for a missing reference.</summary>
    public bool DeriveVectors(MacroblockData mb, MotionVectorPredictor predictor, InterContext context)
    {
        for (int p = 0; p < mb.PartCount; p++)
        {
            int refIdx = mb.PartRef[p];
            DecodedPicture? reference = context.List0[refIdx];
            if (reference == null) return false;
            predictor.Predict(mb.PartX[p], mb.PartY[p], mb.PartW[p], mb.PartH[p], refIdx, mb.PartShape, out int mvpX, out int mvpY);
            int mvx = mvpX + mb.PartMvdX[p], mvy = mvpY + mb.PartMvdY[p];
            // Stored as 16 bits like every decoder's vector fields; wrapping only affects streams outside 8-bit levels.
            mvx = (short)mvx;
            mvy = (short)mvy;
            mb.PartMvX[p] = mvx;
            mb.PartMvY[p] = mvy;
            predictor.Store(mb.PartX[p], mb.PartY[p], mb.PartW[p], mb.PartH[p], refIdx, reference.Id, mvx, mvy);
        }
        return true;
    }

    /// <summary>Predicts every partition and adds the residual.</summary>
    public void Reconstruct(MacroblockData mb, DecodedPicture picture, int mbX, int mbY, InterContext context)
    {
        for (int p = 0; p < mb.PartCount; p++)
        {
            PredictPartition(picture, mbX, mbY, mb.PartX[p], mb.PartY[p], mb.PartW[p], mb.PartH[p], mb.PartRef[p],
                mb.PartMvX[p], mb.PartMvY[p], context);
        }
        AddResidual(mb, picture, mbX, mbY);
    }

    /// <summary>P_Skip: the whole macroblock from reference index 0, no residual.</summary>
    public void ReconstructSkip(DecodedPicture picture, int mbX, int mbY, int mvx, int mvy, InterContext context) =>
        PredictPartition(picture, mbX, mbY, 0, 0, 4, 4, 0, mvx, mvy, context);

    private void PredictPartition(DecodedPicture picture, int mbX, int mbY, int bx, int by, int bw, int bh, int refIdx,
        int mvx, int mvy, InterContext context)
    {
        DecodedPicture reference = context.List0[refIdx]!;
        int x = mbX * 16 + bx * 4, y = mbY * 16 + by * 4, w = bw * 4, h = bh * 4;
        Plane luma = picture.Luma;
        int lumaOffset = luma.IndexOf(x, y);
        _prediction.Luma(reference.Luma, x, y, mvx, mvy, w, h, luma.Data, lumaOffset, luma.Stride);
        int cx = x / 2, cy = y / 2, cw = w / 2, ch = h / 2;
        Plane cb = picture.Cb, cr = picture.Cr;
        int cbOffset = cb.IndexOf(cx, cy), crOffset = cr.IndexOf(cx, cy);
        _prediction.Chroma(reference.Cb, cx, cy, mvx, mvy, cw, ch, cb.Data, cbOffset, cb.Stride);
        _prediction.Chroma(reference.Cr, cx, cy, mvx, mvy, cw, ch, cr.Data, crOffset, cr.Stride);

        if (context.Weights == null) return;
        var weight = context.Weights.L0(refIdx);
        if (weight.LumaWeightFlag)
        {
            InterPrediction.Weight(luma.Data, lumaOffset, luma.Stride, w, h, context.Weights.LumaLog2WeightDenom,
                weight.LumaWeight, weight.LumaOffset);
        }
        if (weight.ChromaWeightFlag)
        {
            int denom = context.Weights.ChromaLog2WeightDenom;
            InterPrediction.Weight(cb.Data, cbOffset, cb.Stride, cw, ch, denom, weight.CbWeight, weight.CbOffset);
            InterPrediction.Weight(cr.Data, crOffset, cr.Stride, cw, ch, denom, weight.CrWeight, weight.CrOffset);
        }
    }

    internal static void AddResidual(MacroblockData mb, DecodedPicture picture, int mbX, int mbY)
    {
        Plane luma = picture.Luma;
        int origin = luma.IndexOf(mbX * 16, mbY * 16);
        if (mb.Transform8x8)
        {
            for (int b8 = 0; b8 < 4; b8++)
            {
                if ((mb.LumaNonZero & (1 << (b8 * 4))) == 0) continue;
                int offset = origin + (b8 >> 1) * 8 * luma.Stride + (b8 & 1) * 8;
                InverseTransform.Add8x8(mb.Luma.AsSpan(b8 * 64, 64), luma.Data, offset, luma.Stride);
            }
        }
        else
        {
            for (int blk = 0; blk < 16; blk++)
            {
                if ((mb.LumaNonZero & (1 << blk)) == 0) continue;
                int offset = origin + BlockLayout.Y[blk] * 4 * luma.Stride + BlockLayout.X[blk] * 4;
                InverseTransform.Add4x4(mb.Luma.AsSpan(blk * 16, 16), luma.Data, offset, luma.Stride);
            }
        }
        IntraReconstructor.AddChromaResidual(mb, picture.Cb.Data, picture.Cb.IndexOf(mbX * 8, mbY * 8), picture.Cb.Stride, 0);
        IntraReconstructor.AddChromaResidual(mb, picture.Cr.Data, picture.Cr.IndexOf(mbX * 8, mbY * 8), picture.Cr.Stride, 1);
    }
}
