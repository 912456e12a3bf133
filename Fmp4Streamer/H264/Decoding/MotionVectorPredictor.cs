namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Luma motion vector prediction for list 0 (H.264 8.4.1.3, with 8.4.1.1 for P_Skip) from the neighbouring
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

    /// <summary>Records a derived partition (in 4x4 units within the macroblock) in the grid.</summary>
    public void Store(int bx, int by, int bw, int bh, int refIdx, int refPicId, int mvx, int mvy)
    {
        for (int y = by; y < by + bh; y++)
        {
            for (int x = bx; x < bx + bw; x++)
            {
                int g = (_mbY * 4 + y) * _w4 + _mbX * 4 + x;
                _grid.RefIdx[g] = (sbyte)refIdx;
                _grid.RefPicId[g] = refPicId;
                _grid.MvX[g] = (short)mvx;
                _grid.MvY[g] = (short)mvy;
                _doneMask |= 1 << (y * 4 + x);
            }
        }
    }

    /// <summary>Neighbour at 4x4 offset (bx, by) relative to the macroblock: availability, refIdx (-1 intra or none), vector.</summary>
    private bool Neighbour(int bx, int by, out int refIdx, out int mvx, out int mvy)
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
        refIdx = _grid.RefIdx[g];
        if (refIdx >= 0)
        {
            mvx = _grid.MvX[g];
            mvy = _grid.MvY[g];
        }
        return true;
    }

    /// <summary>
    /// mvpLX of a partition at (bx, by), bw x bh in 4x4 units. <paramref name="shape"/>: 0 other, 1 16x8, 2 8x16.
    /// </summary>
    public void Predict(int bx, int by, int bw, int bh, int refIdx, int shape, out int mvx, out int mvy)
    {
        bool availableA = Neighbour(bx - 1, by, out int refA, out int ax, out int ay);
        bool availableB = Neighbour(bx, by - 1, out int refB, out int bxv, out int byv);
        bool availableC = Neighbour(bx + bw, by - 1, out int refC, out int cx, out int cy);
        if (!availableC) availableC = Neighbour(bx - 1, by - 1, out refC, out cx, out cy);

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

    /// <summary>8.4.1.1: the P_Skip vector (reference index 0).</summary>
    public void PredictSkip(out int mvx, out int mvy)
    {
        bool availableA = Neighbour(-1, 0, out int refA, out int ax, out int ay);
        bool availableB = Neighbour(0, -1, out int refB, out int bxv, out int byv);
        if (!availableA || !availableB || (refA == 0 && ax == 0 && ay == 0) || (refB == 0 && bxv == 0 && byv == 0))
        {
            mvx = mvy = 0;
            return;
        }
        Predict(0, 0, 4, 4, 0, 0, out mvx, out mvy);
    }

    private static int Median(int a, int b, int c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
