namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The CABAC syntax of P slices (H.264 7.3.4, 7.3.5.1, 7.3.5.2 with 9.3.3.1.1): mb_skip_flag, mb_type, sub_mb_type,
/// ref_idx_l0 and mvd_l0, their contexts taken from the neighbouring blocks.
/// </summary>
public sealed class CabacInterParser
{
    private const int MbSkipFlag = 11;
    private const int MbTypePPrefix = 14;
    private const int MbTypePSuffix = 17;
    private const int SubMbTypeP = 21;
    private const int MvdX = 40;
    private const int MvdY = 47;
    private const int RefIdx = 54;

    private readonly int[] _ref = new int[16];     // reference index per 4x4 block of the macroblock being parsed
    private readonly int[] _mvdX = new int[16];    // |mvd| per 4x4 block of the macroblock being parsed
    private readonly int[] _mvdY = new int[16];
    private int _parsedMask;

    public bool DecodeSkip(CabacDecoder c, MacroblockGrid grid, int addr, in MacroblockNeighbours n)
    {
        int inc = (n.A && grid.Kind[addr - 1] != MacroblockKind.PSkip ? 1 : 0)
            + (n.B && grid.Kind[addr - grid.WidthInMbs] != MacroblockKind.PSkip ? 1 : 0);
        return c.DecodeDecision(MbSkipFlag + inc) != 0;
    }

    /// <summary>mb_type of a P slice: 0..3 inter (Table 7-13), 5..30 intra (5 + the I slice value).</summary>
    public static int DecodeMbTypeP(CabacDecoder c)
    {
        if (c.DecodeDecision(MbTypePPrefix) == 0)
        {
            if (c.DecodeDecision(MbTypePPrefix + 1) == 0) return 3 * c.DecodeDecision(MbTypePPrefix + 2);
            return 2 - c.DecodeDecision(MbTypePPrefix + 3);
        }
        if (c.DecodeDecision(MbTypePSuffix) == 0) return 5;
        if (c.DecodeTerminate() != 0) return 5 + CavlcMacroblockParser.MbTypeIPcm;
        int mbType = 1 + 12 * c.DecodeDecision(MbTypePSuffix + 1);
        if (c.DecodeDecision(MbTypePSuffix + 2) != 0) mbType += 4 + 4 * c.DecodeDecision(MbTypePSuffix + 2);
        mbType += 2 * c.DecodeDecision(MbTypePSuffix + 3);
        mbType += c.DecodeDecision(MbTypePSuffix + 3);
        return 5 + mbType;
    }

    /// <summary>Partitions, reference indices and vector differences of P mb_type 0..3 into <paramref name="mb"/>.</summary>
    public bool ParseP(CabacDecoder c, RbspReader r, MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n,
        int mbType, int numRefActive, MacroblockData mb)
    {
        mb.Kind = MacroblockKind.Inter;
        mb.AllowsTransform8x8 = true;
        _parsedMask = 0;
        Array.Clear(_mvdX);
        Array.Clear(_mvdY);
        Array.Clear(_ref);
        if (mbType < 3)
        {
            int parts = mbType == 0 ? 1 : 2;
            mb.PartShape = mbType;
            mb.PartCount = parts;
            for (int p = 0; p < parts; p++)
            {
                mb.PartX[p] = mbType == 2 ? p * 2 : 0;
                mb.PartY[p] = mbType == 1 ? p * 2 : 0;
                mb.PartW[p] = mbType == 2 ? 2 : 4;
                mb.PartH[p] = mbType == 1 ? 2 : 4;
            }
            for (int p = 0; p < parts; p++)
            {
                int refIdx = numRefActive > 1 ? DecodeRefIdx(c, grid, mbX, mbY, n, mb.PartX[p], mb.PartY[p]) : 0;
                if (refIdx >= numRefActive) return false;
                mb.PartRef[p] = refIdx;
                Fill(_ref, mb.PartX[p], mb.PartY[p], mb.PartW[p], mb.PartH[p], refIdx, mark: true);
            }
            _parsedMask = 0;
            for (int p = 0; p < parts; p++) ReadMvd(c, grid, mbX, mbY, n, mb, p);
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
            int x0 = (i & 1) * 2, y0 = (i >> 1) * 2;
            refs[i] = numRefActive > 1 ? DecodeRefIdx(c, grid, mbX, mbY, n, x0, y0) : 0;
            if (refs[i] >= numRefActive) return false;
            Fill(_ref, x0, y0, 2, 2, refs[i], mark: true);
        }
        _parsedMask = 0;
        int count = SubMacroblockLayout.Fill(mb, subTypes, refs);
        for (int p = 0; p < count; p++) ReadMvd(c, grid, mbX, mbY, n, mb, p);
        return !r.Overrun;
    }

