namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// macroblock_layer() of CAVLC slices (H.264 7.3.5) for intra macroblocks: mb_type, prediction modes, coded block
/// pattern, mb_qp_delta and the residual, dequantised (8.5.12.1) into a <see cref="MacroblockData"/>. Also records
/// in the <see cref="MacroblockGrid"/> what later macroblocks predict from: coefficient counts and intra modes.
/// </summary>
public sealed class CavlcMacroblockParser
{
    public const int MbTypeIPcm = 25;

    private readonly int[] _levels = new int[16];
    private readonly byte[] _positions = new byte[16];
    private readonly int[] _dc = new int[16];

    /// <summary>
    /// Parses an intra macroblock of mb_type <paramref name="mbType"/> (0..25, Table 7-11) whose mb_type was just read.
    /// <paramref name="qp"/> is QPY,PRED on entry and QPY on exit. False on a syntax error.
    /// </summary>
    public bool ParseIntra(RbspReader r, int mbType, in SliceParameters slice, MacroblockGrid grid, int mbX, int mbY,
        in MacroblockNeighbours n, DequantTables dequant, MacroblockData mb, ref int qp)
    {
        int w4 = grid.WidthInMbs * 4;
        ClearCounts(grid, mbX, mbY);
        mb.LumaNonZero = 0;
        mb.ChromaNonZero = 0;
        mb.Transform8x8 = false;

        if (mbType == MbTypeIPcm)
        {
            mb.Kind = MacroblockKind.IPcm;
            r.AlignToByte();
            for (int i = 0; i < 384; i++) mb.Pcm[i] = (byte)r.ReadBits(8);
            // 9.2.1: an I_PCM neighbour counts as 16 coefficients in every block.
            FillCounts(grid, mbX, mbY, 16);
            SetModes(grid, mbX, mbY, Intra4x4Prediction.Dc);
            mb.Qp = qp;
            return !r.Overrun;
        }

        if (mbType == 0)
        {
            mb.Transform8x8 = slice.Transform8x8Mode && r.ReadFlag();
            mb.Kind = mb.Transform8x8 ? MacroblockKind.Intra8x8 : MacroblockKind.Intra4x4;
            ReadIntraModes(r, grid, mbX, mbY, n, mb);
            mb.ChromaMode = (int)r.ReadUe();
            uint code = r.ReadUe();
            if (code > 47 || mb.ChromaMode > 3) return false;
            int cbp = IntraCbp[(int)code];
            mb.CbpLuma = cbp & 15;
            mb.CbpChroma = cbp >> 4;
        }
        else
        {
            mb.Kind = MacroblockKind.Intra16x16;
            mb.Intra16x16Mode = (mbType - 1) & 3;
            mb.CbpChroma = ((mbType - 1) >> 2) % 3;
            mb.CbpLuma = mbType >= 13 ? 15 : 0;
            mb.ChromaMode = (int)r.ReadUe();
            if (mb.ChromaMode > 3) return false;
            SetModes(grid, mbX, mbY, Intra4x4Prediction.Dc);
        }

        if (mb.CbpLuma > 0 || mb.CbpChroma > 0 || mb.Kind == MacroblockKind.Intra16x16)
        {
            int delta = r.ReadSe();
            if (delta < -26 || delta > 25) return false;
            qp = (qp + delta + 52) % 52;
        }
        mb.Qp = qp;
        if (r.Overrun) return false;

        return ReadLumaResidual(r, grid, w4, mbX, mbY, n, dequant, mb)
            && ReadChromaResidual(r, slice, grid, mbX, mbY, n, dequant, mb);
    }

