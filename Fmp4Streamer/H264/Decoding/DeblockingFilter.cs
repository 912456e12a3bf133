using System.Runtime.Intrinsics;

namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The deblocking filter of H.264 8.7 over a whole decoded frame, macroblock by macroblock in raster order: per
/// macroblock the vertical luma and chroma edges left to right, then the horizontal ones top to bottom.
/// </summary>
public sealed class DeblockingFilter
{
    private readonly int[] _bs = new int[4];

    public void FilterPicture(DecodedPicture picture, MacroblockGrid grid, SliceTable slices)
    {
        int w = grid.WidthInMbs;
        for (int mbY = 0; mbY < grid.HeightInMbs; mbY++)
        {
            for (int mbX = 0; mbX < w; mbX++)
            {
                int addr = mbY * w + mbX;
                if (grid.SliceNumber[addr] < 0 || grid.Kind[addr] == MacroblockKind.NotDecoded) continue;
                ref readonly SliceParameters slice = ref slices.Get(grid.SliceNumber[addr]);
                if (slice.DisableDeblockingFilterIdc == 1) continue;
                bool sameSliceOnly = slice.DisableDeblockingFilterIdc == 2;
                bool left = mbX > 0 && grid.Kind[addr - 1] != MacroblockKind.NotDecoded
                    && (!sameSliceOnly || grid.SliceNumber[addr - 1] == grid.SliceNumber[addr]);
                bool top = mbY > 0 && grid.Kind[addr - w] != MacroblockKind.NotDecoded
                    && (!sameSliceOnly || grid.SliceNumber[addr - w] == grid.SliceNumber[addr]);
                FilterMacroblock(picture, grid, slice, mbX, mbY, addr, left, true);
                FilterMacroblock(picture, grid, slice, mbX, mbY, addr, top, false);
            }
        }
    }

    private void FilterMacroblock(DecodedPicture picture, MacroblockGrid grid, in SliceParameters slice, int mbX, int mbY,
        int addr, bool filterOuterEdge, bool vertical)
    {
        int neighbour = vertical ? addr - 1 : addr - grid.WidthInMbs;
        bool transform8x8 = grid.Transform8x8[addr];
        int qpQ = QpOf(grid, addr);
        Span<int> bs = _bs;
        // A P_Skip macroblock has one vector, one reference and no residual: bS is 0 on its inner edges.
        int edges = grid.Kind[addr] == MacroblockKind.PSkip ? 1 : 4;
        for (int edge = 0; edge < edges; edge++)
        {
            if (edge == 0 && !filterOuterEdge) continue;
            if (transform8x8 && (edge & 1) != 0) continue;
            if (!ComputeBs(grid, addr, mbX, mbY, edge, vertical, bs)) continue;

            int qpP = edge == 0 ? QpOf(grid, neighbour) : qpQ;
            Plane luma = picture.Luma;
            int lumaOffset = vertical
                ? luma.IndexOf(mbX * 16 + edge * 4, mbY * 16)
                : luma.IndexOf(mbX * 16, mbY * 16 + edge * 4);
            FilterLumaEdge(luma, lumaOffset, vertical, bs, (qpP + qpQ + 1) >> 1, slice);

            if ((edge & 1) != 0) continue;
            int qpcP = BlockLayout.ChromaQpFor(qpP, slice.ChromaQpIndexOffset);
            int qpcQ = BlockLayout.ChromaQpFor(qpQ, slice.ChromaQpIndexOffset);
            int qpcPCr = BlockLayout.ChromaQpFor(qpP, slice.SecondChromaQpIndexOffset);
            int qpcQCr = BlockLayout.ChromaQpFor(qpQ, slice.SecondChromaQpIndexOffset);
            int chromaOffset = vertical
                ? picture.Cb.IndexOf(mbX * 8 + edge * 2, mbY * 8)
                : picture.Cb.IndexOf(mbX * 8, mbY * 8 + edge * 2);
            FilterChromaEdge(picture, chromaOffset, vertical, bs, (qpcP + qpcQ + 1) >> 1, (qpcPCr + qpcQCr + 1) >> 1, slice);
        }
    }

    /// <summary>QPY for deblocking: I_PCM macroblocks count as 0 (8.7.2.2).</summary>
    private static int QpOf(MacroblockGrid grid, int addr) => grid.Kind[addr] == MacroblockKind.IPcm ? 0 : grid.Qp[addr];

    /// <summary>Boundary strength of the four 4-sample segments of an edge (8.7.2.1); false when all are 0.</summary>
    private static bool ComputeBs(MacroblockGrid grid, int addr, int mbX, int mbY, int edge, bool vertical, Span<int> bs)
    {
        int neighbour = edge > 0 ? addr : vertical ? addr - 1 : addr - grid.WidthInMbs;
        bool intra = MacroblockGrid.IsIntra(grid.Kind[addr]) || MacroblockGrid.IsIntra(grid.Kind[neighbour]);
        if (intra)
        {
            bs.Fill(edge == 0 ? 4 : 3);
            return true;
        }
        int w4 = grid.WidthInMbs * 4;
        bool any = false;
        for (int i = 0; i < 4; i++)
        {
            int qx = mbX * 4 + (vertical ? edge : i);
            int qy = mbY * 4 + (vertical ? i : edge);
            int q = qy * w4 + qx;
            int p = vertical ? q - 1 : q - w4;
            int value;
            if (grid.CodedBlock[q] != 0 || grid.CodedBlock[p] != 0) value = 2;
            else value = MotionDiffers(grid.Motion, p, q) ? 1 : 0;
            bs[i] = value;
            any |= value != 0;
        }
        return any;
    }

