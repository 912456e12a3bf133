namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The CABAC syntax of P and B slices (H.264 7.3.4, 7.3.5.1, 7.3.5.2 with 9.3.3.1.1): mb_skip_flag, mb_type,
/// sub_mb_type, ref_idx_lX and mvd_lX, their contexts taken from the neighbouring blocks.
/// </summary>
public sealed class CabacInterParser
{
    private const int MbSkipFlagP = 11;
    private const int MbSkipFlagB = 24;
    private const int MbTypePPrefix = 14;
    private const int MbTypePSuffix = 17;
    private const int MbTypeB = 27;
    private const int MbTypeBSuffix = 32;
    private const int SubMbTypeP = 21;
    private const int SubMbTypeB = 36;
    private const int MvdX = 40;
    private const int MvdY = 47;
    private const int RefIdx = 54;

    // Per list, per 4x4 block of the macroblock being parsed: reference index and |mvd|, and which blocks hold parsed
    // values (a block without one counts as 0 for the contexts of the blocks after it).
    private readonly int[][] _ref = [new int[16], new int[16]];
    private readonly int[][] _mvdX = [new int[16], new int[16]];
    private readonly int[][] _mvdY = [new int[16], new int[16]];
    private readonly int[] _refMask = new int[2];
    private readonly int[] _mvdMask = new int[2];

    public bool DecodeSkip(CabacDecoder c, MacroblockGrid grid, int addr, in MacroblockNeighbours n, bool bSlice)
    {
        int inc = (n.A && !MacroblockGrid.IsSkip(grid.Kind[addr - 1]) ? 1 : 0)
            + (n.B && !MacroblockGrid.IsSkip(grid.Kind[addr - grid.WidthInMbs]) ? 1 : 0);
        return c.DecodeDecision((bSlice ? MbSkipFlagB : MbSkipFlagP) + inc) != 0;
    }

    /// <summary>mb_type of a P slice: 0..3 inter (Table 7-13), 5..30 intra (5 + the I slice value).</summary>
    public static int DecodeMbTypeP(CabacDecoder c)
    {
        if (c.DecodeDecision(MbTypePPrefix) == 0)
        {
            if (c.DecodeDecision(MbTypePPrefix + 1) == 0) return 3 * c.DecodeDecision(MbTypePPrefix + 2);
            return 2 - c.DecodeDecision(MbTypePPrefix + 3);
        }
        return 5 + DecodeIntraSuffix(c, MbTypePSuffix);
    }

    /// <summary>mb_type of a B slice (Table 9-37): 0..22 inter (Table 7-14), 23..48 intra (23 + the I slice value).</summary>
    public static int DecodeMbTypeB(CabacDecoder c, MacroblockGrid grid, int addr, in MacroblockNeighbours n)
    {
        int inc = (n.A && !IsDirectOrSkip(grid.Kind[addr - 1]) ? 1 : 0)
            + (n.B && !IsDirectOrSkip(grid.Kind[addr - grid.WidthInMbs]) ? 1 : 0);
        if (c.DecodeDecision(MbTypeB + inc) == 0) return BMacroblockTypes.Direct16x16;
        if (c.DecodeDecision(MbTypeB + 3) == 0) return 1 + c.DecodeDecision(MbTypeB + 5);
        int bits = c.DecodeDecision(MbTypeB + 4) << 3;
        bits |= c.DecodeDecision(MbTypeB + 5) << 2;
        bits |= c.DecodeDecision(MbTypeB + 5) << 1;
        bits |= c.DecodeDecision(MbTypeB + 5);
        if (bits < 8) return bits + 3;
        if (bits == 13) return BMacroblockTypes.IntraOffset + DecodeIntraSuffix(c, MbTypeBSuffix);
        if (bits == 14) return 11;
        if (bits == 15) return BMacroblockTypes.B8x8;
        bits = (bits << 1) | c.DecodeDecision(MbTypeB + 5);
        return bits - 4;
    }

    private static bool IsDirectOrSkip(MacroblockKind kind) => kind is MacroblockKind.BSkip or MacroblockKind.BDirect16x16;

    /// <summary>The intra mb_type bins after their prefix in P and B slices (Table 9-36 suffix): 0..25, 25 I_PCM.</summary>
    private static int DecodeIntraSuffix(CabacDecoder c, int ctx)
    {
        if (c.DecodeDecision(ctx) == 0) return 0;
        if (c.DecodeTerminate() != 0) return CavlcMacroblockParser.MbTypeIPcm;
        int mbType = 1 + 12 * c.DecodeDecision(ctx + 1);
        if (c.DecodeDecision(ctx + 2) != 0) mbType += 4 + 4 * c.DecodeDecision(ctx + 2);
        mbType += 2 * c.DecodeDecision(ctx + 3);
        mbType += c.DecodeDecision(ctx + 3);
        return mbType;
    }

