namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// macroblock_layer() of CABAC slices (H.264 7.3.5 with 9.3.3.1.1's context selection) for intra macroblocks:
/// mb_type, prediction modes, coded_block_pattern, mb_qp_delta and the residual, dequantised into a
/// <see cref="MacroblockData"/>; records in the grid what later macroblocks' contexts depend on.
/// </summary>
public sealed class CabacMacroblockParser
{
    private const int MbTypeI = 3;
    private const int MbQpDelta = 60;
    private const int IntraChromaPredMode = 64;
    private const int PrevIntraPredModeFlag = 68;
    private const int RemIntraPredMode = 69;
    private const int CbpLuma = 73;
    private const int CbpChroma = 77;
    private const int TransformSize8x8Flag = 399;

    private readonly int[] _levels = new int[64];
    private readonly byte[] _positions = new byte[64];
    private readonly int[] _dc = new int[16];

    /// <summary>True when the previous macroblock of the slice had a non-zero mb_qp_delta (ctxIdxInc of the next one).</summary>
    public bool PreviousQpDeltaNonZero;

    /// <summary>mb_type of an I slice (Table 9-36 binarization); 25 is I_PCM.</summary>
    public int DecodeMbTypeI(CabacDecoder c, MacroblockGrid grid, int addr, in MacroblockNeighbours n)
    {
        int inc = (n.A && !IsINxN(grid.Kind[addr - 1]) ? 1 : 0) + (n.B && !IsINxN(grid.Kind[addr - grid.WidthInMbs]) ? 1 : 0);
        if (c.DecodeDecision(MbTypeI + inc) == 0) return 0;
        if (c.DecodeTerminate() != 0) return CavlcMacroblockParser.MbTypeIPcm;
        int mbType = 1 + 12 * c.DecodeDecision(MbTypeI + 3);
        if (c.DecodeDecision(MbTypeI + 4) != 0) mbType += 4 + 4 * c.DecodeDecision(MbTypeI + 5);
        mbType += 2 * c.DecodeDecision(MbTypeI + 6);
        mbType += c.DecodeDecision(MbTypeI + 7);
        return mbType;
    }

    private static bool IsINxN(MacroblockKind kind) => kind is MacroblockKind.Intra4x4 or MacroblockKind.Intra8x8;

