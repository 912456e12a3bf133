namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// slice_data() (H.264 7.3.4) of one slice: macroblock after macroblock from first_mb_in_slice, each parsed,
/// reconstructed into the picture and recorded in the grid. Stops at the end of the slice data, at the end of the
/// picture, or at the first syntax error (then returns false and the caller drops the picture).
/// </summary>
public sealed class SliceDecoder
{
    private readonly CavlcMacroblockParser _cavlc = new();
    private readonly MacroblockData _mb = new();

    public bool Decode(RbspReader r, in SliceParameters slice, DecodedPicture picture, MacroblockGrid grid, DequantTables dequant)
    {
        int w = grid.WidthInMbs;
        int picSizeInMbs = w * grid.HeightInMbs;
        int mbAddr = slice.FirstMbInSlice;
        int qp = slice.SliceQp;
        if (slice.Cabac || slice.SliceType != 2) return false;   // CAVLC I slices only so far
        while (mbAddr < picSizeInMbs)
        {
            int mbX = mbAddr % w, mbY = mbAddr / w;
            var n = MacroblockNeighbours.Of(grid, mbX, mbY, slice.SliceNumber, slice.ConstrainedIntraPred);
            uint mbType = r.ReadUe();
            if (mbType > CavlcMacroblockParser.MbTypeIPcm || r.Overrun) return false;
            if (!_cavlc.ParseIntra(r, (int)mbType, slice, grid, mbX, mbY, n, dequant, _mb, ref qp)) return false;
            IntraReconstructor.Reconstruct(_mb, picture, mbX, mbY, n);
            Record(grid, mbAddr, slice.SliceNumber);
            if (!r.MoreRbspData()) return !r.Overrun;
            mbAddr++;
        }
        return false;   // data left after the last macroblock of the picture
    }

    private void Record(MacroblockGrid grid, int mbAddr, int sliceNumber)
    {
        grid.SliceNumber[mbAddr] = sliceNumber;
        grid.Kind[mbAddr] = _mb.Kind;
        grid.Qp[mbAddr] = (byte)_mb.Qp;
        grid.Transform8x8[mbAddr] = _mb.Transform8x8;
    }
}