    /// <summary>
    /// The part of an inter macroblock after its prediction syntax: coded_block_pattern, transform_size_8x8_flag,
    /// mb_qp_delta and the residual. <paramref name="qp"/> is QPY,PRED on entry and QPY on exit.
    /// </summary>
    public bool ParseInterResidual(RbspReader r, in SliceParameters slice, MacroblockGrid grid, int mbX, int mbY,
        in MacroblockNeighbours n, DequantTables dequant, MacroblockData mb, ref int qp)
    {
        ClearCounts(grid, mbX, mbY);
        SetModes(grid, mbX, mbY, Intra4x4Prediction.Dc);
        mb.LumaNonZero = 0;
        mb.ChromaNonZero = 0;
        mb.Transform8x8 = false;
        uint code = r.ReadUe();
        if (code > 47) return false;
        int cbp = InterCbp[(int)code];
        mb.CbpLuma = cbp & 15;
        mb.CbpChroma = cbp >> 4;
        if (mb.CbpLuma > 0 && slice.Transform8x8Mode && mb.AllowsTransform8x8) mb.Transform8x8 = r.ReadFlag();
        if (cbp > 0)
        {
            int delta = r.ReadSe();
            if (delta < -26 || delta > 25) return false;
            qp = (qp + delta + 52) % 52;
        }
        mb.Qp = qp;
        if (r.Overrun) return false;
        return ReadLumaResidual(r, grid, grid.WidthInMbs * 4, mbX, mbY, n, dequant, mb)
            && ReadChromaResidual(r, slice, grid, mbX, mbY, n, dequant, mb);
    }

    /// <summary>A skipped macroblock has no coefficients: its counts are 0 for its neighbours.</summary>
    public static void MarkSkipped(MacroblockGrid grid, int mbX, int mbY)
    {
        ClearCounts(grid, mbX, mbY);
        SetModes(grid, mbX, mbY, Intra4x4Prediction.Dc);
    }

    private static void ClearCounts(MacroblockGrid grid, int mbX, int mbY) => FillCounts(grid, mbX, mbY, 0);

    public static void FillCounts(MacroblockGrid grid, int mbX, int mbY, byte value)
    {
        int w4 = grid.WidthInMbs * 4;
        for (int y = 0; y < 4; y++)
        {
            grid.LumaTotalCoeff.AsSpan((mbY * 4 + y) * w4 + mbX * 4, 4).Fill(value);
            grid.CodedBlock.AsSpan((mbY * 4 + y) * w4 + mbX * 4, 4).Fill(value == 0 ? (byte)0 : (byte)1);
        }
        int w2 = grid.WidthInMbs * 2;
        for (int y = 0; y < 2; y++)
        {
            grid.CbTotalCoeff.AsSpan((mbY * 2 + y) * w2 + mbX * 2, 2).Fill(value);
            grid.CrTotalCoeff.AsSpan((mbY * 2 + y) * w2 + mbX * 2, 2).Fill(value);
        }
    }

    /// <summary>Macroblocks not coded Intra_4x4 or Intra_8x8 predict DC for their neighbours (8.3.1.1).</summary>
    public static void SetModes(MacroblockGrid grid, int mbX, int mbY, int mode)
    {
        int w4 = grid.WidthInMbs * 4;
        for (int y = 0; y < 4; y++) grid.IntraModes.AsSpan((mbY * 4 + y) * w4 + mbX * 4, 4).Fill((sbyte)mode);
    }