    /// <summary>An intra macroblock after its mb_type. <paramref name="qp"/> is QPY,PRED on entry, QPY on exit.</summary>
    public bool ParseIntra(CabacDecoder c, RbspReader r, int mbType, in SliceParameters slice, MacroblockGrid grid, int mbX, int mbY,
        in MacroblockNeighbours n, DequantTables dequant, MacroblockData mb, ref int qp)
    {
        int w = grid.WidthInMbs;
        int addr = mbY * w + mbX;
        CavlcMacroblockParser.FillCounts(grid, mbX, mbY, 0);
        mb.LumaNonZero = 0;
        mb.ChromaNonZero = 0;
        mb.Transform8x8 = false;
        grid.CodedDc[addr] = 0;

        if (mbType == CavlcMacroblockParser.MbTypeIPcm)
        {
            mb.Kind = MacroblockKind.IPcm;
            // The terminating bin leaves the engine one bit short of the encoder's final 1 bit; then zero bits align.
            r.Skip(1);
            r.AlignToByte();
            for (int i = 0; i < 384; i++) mb.Pcm[i] = (byte)r.ReadBits(8);
            c.InitEngine(r);
            CavlcMacroblockParser.FillCounts(grid, mbX, mbY, 16);
            CavlcMacroblockParser.SetModes(grid, mbX, mbY, Intra4x4Prediction.Dc);
            grid.CodedDc[addr] = 7;
            grid.Cbp[addr] = 0x2F;
            grid.ChromaPredMode[addr] = 0;
            mb.Qp = qp;
            PreviousQpDeltaNonZero = false;
            return !r.Overrun;
        }

        if (mbType == 0)
        {
            if (slice.Transform8x8Mode)
            {
                int inc = (n.A && grid.Transform8x8[addr - 1] ? 1 : 0) + (n.B && grid.Transform8x8[addr - w] ? 1 : 0);
                mb.Transform8x8 = c.DecodeDecision(TransformSize8x8Flag + inc) != 0;
            }
            mb.Kind = mb.Transform8x8 ? MacroblockKind.Intra8x8 : MacroblockKind.Intra4x4;
            ReadIntraModes(c, grid, mbX, mbY, n, mb);
        }
        else
        {
            mb.Kind = MacroblockKind.Intra16x16;
            mb.Intra16x16Mode = (mbType - 1) & 3;
            mb.CbpChroma = ((mbType - 1) >> 2) % 3;
            mb.CbpLuma = mbType >= 13 ? 15 : 0;
            CavlcMacroblockParser.SetModes(grid, mbX, mbY, Intra4x4Prediction.Dc);
        }

        int chromaInc = (n.A && ChromaModeNonZero(grid, addr - 1) ? 1 : 0) + (n.B && ChromaModeNonZero(grid, addr - w) ? 1 : 0);
        int chromaMode = c.DecodeDecision(IntraChromaPredMode + chromaInc);
        if (chromaMode != 0)
        {
            chromaMode += c.DecodeDecision(IntraChromaPredMode + 3);
            if (chromaMode == 2) chromaMode += c.DecodeDecision(IntraChromaPredMode + 3);
        }
        mb.ChromaMode = chromaMode;
        grid.ChromaPredMode[addr] = (byte)chromaMode;

        if (mb.Kind != MacroblockKind.Intra16x16) ReadCodedBlockPattern(c, grid, addr, n, mb);
        grid.Cbp[addr] = (byte)(mb.CbpLuma | (mb.CbpChroma << 4));

        if (mb.CbpLuma > 0 || mb.CbpChroma > 0 || mb.Kind == MacroblockKind.Intra16x16)
        {
            if (!ReadQpDelta(c, ref qp)) return false;
        }
        else
        {
            PreviousQpDeltaNonZero = false;
        }
        mb.Qp = qp;
        if (r.Overrun) return false;
        ReadResidual(c, slice, grid, mbX, mbY, addr, n, dequant, mb, intra: true);
        return !r.Overrun;
    }

    /// <summary>An inter macroblock after its prediction syntax: coded_block_pattern, transform_size_8x8_flag, mb_qp_delta, residual.</summary>
    public bool ParseInter(CabacDecoder c, RbspReader r, in SliceParameters slice, MacroblockGrid grid, int mbX, int mbY,
        in MacroblockNeighbours n, DequantTables dequant, MacroblockData mb, ref int qp)
    {
        int w = grid.WidthInMbs;
        int addr = mbY * w + mbX;
        CavlcMacroblockParser.FillCounts(grid, mbX, mbY, 0);
        CavlcMacroblockParser.SetModes(grid, mbX, mbY, Intra4x4Prediction.Dc);
        mb.LumaNonZero = 0;
        mb.ChromaNonZero = 0;
        mb.Transform8x8 = false;
        grid.CodedDc[addr] = 0;
        grid.ChromaPredMode[addr] = 0;
        ReadCodedBlockPattern(c, grid, addr, n, mb);
        grid.Cbp[addr] = (byte)(mb.CbpLuma | (mb.CbpChroma << 4));
        if (mb.CbpLuma > 0 && slice.Transform8x8Mode && mb.AllowsTransform8x8)
        {
            int inc = (n.A && grid.Transform8x8[addr - 1] ? 1 : 0) + (n.B && grid.Transform8x8[addr - w] ? 1 : 0);
            mb.Transform8x8 = c.DecodeDecision(TransformSize8x8Flag + inc) != 0;
        }
        grid.Transform8x8[addr] = mb.Transform8x8;
        if (mb.CbpLuma > 0 || mb.CbpChroma > 0)
        {
            if (!ReadQpDelta(c, ref qp)) return false;
        }
        else
        {
            PreviousQpDeltaNonZero = false;
        }
        mb.Qp = qp;
        if (r.Overrun) return false;
        ReadResidual(c, slice, grid, mbX, mbY, addr, n, dequant, mb, intra: false);
        return !r.Overrun;
    }

