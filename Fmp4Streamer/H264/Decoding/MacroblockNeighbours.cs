namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Which neighbouring macroblocks (6.4.9: A left, B above, C above right, D above left) exist and belong to the
/// current slice, and which of them intra prediction may use (with constrained_intra_pred, only intra ones).
/// </summary>
public struct MacroblockNeighbours
{
    public bool A, B, C, D;
    public bool IntraA, IntraB, IntraC, IntraD;

    public static MacroblockNeighbours Of(MacroblockGrid grid, int mbX, int mbY, int sliceNumber, bool constrainedIntraPred)
    {
        int w = grid.WidthInMbs;
        int addr = mbY * w + mbX;
        var n = new MacroblockNeighbours
        {
            A = mbX > 0 && grid.SliceNumber[addr - 1] == sliceNumber,
            B = mbY > 0 && grid.SliceNumber[addr - w] == sliceNumber,
            C = mbY > 0 && mbX < w - 1 && grid.SliceNumber[addr - w + 1] == sliceNumber,
            D = mbY > 0 && mbX > 0 && grid.SliceNumber[addr - w - 1] == sliceNumber,
        };
        n.IntraA = n.A && (!constrainedIntraPred || MacroblockGrid.IsIntra(grid.Kind[addr - 1]));
        n.IntraB = n.B && (!constrainedIntraPred || MacroblockGrid.IsIntra(grid.Kind[addr - w]));
        n.IntraC = n.C && (!constrainedIntraPred || MacroblockGrid.IsIntra(grid.Kind[addr - w + 1]));
        n.IntraD = n.D && (!constrainedIntraPred || MacroblockGrid.IsIntra(grid.Kind[addr - w - 1]));
        return n;
    }
}