    private static void ReadIntraModes(RbspReader r, MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n, MacroblockData mb)
    {
        int w4 = grid.WidthInMbs * 4;
        int step = mb.Transform8x8 ? 4 : 1;
        for (int blk = 0; blk < 16; blk += step)
        {
            int bx = BlockLayout.X[blk], by = BlockLayout.Y[blk];
            int gx = mbX * 4 + bx, gy = mbY * 4 + by;
            bool availableA = bx > 0 || n.A;
            bool availableB = by > 0 || n.B;
            // 8.3.1.1: an unavailable neighbour means DC; an inter neighbour under constrained_intra_pred too.
            bool dcPredicted = !availableA || !availableB
                || (bx == 0 && !n.IntraA) || (by == 0 && !n.IntraB);
            int predicted = dcPredicted
                ? Intra4x4Prediction.Dc
                : Math.Min(grid.IntraModes[gy * w4 + gx - 1], grid.IntraModes[(gy - 1) * w4 + gx]);
            int mode = predicted;
            if (!r.ReadFlag())
            {
                int rem = (int)r.ReadBits(3);
                mode = rem < predicted ? rem : rem + 1;
            }
            mb.IntraModes[blk] = mode;
            int size = mb.Transform8x8 ? 2 : 1;
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++) grid.IntraModes[(gy + y) * w4 + gx + x] = (sbyte)mode;
            }
        }
    }

    private bool ReadLumaResidual(RbspReader r, MacroblockGrid grid, int w4, int mbX, int mbY, in MacroblockNeighbours n,
        DequantTables dequant, MacroblockData mb)
    {
        int qp = mb.Qp;
        int qpRem = qp % 6, qpDiv = qp / 6;
        bool intra16 = mb.Kind == MacroblockKind.Intra16x16;
        bool intra = MacroblockGrid.IsIntra(mb.Kind);
        ReadOnlySpan<byte> zigzag = ScanOrder.ZigZag4x4;
        ReadOnlySpan<int> scale = dequant.Scale4x4(intra ? DequantTables.IntraY : DequantTables.InterY, qpRem);
        Span<int> levels = _levels;
        Span<byte> positions = _positions;

        if (intra16)
        {
            int total = CavlcResidualReader.Read(r, LumaNc(grid, w4, mbX, mbY, 0, n), 16, levels, positions);
            if (total < 0) return false;
            Span<int> dc = _dc;
            dc.Clear();
            for (int k = 0; k < total; k++) dc[zigzag[positions[k]]] = levels[k];
            InverseTransform.LumaDc(dc, qp, scale[0]);
            // The DC grid is raster over blocks; LumaDc is indexed by luma4x4BlkIdx.
            for (int i = 0; i < 16; i++) mb.LumaDc[BlockLayout.IndexOfRaster[i]] = dc[i];
        }

        bool transform8x8 = mb.Transform8x8;
        ReadOnlySpan<int> scale8 = transform8x8 ? dequant.Scale8x8(intra ? 0 : 1, qpRem) : default;
        ReadOnlySpan<byte> zigzag8 = ScanOrder.ZigZag8x8;
        for (int i8x8 = 0; i8x8 < 4; i8x8++)
        {
            if ((mb.CbpLuma & (1 << i8x8)) == 0) continue;
            for (int i4x4 = 0; i4x4 < 4; i4x4++)
            {
                int blk = i8x8 * 4 + i4x4;
                int nC = LumaNc(grid, w4, mbX, mbY, blk, n);
                int maxCoeff = intra16 ? 15 : 16;
                int total = CavlcResidualReader.Read(r, nC, maxCoeff, levels, positions);
                if (total < 0) return false;
                int cell = (mbY * 4 + BlockLayout.Y[blk]) * w4 + mbX * 4 + BlockLayout.X[blk];
                grid.LumaTotalCoeff[cell] = (byte)total;
                if (total == 0) continue;
                if (transform8x8)
                {
                    int corner = (mbY * 4 + BlockLayout.Y[i8x8 * 4]) * w4 + mbX * 4 + BlockLayout.X[i8x8 * 4];
                    grid.CodedBlock[corner] = grid.CodedBlock[corner + 1] = grid.CodedBlock[corner + w4] = grid.CodedBlock[corner + w4 + 1] = 1;
                }
                else
                {
                    grid.CodedBlock[cell] = 1;
                }
                if (transform8x8)
                {
                    // 7.3.5.3.2 note: CAVLC codes an 8x8 block as four interleaved 4x4 scans.
                    Span<int> block = mb.Luma.AsSpan(i8x8 * 64, 64);
                    for (int k = 0; k < total; k++)
                    {
                        int raster = zigzag8[4 * positions[k] + i4x4];
                        block[raster] = ((levels[k] * scale8[raster] << qpDiv) + 32) >> 6;
                    }
                    mb.LumaNonZero |= 0xF << (i8x8 * 4);
                }
                else
                {
                    Span<int> block = mb.Luma.AsSpan(blk * 16, 16);
                    int offset = intra16 ? 1 : 0;
                    for (int k = 0; k < total; k++)
                    {
                        int raster = zigzag[positions[k] + offset];
                        block[raster] = ((levels[k] * scale[raster] << qpDiv) + 8) >> 4;
                    }
                    mb.LumaNonZero |= 1 << blk;
                }
            }
        }
        return !r.Overrun;
    }

    /// <summary>nC of a luma block (9.2.1) from the blocks left of and above it.</summary>
    private static int LumaNc(MacroblockGrid grid, int w4, int mbX, int mbY, int blk, in MacroblockNeighbours n)
    {
        int bx = BlockLayout.X[blk], by = BlockLayout.Y[blk];
        int index = (mbY * 4 + by) * w4 + mbX * 4 + bx;
        bool availableA = bx > 0 || n.A;
        bool availableB = by > 0 || n.B;
        return Predict(availableA, availableB, grid.LumaTotalCoeff, index - 1, index - w4);
    }

    private static int Predict(bool availableA, bool availableB, byte[] counts, int indexA, int indexB)
    {
        if (availableA && availableB) return (counts[indexA] + counts[indexB] + 1) >> 1;
        if (availableA) return counts[indexA];
        if (availableB) return counts[indexB];
        return 0;
    }

    private bool ReadChromaResidual(RbspReader r, in SliceParameters slice, MacroblockGrid grid, int mbX, int mbY,
        in MacroblockNeighbours n, DequantTables dequant, MacroblockData mb)
    {
        if (mb.CbpChroma == 0) return true;
        Span<int> levels = _levels;
        Span<byte> positions = _positions;
        bool intra = MacroblockGrid.IsIntra(mb.Kind);
        for (int plane = 0; plane < 2; plane++)
        {
            int total = CavlcResidualReader.Read(r, CavlcResidualReader.ChromaDcNc, 4, levels, positions);
            if (total < 0) return false;
            Span<int> dc = mb.ChromaDc.AsSpan(plane * 4, 4);
            dc.Clear();
            if (total == 0) continue;
            for (int k = 0; k < total; k++) dc[positions[k]] = levels[k];
            int qpc = BlockLayout.ChromaQpFor(mb.Qp, plane == 0 ? slice.ChromaQpIndexOffset : slice.SecondChromaQpIndexOffset);
            int list = (intra ? 1 : 4) + plane;
            InverseTransform.ChromaDc(dc, qpc, dequant.Scale4x4(list, qpc % 6)[0]);
        }
        if (mb.CbpChroma < 2) return !r.Overrun;

        int w2 = grid.WidthInMbs * 2;
        ReadOnlySpan<byte> zigzag = ScanOrder.ZigZag4x4;
        for (int plane = 0; plane < 2; plane++)
        {
            byte[] counts = plane == 0 ? grid.CbTotalCoeff : grid.CrTotalCoeff;
            int qpc = BlockLayout.ChromaQpFor(mb.Qp, plane == 0 ? slice.ChromaQpIndexOffset : slice.SecondChromaQpIndexOffset);
            ReadOnlySpan<int> scale = dequant.Scale4x4((intra ? 1 : 4) + plane, qpc % 6);
            int qpDiv = qpc / 6;
            for (int blk = 0; blk < 4; blk++)
            {
                int bx = blk & 1, by = blk >> 1;
                int index = (mbY * 2 + by) * w2 + mbX * 2 + bx;
                int nC = Predict(bx > 0 || n.A, by > 0 || n.B, counts, index - 1, index - w2);
                int total = CavlcResidualReader.Read(r, nC, 15, levels, positions);
                if (total < 0) return false;
                counts[index] = (byte)total;
                if (total == 0) continue;
                Span<int> block = mb.Chroma.AsSpan((plane * 4 + blk) * 16, 16);
                for (int k = 0; k < total; k++)
                {
                    int raster = zigzag[positions[k] + 1];
                    block[raster] = ((levels[k] * scale[raster] << qpDiv) + 8) >> 4;
                }
                mb.ChromaNonZero |= 1 << (plane * 4 + blk);
            }
        }
        return !r.Overrun;
    }

    /// <summary>Table 9-4: coded_block_pattern of intra macroblocks by codeNum (4:2:0).</summary>
    private static ReadOnlySpan<byte> IntraCbp =>
    [
        47, 31, 15, 0, 23, 27, 29, 30, 7, 11, 13, 14, 39, 43, 45, 46, 16, 3, 5, 10, 12, 19, 21, 26,
        28, 35, 37, 42, 44, 1, 2, 4, 8, 17, 18, 20, 24, 6, 9, 22, 25, 32, 33, 34, 36, 40, 38, 41,
    ];

    /// <summary>Table 9-4: coded_block_pattern of inter macroblocks by codeNum (4:2:0).</summary>
    public static ReadOnlySpan<byte> InterCbp =>
    [
        0, 16, 1, 2, 4, 8, 32, 3, 5, 10, 12, 15, 47, 7, 11, 13, 14, 6, 9, 31, 35, 37, 42, 44,
        33, 34, 36, 40, 39, 43, 45, 46, 17, 18, 20, 24, 19, 21, 26, 28, 23, 27, 29, 30, 22, 25, 38, 41,
    ];
}
