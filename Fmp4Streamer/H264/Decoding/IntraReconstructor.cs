namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Builds an intra macroblock's samples in the picture (H.264 8.3 then 8.5): prediction block by block, each
/// followed by its residual, so later blocks predict from reconstructed samples; I_PCM samples are copied.
/// </summary>
public static class IntraReconstructor
{
    public static void Reconstruct(MacroblockData mb, DecodedPicture picture, int mbX, int mbY, in MacroblockNeighbours n)
    {
        Plane luma = picture.Luma;
        byte[] y = luma.Data;
        int stride = luma.Stride;
        int origin = luma.IndexOf(mbX * 16, mbY * 16);

        if (mb.Kind == MacroblockKind.IPcm)
        {
            for (int row = 0; row < 16; row++) mb.Pcm.AsSpan(row * 16, 16).CopyTo(y.AsSpan(origin + row * stride, 16));
            CopyPcmChroma(mb.Pcm.AsSpan(256, 64), picture.Cb, mbX, mbY);
            CopyPcmChroma(mb.Pcm.AsSpan(320, 64), picture.Cr, mbX, mbY);
            return;
        }

        switch (mb.Kind)
        {
            case MacroblockKind.Intra16x16:
                Intra16x16Prediction.PredictLuma(mb.Intra16x16Mode, y, origin, stride, n.IntraA, n.IntraB);
                for (int blk = 0; blk < 16; blk++)
                {
                    int offset = origin + BlockLayout.Y[blk] * 4 * stride + BlockLayout.X[blk] * 4;
                    AddLuma4x4(mb, blk, mb.LumaDc[blk], y, offset, stride, intra16x16: true);
                }
                break;
            case MacroblockKind.Intra4x4:
                for (int blk = 0; blk < 16; blk++)
                {
                    int bx = BlockLayout.X[blk], by = BlockLayout.Y[blk];
                    int offset = origin + by * 4 * stride + bx * 4;
                    bool left = bx > 0 || n.IntraA;
                    bool top = by > 0 || n.IntraB;
                    bool topRight = by == 0 ? (bx < 3 ? n.IntraB : n.IntraC) : BlockLayout.TopRightInside[blk];
                    bool topLeft = bx > 0 && by > 0 || (bx == 0 && by == 0 ? n.IntraD : bx == 0 ? n.IntraA : n.IntraB);
                    Intra4x4Prediction.Predict(mb.IntraModes[blk], y, offset, stride, left, top, topRight, topLeft);
                    AddLuma4x4(mb, blk, 0, y, offset, stride, intra16x16: false);
                }
                break;
            case MacroblockKind.Intra8x8:
                for (int b8 = 0; b8 < 4; b8++)
                {
                    int bx = b8 & 1, by = b8 >> 1;
                    int offset = origin + by * 8 * stride + bx * 8;
                    bool left = bx > 0 || n.IntraA;
                    bool top = by > 0 || n.IntraB;
                    bool topRight = b8 switch { 0 => n.IntraB, 1 => n.IntraC, 2 => true, _ => false };
                    bool topLeft = b8 switch { 0 => n.IntraD, 1 => n.IntraB, 2 => n.IntraA, _ => true };
                    Intra8x8Prediction.Predict(mb.IntraModes[b8 * 4], y, offset, stride, left, top, topRight, topLeft);
                    if ((mb.LumaNonZero & (1 << (b8 * 4))) != 0)
                    {
                        InverseTransform.Add8x8(mb.Luma.AsSpan(b8 * 64, 64), y, offset, stride);
                    }
                }
                break;
        }

        ReconstructChroma(mb, picture.Cb, 0, mbX, mbY, n);
        ReconstructChroma(mb, picture.Cr, 1, mbX, mbY, n);
    }

    private static void AddLuma4x4(MacroblockData mb, int blk, int dc, byte[] y, int offset, int stride, bool intra16x16)
    {
        if ((mb.LumaNonZero & (1 << blk)) != 0)
        {
            Span<int> block = mb.Luma.AsSpan(blk * 16, 16);
            if (intra16x16) block[0] = dc;   // the AC scan starts at 1: position 0 holds the DC transform's output
            InverseTransform.Add4x4(block, y, offset, stride);
        }
        else if (dc != 0)
        {
            InverseTransform.AddDc4x4(dc, y, offset, stride);
        }
    }

    private static void ReconstructChroma(MacroblockData mb, Plane plane, int component, int mbX, int mbY, in MacroblockNeighbours n)
    {
        byte[] data = plane.Data;
        int stride = plane.Stride;
        int origin = plane.IndexOf(mbX * 8, mbY * 8);
        Intra16x16Prediction.PredictChroma(mb.ChromaMode, data, origin, stride, n.IntraA, n.IntraB);
        AddChromaResidual(mb, data, origin, stride, component);
    }

    /// <summary>Adds the residual of one chroma component (DC and AC) to its predicted 8x8 block.</summary>
    public static void AddChromaResidual(MacroblockData mb, byte[] data, int origin, int stride, int component)
    {
        if (mb.CbpChroma == 0) return;
        for (int blk = 0; blk < 4; blk++)
        {
            int offset = origin + (blk >> 1) * 4 * stride + (blk & 1) * 4;
            int dc = mb.ChromaDc[component * 4 + blk];
            int k = component * 4 + blk;
            if ((mb.ChromaNonZero & (1 << k)) != 0)
            {
                Span<int> block = mb.Chroma.AsSpan(k * 16, 16);
                block[0] = dc;
                InverseTransform.Add4x4(block, data, offset, stride);
            }
            else if (dc != 0)
            {
                InverseTransform.AddDc4x4(dc, data, offset, stride);
            }
        }
    }

    private static void CopyPcmChroma(ReadOnlySpan<byte> samples, Plane plane, int mbX, int mbY)
    {
        int origin = plane.IndexOf(mbX * 8, mbY * 8);
        for (int row = 0; row < 8; row++) samples.Slice(row * 8, 8).CopyTo(plane.Data.AsSpan(origin + row * plane.Stride, 8));
    }
}