    private static bool ChromaModeNonZero(MacroblockGrid grid, int addr) =>
        MacroblockGrid.IsIntra(grid.Kind[addr]) && grid.Kind[addr] != MacroblockKind.IPcm && grid.ChromaPredMode[addr] != 0;

    private static void ReadIntraModes(CabacDecoder c, MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n, MacroblockData mb)
    {
        int w4 = grid.WidthInMbs * 4;
        int step = mb.Transform8x8 ? 4 : 1;
        for (int blk = 0; blk < 16; blk += step)
        {
            int bx = BlockLayout.X[blk], by = BlockLayout.Y[blk];
            int gx = mbX * 4 + bx, gy = mbY * 4 + by;
            bool dcPredicted = !(bx > 0 || n.A) || !(by > 0 || n.B) || (bx == 0 && !n.IntraA) || (by == 0 && !n.IntraB);
            int predicted = dcPredicted
                ? Intra4x4Prediction.Dc
                : Math.Min(grid.IntraModes[gy * w4 + gx - 1], grid.IntraModes[(gy - 1) * w4 + gx]);
            int mode = predicted;
            if (c.DecodeDecision(PrevIntraPredModeFlag) == 0)
            {
                int rem = c.DecodeDecision(RemIntraPredMode);
                rem |= c.DecodeDecision(RemIntraPredMode) << 1;
                rem |= c.DecodeDecision(RemIntraPredMode) << 2;
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

    private static void ReadCodedBlockPattern(CabacDecoder c, MacroblockGrid grid, int addr, in MacroblockNeighbours n, MacroblockData mb)
    {
        int w = grid.WidthInMbs;
        int luma = 0;
        for (int b8 = 0; b8 < 4; b8++)
        {
            // condTermFlagN is 1 when the neighbouring 8x8 block has no coded luma (a skipped macroblock counts so).
            int condA, condB;
            if ((b8 & 1) != 0) condA = (luma >> (b8 - 1) & 1) == 0 ? 1 : 0;
            else condA = LumaCondition(grid, n.A, addr - 1, b8 + 1);
            if (b8 >= 2) condB = (luma >> (b8 - 2) & 1) == 0 ? 1 : 0;
            else condB = LumaCondition(grid, n.B, addr - w, b8 + 2);
            luma |= c.DecodeDecision(CbpLuma + condA + 2 * condB) << b8;
        }
        int chroma = 0;
        int a0 = ChromaCondition(grid, n.A, addr - 1, 1), b0 = ChromaCondition(grid, n.B, addr - w, 1);
        if (c.DecodeDecision(CbpChroma + a0 + 2 * b0) != 0)
        {
            int a1 = ChromaCondition(grid, n.A, addr - 1, 2), b1 = ChromaCondition(grid, n.B, addr - w, 2);
            chroma = 1 + c.DecodeDecision(CbpChroma + a1 + 2 * b1 + 4);
        }
        mb.CbpLuma = luma;
        mb.CbpChroma = chroma;
    }

    private static int LumaCondition(MacroblockGrid grid, bool available, int addr, int b8)
    {
        if (!available || grid.Kind[addr] == MacroblockKind.IPcm) return 0;
        if (MacroblockGrid.IsSkip(grid.Kind[addr])) return 1;
        return (grid.Cbp[addr] >> b8 & 1) != 0 ? 0 : 1;
    }

    private static int ChromaCondition(MacroblockGrid grid, bool available, int addr, int atLeast)
    {
        if (!available) return 0;
        if (grid.Kind[addr] == MacroblockKind.IPcm) return 1;
        if (MacroblockGrid.IsSkip(grid.Kind[addr])) return 0;
        return grid.Cbp[addr] >> 4 >= atLeast ? 1 : 0;
    }

    private bool ReadQpDelta(CabacDecoder c, ref int qp)
    {
        int k = 0;
        if (c.DecodeDecision(MbQpDelta + (PreviousQpDeltaNonZero ? 1 : 0)) != 0)
        {
            k = 1;
            int ctx = MbQpDelta + 2;
            while (k < 53 && c.DecodeDecision(ctx) != 0)
            {
                k++;
                ctx = MbQpDelta + 3;
            }
        }
        int delta = (k & 1) != 0 ? (k + 1) >> 1 : -(k >> 1);
        if (delta < -26 || delta > 25) return false;
        PreviousQpDeltaNonZero = delta != 0;
        qp = (qp + delta + 52) % 52;
        return true;
    }

    /// <summary>The residual of a macroblock whose cbp and QP are known.</summary>
    public void ReadResidual(CabacDecoder c, in SliceParameters slice, MacroblockGrid grid, int mbX, int mbY, int addr,
        in MacroblockNeighbours n, DequantTables dequant, MacroblockData mb, bool intra)
    {
        int w = grid.WidthInMbs, w4 = w * 4;
        int qp = mb.Qp, qpRem = qp % 6, qpDiv = qp / 6;
        bool intra16 = mb.Kind == MacroblockKind.Intra16x16;
        ReadOnlySpan<byte> zigzag = ScanOrder.ZigZag4x4;
        ReadOnlySpan<byte> zigzag8 = ScanOrder.ZigZag8x8;
        ReadOnlySpan<int> scale = dequant.Scale4x4(intra ? DequantTables.IntraY : DequantTables.InterY, qpRem);
        Span<int> levels = _levels;
        Span<byte> positions = _positions;

        if (intra16)
        {
            int inc = DcCondition(grid, n.A, addr - 1, 0, intra) + 2 * DcCondition(grid, n.B, addr - w, 0, intra);
            int total = CabacResidualReader.Read(c, CabacResidualReader.LumaDc, inc, 16, levels, positions);
            Span<int> dc = _dc;
            dc.Clear();
            if (total > 0) grid.CodedDc[addr] |= 1;
            for (int k = 0; k < total; k++) dc[zigzag[positions[k]]] = levels[k];
            InverseTransform.LumaDc(dc, qp, scale[0]);
            for (int i = 0; i < 16; i++) mb.LumaDc[BlockLayout.IndexOfRaster[i]] = dc[i];
        }

        for (int b8 = 0; b8 < 4; b8++)
        {
            if ((mb.CbpLuma & (1 << b8)) == 0) continue;
            if (mb.Transform8x8)
            {
                ReadOnlySpan<int> scale8 = dequant.Scale8x8(intra ? 0 : 1, qpRem);
                int total = CabacResidualReader.Read(c, CabacResidualReader.Luma8x8, 0, 64, levels, positions);
                Span<int> block = mb.Luma.AsSpan(b8 * 64, 64);
                for (int k = 0; k < total; k++)
                {
                    int raster = zigzag8[positions[k]];
                    block[raster] = ((levels[k] * scale8[raster] << qpDiv) + 32) >> 6;
                }
                int corner = (mbY * 4 + (b8 >> 1) * 2) * w4 + mbX * 4 + (b8 & 1) * 2;
                byte count = (byte)total;
                grid.LumaTotalCoeff[corner] = grid.LumaTotalCoeff[corner + 1] = count;
                grid.LumaTotalCoeff[corner + w4] = grid.LumaTotalCoeff[corner + w4 + 1] = count;
                byte coded = total > 0 ? (byte)1 : (byte)0;
                grid.CodedBlock[corner] = grid.CodedBlock[corner + 1] = coded;
                grid.CodedBlock[corner + w4] = grid.CodedBlock[corner + w4 + 1] = coded;
                if (total > 0) mb.LumaNonZero |= 0xF << (b8 * 4);
                continue;
            }
            for (int i4 = 0; i4 < 4; i4++)
            {
                int blk = b8 * 4 + i4;
                int bx = BlockLayout.X[blk], by = BlockLayout.Y[blk];
                int cell = (mbY * 4 + by) * w4 + mbX * 4 + bx;
                int condA = bx > 0 ? Flag(grid.LumaTotalCoeff[cell - 1]) : BlockCondition(grid, n.A, addr - 1, grid.LumaTotalCoeff, cell - 1, intra);
                int condB = by > 0 ? Flag(grid.LumaTotalCoeff[cell - w4]) : BlockCondition(grid, n.B, addr - w, grid.LumaTotalCoeff, cell - w4, intra);
                int cat = intra16 ? CabacResidualReader.LumaAc : CabacResidualReader.Luma4x4;
                int total = CabacResidualReader.Read(c, cat, condA + 2 * condB, intra16 ? 15 : 16, levels, positions);
                grid.LumaTotalCoeff[cell] = (byte)total;
                if (total == 0) continue;
                grid.CodedBlock[cell] = 1;
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

        if (mb.CbpChroma == 0) return;
        for (int plane = 0; plane < 2; plane++)
        {
            int inc = DcCondition(grid, n.A, addr - 1, plane + 1, intra) + 2 * DcCondition(grid, n.B, addr - w, plane + 1, intra);
            int total = CabacResidualReader.Read(c, CabacResidualReader.ChromaDc, inc, 4, levels, positions);
            Span<int> dc = mb.ChromaDc.AsSpan(plane * 4, 4);
            dc.Clear();
            if (total == 0) continue;
            grid.CodedDc[addr] |= (byte)(2 << plane);
            for (int k = 0; k < total; k++) dc[positions[k]] = levels[k];
            int qpc = BlockLayout.ChromaQpFor(qp, plane == 0 ? slice.ChromaQpIndexOffset : slice.SecondChromaQpIndexOffset);
            InverseTransform.ChromaDc(dc, qpc, dequant.Scale4x4((intra ? 1 : 4) + plane, qpc % 6)[0]);
        }
        if (mb.CbpChroma < 2) return;
        int w2 = w * 2;
        for (int plane = 0; plane < 2; plane++)
        {
            byte[] counts = plane == 0 ? grid.CbTotalCoeff : grid.CrTotalCoeff;
            int qpc = BlockLayout.ChromaQpFor(qp, plane == 0 ? slice.ChromaQpIndexOffset : slice.SecondChromaQpIndexOffset);
            ReadOnlySpan<int> chromaScale = dequant.Scale4x4((intra ? 1 : 4) + plane, qpc % 6);
            int chromaDiv = qpc / 6;
            for (int blk = 0; blk < 4; blk++)
            {
                int bx = blk & 1, by = blk >> 1;
                int cell = (mbY * 2 + by) * w2 + mbX * 2 + bx;
                int condA = bx > 0 ? Flag(counts[cell - 1]) : BlockCondition(grid, n.A, addr - 1, counts, cell - 1, intra);
                int condB = by > 0 ? Flag(counts[cell - w2]) : BlockCondition(grid, n.B, addr - w, counts, cell - w2, intra);
                int total = CabacResidualReader.Read(c, CabacResidualReader.ChromaAc, condA + 2 * condB, 15, levels, positions);
                counts[cell] = (byte)total;
                if (total == 0) continue;
                Span<int> block = mb.Chroma.AsSpan((plane * 4 + blk) * 16, 16);
                for (int k = 0; k < total; k++)
                {
                    int raster = zigzag[positions[k] + 1];
                    block[raster] = ((levels[k] * chromaScale[raster] << chromaDiv) + 8) >> 4;
                }
                mb.ChromaNonZero |= 1 << (plane * 4 + blk);
            }
        }
    }

    private static int Flag(byte count) => count != 0 ? 1 : 0;

    /// <summary>coded_block_flag condition of a block in a neighbouring macroblock (9.3.3.1.1.9).</summary>
    private static int BlockCondition(MacroblockGrid grid, bool available, int addr, byte[] counts, int cell, bool intra)
    {
        if (!available) return intra ? 1 : 0;
        if (grid.Kind[addr] == MacroblockKind.IPcm) return 1;
        return counts[cell] != 0 ? 1 : 0;
    }

    /// <summary>The same for DC blocks: bit 0 luma (Intra16x16 only), 1 Cb, 2 Cr.</summary>
    private static int DcCondition(MacroblockGrid grid, bool available, int addr, int component, bool intra)
    {
        if (!available) return intra ? 1 : 0;
        if (grid.Kind[addr] == MacroblockKind.IPcm) return 1;
        return (grid.CodedDc[addr] >> component & 1) != 0 ? 1 : 0;
    }
}
