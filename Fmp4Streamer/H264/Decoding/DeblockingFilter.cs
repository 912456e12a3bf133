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
        for (int edge = 0; edge < 4; edge++)
        {
            if (edge == 0 && !filterOuterEdge) continue;
            if (transform8x8 && (edge & 1) != 0) continue;
            if (!ComputeBs(grid, addr, mbX, mbY, edge, vertical, bs)) continue;

            int qpP = edge == 0 ? QpOf(grid, neighbour) : qpQ;
            Plane luma = picture.Luma;
            int lumaOffset = vertical
                ? luma.IndexOf(mbX * 16 + edge * 4, mbY * 16)
                : luma.IndexOf(mbX * 16, mbY * 16 + edge * 4);
            FilterEdge(luma, lumaOffset, vertical, bs, (qpP + qpQ + 1) >> 1, slice, chroma: false);

            if ((edge & 1) != 0) continue;
            for (int c = 0; c < 2; c++)
            {
                int offset = c == 0 ? slice.ChromaQpIndexOffset : slice.SecondChromaQpIndexOffset;
                int qpcP = BlockLayout.ChromaQpFor(qpP, offset);
                int qpcQ = BlockLayout.ChromaQpFor(qpQ, offset);
                Plane plane = c == 0 ? picture.Cb : picture.Cr;
                int chromaOffset = vertical
                    ? plane.IndexOf(mbX * 8 + edge * 2, mbY * 8)
                    : plane.IndexOf(mbX * 8, mbY * 8 + edge * 2);
                FilterEdge(plane, chromaOffset, vertical, bs, (qpcP + qpcQ + 1) >> 1, slice, chroma: true);
            }
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

    private static void FilterEdge(Plane plane, int offset, bool vertical, Span<int> bs, int qpAv, in SliceParameters slice, bool chroma)
    {
        int indexA = Math.Clamp(qpAv + slice.FilterOffsetA, 0, 51);
        int indexB = Math.Clamp(qpAv + slice.FilterOffsetB, 0, 51);
        int alpha = DeblockingTables.Alpha[indexA];
        int beta = DeblockingTables.Beta[indexB];
        if (alpha == 0 || beta == 0) return;
        byte[] d = plane.Data;
        int across = vertical ? 1 : plane.Stride;
        int along = vertical ? plane.Stride : 1;
        int linesPerSegment = chroma ? 2 : 4;
        for (int segment = 0; segment < 4; segment++)
        {
            int strength = bs[segment];
            if (strength == 0) continue;
            int tc0 = strength < 4 ? DeblockingTables.Tc0[indexA * 3 + strength - 1] : 0;
            for (int line = 0; line < linesPerSegment; line++)
            {
                int o = offset + (segment * linesPerSegment + line) * along;
                if (chroma) FilterChromaLine(d, o, across, strength, alpha, beta, tc0);
                else FilterLumaLine(d, o, across, strength, alpha, beta, tc0);
            }
        }
    }

    private static void FilterLumaLine(byte[] d, int o, int step, int bs, int alpha, int beta, int tc0)
    {
        int p0 = d[o - step], p1 = d[o - 2 * step], p2 = d[o - 3 * step];
        int q0 = d[o], q1 = d[o + step], q2 = d[o + 2 * step];
        if (Math.Abs(p0 - q0) >= alpha || Math.Abs(p1 - p0) >= beta || Math.Abs(q1 - q0) >= beta) return;
        bool ap = Math.Abs(p2 - p0) < beta;
        bool aq = Math.Abs(q2 - q0) < beta;
        if (bs < 4)
        {
            int tc = tc0 + (ap ? 1 : 0) + (aq ? 1 : 0);
            int delta = Math.Clamp((((q0 - p0) << 2) + (p1 - q1) + 4) >> 3, -tc, tc);
            d[o - step] = InverseTransform.Clip(p0 + delta);
            d[o] = InverseTransform.Clip(q0 - delta);
            if (ap) d[o - 2 * step] = (byte)(p1 + Math.Clamp((p2 + ((p0 + q0 + 1) >> 1) - (p1 << 1)) >> 1, -tc0, tc0));
            if (aq) d[o + step] = (byte)(q1 + Math.Clamp((q2 + ((p0 + q0 + 1) >> 1) - (q1 << 1)) >> 1, -tc0, tc0));
            return;
        }
        bool strong = Math.Abs(p0 - q0) < ((alpha >> 2) + 2);
        if (ap && strong)
        {
            int p3 = d[o - 4 * step];
            d[o - step] = (byte)((p2 + 2 * p1 + 2 * p0 + 2 * q0 + q1 + 4) >> 3);
            d[o - 2 * step] = (byte)((p2 + p1 + p0 + q0 + 2) >> 2);
            d[o - 3 * step] = (byte)((2 * p3 + 3 * p2 + p1 + p0 + q0 + 4) >> 3);
        }
        else
        {
            d[o - step] = (byte)((2 * p1 + p0 + q1 + 2) >> 2);
        }
        if (aq && strong)
        {
            int q3 = d[o + 3 * step];
            d[o] = (byte)((p1 + 2 * p0 + 2 * q0 + 2 * q1 + q2 + 4) >> 3);
            d[o + step] = (byte)((p0 + q0 + q1 + q2 + 2) >> 2);
            d[o + 2 * step] = (byte)((2 * q3 + 3 * q2 + q1 + q0 + p0 + 4) >> 3);
        }
        else
        {
            d[o] = (byte)((2 * q1 + q0 + p1 + 2) >> 2);
        }
    }

    private static void FilterChromaLine(byte[] d, int o, int step, int bs, int alpha, int beta, int tc0)
    {
        int p0 = d[o - step], p1 = d[o - 2 * step];
        int q0 = d[o], q1 = d[o + step];
        if (Math.Abs(p0 - q0) >= alpha || Math.Abs(p1 - p0) >= beta || Math.Abs(q1 - q0) >= beta) return;
        if (bs < 4)
        {
            int tc = tc0 + 1;
            int delta = Math.Clamp((((q0 - p0) << 2) + (p1 - q1) + 4) >> 3, -tc, tc);
            d[o - step] = InverseTransform.Clip(p0 + delta);
            d[o] = InverseTransform.Clip(q0 - delta);
            return;
        }
        d[o - step] = (byte)((2 * p1 + p0 + q1 + 2) >> 2);
        d[o] = (byte)((2 * q1 + q0 + p1 + 2) >> 2);
    }
}