    /// <summary>Stores the parsed |mvd| of the macroblock in the grid for later macroblocks' contexts.</summary>
    public void StoreMvds(MacroblockGrid grid, int mbX, int mbY)
    {
        int w4 = grid.WidthInMbs * 4;
        for (int y = 0; y < 4; y++)
        {
            for (int x = 0; x < 4; x++)
            {
                int g = (mbY * 4 + y) * w4 + mbX * 4 + x;
                grid.MvdX[g] = (short)Math.Min(_mvdX[y * 4 + x], short.MaxValue);
                grid.MvdY[g] = (short)Math.Min(_mvdY[y * 4 + x], short.MaxValue);
            }
        }
    }

    /// <summary>Skipped and intra macroblocks have no vector differences.</summary>
    public static void ClearMvds(MacroblockGrid grid, int mbX, int mbY)
    {
        int w4 = grid.WidthInMbs * 4;
        for (int y = 0; y < 4; y++)
        {
            grid.MvdX.AsSpan((mbY * 4 + y) * w4 + mbX * 4, 4).Clear();
            grid.MvdY.AsSpan((mbY * 4 + y) * w4 + mbX * 4, 4).Clear();
        }
    }

    private void Fill(int[] target, int bx, int by, int bw, int bh, int value, bool mark)
    {
        for (int y = by; y < by + bh; y++)
        {
            for (int x = bx; x < bx + bw; x++)
            {
                target[y * 4 + x] = value;
                if (mark) _parsedMask |= 1 << (y * 4 + x);
            }
        }
    }

    private int DecodeRefIdx(CabacDecoder c, MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n, int bx, int by)
    {
        int condA = RefCondition(grid, mbX, mbY, n, bx - 1, by);
        int condB = RefCondition(grid, mbX, mbY, n, bx, by - 1);
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

    private int RefCondition(MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n, int bx, int by)
    {
        if (bx >= 0 && by >= 0) return (_parsedMask >> (by * 4 + bx) & 1) != 0 && _ref[by * 4 + bx] > 0 ? 1 : 0;
        if (bx < 0 ? !n.A : !n.B) return 0;
        int addr = (mbY + (by < 0 ? -1 : 0)) * grid.WidthInMbs + mbX + (bx < 0 ? -1 : 0);
        if (grid.Kind[addr] == MacroblockKind.PSkip) return 0;
        int g = (mbY * 4 + by) * grid.WidthInMbs * 4 + mbX * 4 + bx;
        return grid.RefIdx[g] > 0 ? 1 : 0;
    }

    private void ReadMvd(CabacDecoder c, MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n, MacroblockData mb, int p)
    {
        int bx = mb.PartX[p], by = mb.PartY[p];
        int sumX = AbsMvd(grid, mbX, mbY, n, bx - 1, by, true) + AbsMvd(grid, mbX, mbY, n, bx, by - 1, true);
        int sumY = AbsMvd(grid, mbX, mbY, n, bx - 1, by, false) + AbsMvd(grid, mbX, mbY, n, bx, by - 1, false);
        int mvdX = DecodeMvdComponent(c, MvdX, sumX);
        int mvdY = DecodeMvdComponent(c, MvdY, sumY);
        mb.PartMvdX[p] = mvdX;
        mb.PartMvdY[p] = mvdY;
        for (int y = by; y < by + mb.PartH[p]; y++)
        {
            for (int x = bx; x < bx + mb.PartW[p]; x++)
            {
                _mvdX[y * 4 + x] = Math.Abs(mvdX);
                _mvdY[y * 4 + x] = Math.Abs(mvdY);
                _parsedMask |= 1 << (y * 4 + x);
            }
        }
    }

    private int AbsMvd(MacroblockGrid grid, int mbX, int mbY, in MacroblockNeighbours n, int bx, int by, bool x)
    {
        if (bx >= 0 && by >= 0)
        {
            if ((_parsedMask >> (by * 4 + bx) & 1) == 0) return 0;
            return x ? _mvdX[by * 4 + bx] : _mvdY[by * 4 + bx];
        }
        if (bx < 0 ? !n.A : !n.B) return 0;
        int g = (mbY * 4 + by) * grid.WidthInMbs * 4 + mbX * 4 + bx;
        return x ? grid.MvdX[g] : grid.MvdY[g];
    }

    /// <summary>mvd_l0 component: UEG3 with signedValFlag 1 and uCoff 9 (9.3.2.3), prefix contexts by 9.3.3.1.1.7.</summary>
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