    private void BeginMacroblock()
    {
        for (int list = 0; list < 2; list++)
        {
            Array.Clear(_ref[list]);
            Array.Clear(_mvdX[list]);
            Array.Clear(_mvdY[list]);
            _refMask[list] = _mvdMask[list] = 0;
        }
    }

    /// <summary>Partitions, reference indices and vector differences of P mb_type 0..3 into <paramref name="mb"/>.</summary>
    public bool ParseP(CabacDecoder c, RbspReader r, MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n,
        int mbType, int numRefActive, MacroblockData mb)
    {
        mb.Kind = MacroblockKind.Inter;
        mb.AllowsTransform8x8 = true;
        BeginMacroblock();
        if (mbType < 3)
        {
            SubMacroblockLayout.FillLarge(mb, mbType);
            for (int p = 0; p < mb.PartCount; p++)
            {
                if (!ReadRef(c, grid, mbX, mbY, n, 0, mb.PartX[p], mb.PartY[p], mb.PartW[p], mb.PartH[p], numRefActive, out mb.PartRef[p])) return false;
            }
            for (int p = 0; p < mb.PartCount; p++) ReadMvd(c, grid, mbX, mbY, n, mb, p, 0);
            return !r.Overrun;
        }

        mb.PartShape = 0;
        Span<int> subTypes = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            int subType;
            if (c.DecodeDecision(SubMbTypeP) != 0) subType = 0;
            else if (c.DecodeDecision(SubMbTypeP + 1) == 0) subType = 1;
            else subType = c.DecodeDecision(SubMbTypeP + 2) != 0 ? 2 : 3;
            subTypes[i] = subType;
            if (subType != 0) mb.AllowsTransform8x8 = false;
        }
        Span<int> refs = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            if (!ReadRef(c, grid, mbX, mbY, n, 0, (i & 1) * 2, (i >> 1) * 2, 2, 2, numRefActive, out refs[i])) return false;
        }
        int count = SubMacroblockLayout.Fill(mb, subTypes, refs);
        for (int p = 0; p < count; p++) ReadMvd(c, grid, mbX, mbY, n, mb, p, 0);
        return !r.Overrun;
    }

    /// <summary>
    /// Partitions, reference indices and vector differences of B mb_type 1..22 into <paramref name="mb"/>; for
    /// B_Direct_16x16 (no prediction syntax) call <see cref="BeginDirect"/> instead.
    /// </summary>
    public bool ParseB(CabacDecoder c, RbspReader r, MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n,
        int mbType, int numRefL0, int numRefL1, bool direct8x8Inference, MacroblockData mb)
    {
        mb.Kind = MacroblockKind.Inter;
        mb.AllowsTransform8x8 = true;
        BeginMacroblock();
        if (mbType != BMacroblockTypes.B8x8)
        {
            SubMacroblockLayout.FillLarge(mb, BMacroblockTypes.Shape(mbType));
            for (int p = 0; p < mb.PartCount; p++) mb.PartUse[p] = BMacroblockTypes.Use(mbType, p);
            for (int list = 0; list < 2; list++)
            {
                int[] refs = list == 0 ? mb.PartRef : mb.PartRefL1;
                for (int p = 0; p < mb.PartCount; p++)
                {
                    refs[p] = 0;
                    if ((mb.PartUse[p] & (1 << list)) == 0) continue;
                    if (!ReadRef(c, grid, mbX, mbY, n, list, mb.PartX[p], mb.PartY[p], mb.PartW[p], mb.PartH[p],
                        list == 0 ? numRefL0 : numRefL1, out refs[p])) return false;
                }
            }
        }
        else
        {
            mb.PartShape = 0;
            Span<int> subTypes = stackalloc int[4];
            for (int i = 0; i < 4; i++)
            {
                subTypes[i] = DecodeSubMbTypeB(c);
                if (!BMacroblockTypes.SubAllowsTransform8x8(subTypes[i], direct8x8Inference)) mb.AllowsTransform8x8 = false;
            }
            Span<int> refsL0 = stackalloc int[4];
            Span<int> refsL1 = stackalloc int[4];
            for (int list = 0; list < 2; list++)
            {
                Span<int> refs = list == 0 ? refsL0 : refsL1;
                for (int i = 0; i < 4; i++)
                {
                    refs[i] = 0;
                    if ((BMacroblockTypes.SubUse(subTypes[i]) & (1 << list)) == 0) continue;
                    if (!ReadRef(c, grid, mbX, mbY, n, list, (i & 1) * 2, (i >> 1) * 2, 2, 2,
                        list == 0 ? numRefL0 : numRefL1, out refs[i])) return false;
                }
            }
            SubMacroblockLayout.FillB(mb, subTypes, refsL0, refsL1);
        }
        for (int list = 0; list < 2; list++)
        {
            for (int p = 0; p < mb.PartCount; p++)
            {
                if ((mb.PartUse[p] & (1 << list)) != 0) ReadMvd(c, grid, mbX, mbY, n, mb, p, list);
                else if (list == 0) mb.PartMvdX[p] = mb.PartMvdY[p] = 0;
                else mb.PartMvdL1X[p] = mb.PartMvdL1Y[p] = 0;
            }
        }
        return !r.Overrun;
    }

    /// <summary>B_Direct_16x16: no vector differences of its own for the contexts of later macroblocks.</summary>
    public void BeginDirect() => BeginMacroblock();

    /// <summary>sub_mb_type of a B slice (Table 9-38 binarization): 0..12.</summary>
    private static int DecodeSubMbTypeB(CabacDecoder c)
    {
        if (c.DecodeDecision(SubMbTypeB) == 0) return 0;
        if (c.DecodeDecision(SubMbTypeB + 1) == 0) return 1 + c.DecodeDecision(SubMbTypeB + 3);
        int type = 3;
        if (c.DecodeDecision(SubMbTypeB + 2) != 0)
        {
            if (c.DecodeDecision(SubMbTypeB + 3) != 0) return 11 + c.DecodeDecision(SubMbTypeB + 3);
            type += 4;
        }
        type += 2 * c.DecodeDecision(SubMbTypeB + 3);
        type += c.DecodeDecision(SubMbTypeB + 3);
        return type;
    }

    /// <summary>Stores the parsed |mvd| of both lists of the macroblock in the grid for later macroblocks' contexts.</summary>
    public void StoreMvds(MacroblockGrid grid, int mbX, int mbY)
    {
        int w4 = grid.WidthInMbs * 4;
        for (int y = 0; y < 4; y++)
        {
            for (int x = 0; x < 4; x++)
            {
                int g = (mbY * 4 + y) * w4 + mbX * 4 + x;
                int i = y * 4 + x;
                grid.MvdX[g] = (short)Math.Min(_mvdX[0][i], short.MaxValue);
                grid.MvdY[g] = (short)Math.Min(_mvdY[0][i], short.MaxValue);
                grid.MvdL1X[g] = (short)Math.Min(_mvdX[1][i], short.MaxValue);
                grid.MvdL1Y[g] = (short)Math.Min(_mvdY[1][i], short.MaxValue);
            }
        }
    }

    /// <summary>Skipped, direct and intra macroblocks have no vector differences.</summary>
    public static void ClearMvds(MacroblockGrid grid, int mbX, int mbY)
    {
        int w4 = grid.WidthInMbs * 4;
        for (int y = 0; y < 4; y++)
        {
            int g = (mbY * 4 + y) * w4 + mbX * 4;
            grid.MvdX.AsSpan(g, 4).Clear();
            grid.MvdY.AsSpan(g, 4).Clear();
            grid.MvdL1X.AsSpan(g, 4).Clear();
            grid.MvdL1Y.AsSpan(g, 4).Clear();
        }
    }

    private bool ReadRef(CabacDecoder c, MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n, int list,
        int bx, int by, int bw, int bh, int numRefActive, out int refIdx)
    {
        refIdx = numRefActive > 1 ? DecodeRefIdx(c, grid, mbX, mbY, n, list, bx, by) : 0;
        if (refIdx >= numRefActive) return false;
        int[] refs = _ref[list];
        for (int y = by; y < by + bh; y++)
        {
            for (int x = bx; x < bx + bw; x++)
            {
                refs[y * 4 + x] = refIdx;
                _refMask[list] |= 1 << (y * 4 + x);
            }
        }
        return true;
    }

    private int DecodeRefIdx(CabacDecoder c, MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n, int list, int bx, int by)
    {
        int condA = RefCondition(grid, mbX, mbY, n, list, bx - 1, by);
        int condB = RefCondition(grid, mbX, mbY, n, list, bx, by - 1);
        int value = 0;
        if (c.DecodeDecision(RefIdx + condA + 2 * condB) != 0)
        {
            value = 1;
            int ctx = RefIdx + 4;
            while (value < 32 && c.DecodeDecision(ctx) != 0)
            {
                value++;
                ctx = RefIdx + 5;
            }
        }
        return value;
    }

    /// <summary>9.3.3.1.1.6: 1 when the neighbouring partition uses list <paramref name="list"/> with an index above 0, not by direct prediction.</summary>
    private int RefCondition(MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n, int list, int bx, int by)
    {
        if (bx >= 0 && by >= 0) return (_refMask[list] >> (by * 4 + bx) & 1) != 0 && _ref[list][by * 4 + bx] > 0 ? 1 : 0;
        if (bx < 0 ? !n.A : !n.B) return 0;
        int addr = (mbY + (by < 0 ? -1 : 0)) * grid.WidthInMbs + mbX + (bx < 0 ? -1 : 0);
        if (MacroblockGrid.IsSkip(grid.Kind[addr])) return 0;
        int nbx = bx & 3, nby = by & 3;
        if ((grid.DirectMask[addr] >> ((nby >> 1) * 2 + (nbx >> 1)) & 1) != 0) return 0;
        int g = (mbY * 4 + by) * grid.WidthInMbs * 4 + mbX * 4 + bx;
        return grid.Motion.RefIdx[list][g] > 0 ? 1 : 0;
    }

    private void ReadMvd(CabacDecoder c, MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n, MacroblockData mb, int p, int list)
    {
        int bx = mb.PartX[p], by = mb.PartY[p];
        int sumX = AbsMvd(grid, mbX, mbY, n, list, bx - 1, by, true) + AbsMvd(grid, mbX, mbY, n, list, bx, by - 1, true);
        int sumY = AbsMvd(grid, mbX, mbY, n, list, bx - 1, by, false) + AbsMvd(grid, mbX, mbY, n, list, bx, by - 1, false);
        int mvdX = DecodeMvdComponent(c, MvdX, sumX);
        int mvdY = DecodeMvdComponent(c, MvdY, sumY);
        if (list == 0)
        {
            mb.PartMvdX[p] = mvdX;
            mb.PartMvdY[p] = mvdY;
        }
        else
        {
            mb.PartMvdL1X[p] = mvdX;
            mb.PartMvdL1Y[p] = mvdY;
        }
        int[] absX = _mvdX[list], absY = _mvdY[list];
        for (int y = by; y < by + mb.PartH[p]; y++)
        {
            for (int x = bx; x < bx + mb.PartW[p]; x++)
            {
                absX[y * 4 + x] = Math.Abs(mvdX);
                absY[y * 4 + x] = Math.Abs(mvdY);
                _mvdMask[list] |= 1 << (y * 4 + x);
            }
        }
    }

    private int AbsMvd(MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n, int list, int bx, int by, bool x)
    {
        if (bx >= 0 && by >= 0)
        {
            if ((_mvdMask[list] >> (by * 4 + bx) & 1) == 0) return 0;
            return x ? _mvdX[list][by * 4 + bx] : _mvdY[list][by * 4 + bx];
        }
        if (bx < 0 ? !n.A : !n.B) return 0;
        int g = (mbY * 4 + by) * grid.WidthInMbs * 4 + mbX * 4 + bx;
        if (list == 0) return x ? grid.MvdX[g] : grid.MvdY[g];
        return x ? grid.MvdL1X[g] : grid.MvdL1Y[g];
    }

    /// <summary>mvd_lX component: UEG3 with signedValFlag 1 and uCoff 9 (9.3.2.3), prefix contexts by 9.3.3.1.1.7.</summary>
    private static int DecodeMvdComponent(CabacDecoder c, int ctxBase, int absSum)
    {
        int inc = absSum < 3 ? 0 : absSum > 32 ? 2 : 1;
        if (c.DecodeDecision(ctxBase + inc) == 0) return 0;
        int value = 1;
        int ctx = ctxBase + 3;
        while (value < 9 && c.DecodeDecision(ctx) != 0)
        {
            value++;
            if (ctx < ctxBase + 6) ctx++;
        }
        if (value >= 9)
        {
            int k = 3;
            while (k < 30 && c.DecodeBypass() != 0)
            {
                value += 1 << k;
                k++;
            }
            while (k-- > 0) value += c.DecodeBypass() << k;
        }
        return c.DecodeBypass() != 0 ? -value : value;
    }
}