    /// <summary>
    /// 8.7.2.1's bS 1 test between blocks p and q: different reference pictures or numbers of vectors, or a vector
    /// pair for the same picture at least 4 quarter samples apart. Pictures are compared, not lists or indices.
    /// </summary>
    private static bool MotionDiffers(MotionField m, int p, int q)
    {
        int p0 = m.RefPicId[0][p], p1 = m.RefPicId[1][p], q0 = m.RefPicId[0][q], q1 = m.RefPicId[1][q];
        if (p1 == MotionField.NoPicture && q1 == MotionField.NoPicture) return p0 != q0 || Far(m, 0, p, 0, q);
        if (!((p0 == q0 && p1 == q1) || (p0 == q1 && p1 == q0))) return true;
        if (p0 != p1)
        {
            return p0 == q0
                ? Far(m, 0, p, 0, q) || Far(m, 1, p, 1, q)
                : Far(m, 0, p, 1, q) || Far(m, 1, p, 0, q);
        }
        // Both vectors of both blocks point into the same picture: either pairing may match.
        return (Far(m, 0, p, 0, q) || Far(m, 1, p, 1, q)) && (Far(m, 0, p, 1, q) || Far(m, 1, p, 0, q));
    }

    private static bool Far(MotionField m, int listP, int p, int listQ, int q) =>
        Math.Abs(m.MvX[listP][p] - m.MvX[listQ][q]) >= 4 || Math.Abs(m.MvY[listP][p] - m.MvY[listQ][q]) >= 4;

    /// <summary>The 16 lines across one luma edge (8.7.2.3, 8.7.2.4); bS 4 comes for all four segments or none.</summary>
    private static void FilterLumaEdge(Plane plane, int offset, bool vertical, Span<int> bs, int qpAv, in SliceParameters slice)
    {
        int indexA = Math.Clamp(qpAv + slice.FilterOffsetA, 0, 51);
        int indexB = Math.Clamp(qpAv + slice.FilterOffsetB, 0, 51);
        int alpha = DeblockingTables.Alpha[indexA];
        int beta = DeblockingTables.Beta[indexB];
        if (alpha == 0 || beta == 0) return;
        short t0 = Tc0(indexA, bs[0]), t1 = Tc0(indexA, bs[1]), t2 = Tc0(indexA, bs[2]), t3 = Tc0(indexA, bs[3]);
        DeblockingKernels.Luma(plane.Data, offset, plane.Stride, vertical, bs[0] == 4,
            Vector128.Create(t0, t0, t0, t0, t1, t1, t1, t1), Vector128.Create(t2, t2, t2, t2, t3, t3, t3, t3), alpha, beta);
    }

    /// <summary>The 8 lines of the Cb edge and of the Cr edge at the same place, two lines per bS segment.</summary>
    private static void FilterChromaEdge(DecodedPicture picture, int offset, bool vertical, Span<int> bs, int qpAvCb, int qpAvCr,
        in SliceParameters slice)
    {
        int indexA = Math.Clamp(qpAvCb + slice.FilterOffsetA, 0, 51);
        int indexB = Math.Clamp(qpAvCb + slice.FilterOffsetB, 0, 51);
        int indexACr = Math.Clamp(qpAvCr + slice.FilterOffsetA, 0, 51);
        int indexBCr = Math.Clamp(qpAvCr + slice.FilterOffsetB, 0, 51);
        int alpha = DeblockingTables.Alpha[indexA], beta = DeblockingTables.Beta[indexB];
        int alphaCr = DeblockingTables.Alpha[indexACr], betaCr = DeblockingTables.Beta[indexBCr];
        if ((alpha == 0 || beta == 0) && (alphaCr == 0 || betaCr == 0)) return;   // a zero threshold stops every line
        short t0 = Tc0(indexA, bs[0]), t1 = Tc0(indexA, bs[1]), t2 = Tc0(indexA, bs[2]), t3 = Tc0(indexA, bs[3]);
        short u0 = Tc0(indexACr, bs[0]), u1 = Tc0(indexACr, bs[1]), u2 = Tc0(indexACr, bs[2]), u3 = Tc0(indexACr, bs[3]);
        DeblockingKernels.Chroma(picture.Cb.Data, picture.Cr.Data, offset, picture.Cb.Stride, vertical, bs[0] == 4,
            Vector128.Create(t0, t0, t1, t1, t2, t2, t3, t3), Vector128.Create(u0, u0, u1, u1, u2, u2, u3, u3),
            alpha, beta, alphaCr, betaCr);
    }

    /// <summary>tC0 of a segment (Table 8-17), -1 for bS 0 (the kernels leave those lines alone), 0 for bS 4 (unused).</summary>
    private static short Tc0(int indexA, int bs) =>
        bs == 0 ? (short)-1 : bs < 4 ? DeblockingTables.Tc0[indexA * 3 + bs - 1] : (short)0;
}
