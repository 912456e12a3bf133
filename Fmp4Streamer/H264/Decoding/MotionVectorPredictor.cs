namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Luma motion vector prediction for list 0 or list 1 (H.264 8.4.1.3, with 8.4.1.1 for P_Skip) from the neighbouring
/// partitions A (left), B (above), C (above right, D above left in its place) in the macroblock grid. Blocks of the
/// current macroblock count only once their partition has been derived (<see cref="BeginMacroblock"/>, <see cref="Store"/>).
/// </summary>
public sealed class MotionVectorPredictor
{
    private MacroblockGrid _grid = null!;
    private int _mbX, _mbY, _sliceNumber, _w4;
    private int _doneMask;

    public void BeginMacroblock(MacroblockGrid grid, int mbX, int mbY, int sliceNumber)
    {
        _grid = grid;
        _mbX = mbX;
        _mbY = mbY;
        _sliceNumber = sliceNumber;
        _w4 = grid.WidthInMbs * 4;
        _doneMask = 0;
    }

    /// <summary>Records a derived list 0 partition (in 4x4 units within the macroblock) in the grid; list 1 unused.</summary>
    public void Store(int bx, int by, int bw, int bh, int refIdx, int refPicId, int mvx, int mvy)
    {
        StoreList(1, bx, by, bw, bh, -1, MotionField.NoPicture, 0, 0);
        StoreList(0, bx, by, bw, bh, refIdx, refPicId, mvx, mvy);
    }

    /// <summary>Records one list of a derived partition; the partition counts as derived from now on.</summary>
    public void StoreList(int list, int bx, int by, int bw, int bh, int refIdx, int refPicId, int mvx, int mvy)
    {
        MotionField motion = _grid.Motion;
        short[] mvX = motion.MvX[list], mvY = motion.MvY[list];
        sbyte[] refs = motion.RefIdx[list];
        int[] ids = motion.RefPicId[list];
        for (int y = by; y < by + bh; y++)
        {
            int g = (_mbY * 4 + y) * _w4 + _mbX * 4 + bx;
            for (int x = 0; x < bw; x++, g++)
            {
                refs[g] = (sbyte)refIdx;
                ids[g] = refPicId;
                mvX[g] = (short)mvx;
                mvY[g] = (short)mvy;
            }
            _doneMask |= ((1 << bw) - 1) << (y * 4 + bx);
        }
    }

    /// <summary>
    /// Neighbour at 4x4 offset (bx, by) relative to the macroblock: availability, its list <paramref name="list"/>
    /// refIdx (-1 intra or list unused) and vector (zero when the list is unused).
    /// </summary>
    public bool Neighbour(int list, int bx, int by, out int refIdx, out int mvx, out int mvy)
    {
        refIdx = -1;
        mvx = mvy = 0;
        int gx = _mbX * 4 + bx, gy = _mbY * 4 + by;
        if (gx < 0 || gy < 0 || gx >= _w4) return false;
        if (bx >= 0 && bx < 4 && by >= 0 && by < 4)
        {
            if ((_doneMask & (1 << (by * 4 + bx))) == 0) return false;
        }
        else
        {
            if (by >= 0 && bx >= 4) return false;   // the macroblock to the right comes later
            int addr = (gy >> 2) * _grid.WidthInMbs + (gx >> 2);
            if (_grid.SliceNumber[addr] != _sliceNumber) return false;
        }
        int g = gy * _w4 + gx;
        MotionField motion = _grid.Motion;
        refIdx = motion.RefIdx[list][g];
        if (refIdx >= 0)
        {
            mvx = motion.MvX[list][g];
            mvy = motion.MvY[list][g];
        }
        return true;
    }

    /// <summary>
    /// mvpLX of a partition at (bx, by), bw x bh in 4x4 units. <paramref name="shape"/>: 0 other, 1 16x8, 2 8x16.
    /// </summary>
    public void Predict(int bx, int by, int bw, int bh, int refIdx, int shape, out int mvx, out int mvy) =>
        Predict(0, bx, by, bw, bh, refIdx, shape, out mvx, out mvy);

    public void Predict(int list, int bx, int by, int bw, int bh, int refIdx, int shape, out int mvx, out int mvy)
    {
        bool availableA = Neighbour(list, bx - 1, by, out int refA, out int ax, out int ay);
        bool availableB = Neighbour(list, bx, by - 1, out int refB, out int bxv, out int byv);
        bool availableC = Neighbour(list, bx + bw, by - 1, out int refC, out int cx, out int cy);
        if (!availableC) availableC = Neighbour(list, bx - 1, by - 1, out refC, out cx, out cy);

        if (shape == 1)
        {
            if (by == 0 && refB == refIdx) { mvx = bxv; mvy = byv; return; }
            if (by != 0 && refA == refIdx) { mvx = ax; mvy = ay; return; }
        }
        else if (shape == 2)
        {
            if (bx == 0 && refA == refIdx) { mvx = ax; mvy = ay; return; }
            if (bx != 0 && refC == refIdx) { mvx = cx; mvy = cy; return; }
        }

        if (!availableB && !availableC && availableA)
        {
            refB = refC = refA;
            bxv = cx = ax;
            byv = cy = ay;
        }
        int matches = (refA == refIdx ? 1 : 0) + (refB == refIdx ? 1 : 0) + (refC == refIdx ? 1 : 0);
        if (matches == 1)
        {
            if (refA == refIdx) { mvx = ax; mvy = ay; }
            else if (refB == refIdx) { mvx = bxv; mvy = byv; }
            else { mvx = cx; mvy = cy; }
            return;
        }
        mvx = Median(ax, bxv, cx);
        mvy = Median(ay, byv, cy);
    }

    /// <summary>
    /// 8.4.1.2.2: the reference index spatial direct prediction gives list <paramref name="list"/>, the smallest
    /// non-negative one of the macroblock's neighbours A, B and C (D when C is missing); -1 when none has one.
    /// </summary>
    public int DirectReference(int list)
    {
        Neighbour(list, -1, 0, out int refA, out _, out _);
        Neighbour(list, 0, -1, out int refB, out _, out _);
        if (!Neighbour(list, 4, -1, out int refC, out _, out _)) Neighbour(list, -1, -1, out refC, out _, out _);
        return MinPositive(refA, MinPositive(refB, refC));
    }

    private static int MinPositive(int x, int y) => x >= 0 && y >= 0 ? Math.Min(x, y) : Math.Max(x, y);

    /// <summary>8.4.1.1: the P_Skip vector (reference index 0).</summary>
    public void PredictSkip(out int mvx, out int mvy)
    {
        bool availableA = Neighbour(0, -1, 0, out int refA, out int ax, out int ay);
        bool availableB = Neighbour(0, 0, -1, out int refB, out int bxv, out int byv);
        if (!availableA || !availableB || (refA == 0 && ax == 0 && ay == 0) || (refB == 0 && bxv == 0 && byv == 0))
        {
            mvx = mvy = 0;
            return;
        }
        Predict(0, 0, 4, 4, 0, 0, out mvx, out mvy);
    }

    private static int Median(int a, int b, int c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
