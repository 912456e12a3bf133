namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// slice_data() (H.264 7.3.4) of one CAVLC I or P slice: macroblock after macroblock from first_mb_in_slice (with
/// mb_skip_run in P slices), each parsed, reconstructed into the picture and recorded in the grid. Stops at the end
/// of the slice data, or at the first syntax error (then returns false and the caller drops the picture).
/// </summary>
public sealed class SliceDecoder
{
    private const int SliceTypeP = 0;
    private const int SliceTypeI = 2;
    private const int PIntraOffset = 5;   // Table 7-13: intra mb_type values follow the five P types

    private readonly CavlcMacroblockParser _cavlc = new();
    private readonly MacroblockData _mb = new();
    private readonly MotionVectorPredictor _predictor = new();
    private readonly InterReconstructor _inter = new();
    private readonly CabacDecoder _cabac = new();
    private readonly CabacMacroblockParser _cabacParser = new();
    private readonly CabacInterParser _cabacInter = new();

    public bool Decode(RbspReader r, in SliceParameters slice, DecodedPicture picture, MacroblockGrid grid,
        DequantTables dequant, InterContext inter)
    {
        int w = grid.WidthInMbs;
        int picSizeInMbs = w * grid.HeightInMbs;
        int mbAddr = slice.FirstMbInSlice;
        int qp = slice.SliceQp;
        _mb.ClearCoefficients();
        if (slice.Cabac) return slice.SliceType is SliceTypeI or SliceTypeP && DecodeCabac(r, slice, picture, grid, dequant, inter);
        if (slice.SliceType is not (SliceTypeP or SliceTypeI)) return false;
        bool pSlice = slice.SliceType == SliceTypeP;
        while (mbAddr < picSizeInMbs)
        {
            if (pSlice)
            {
                uint skipRun = r.ReadUe();
                if (r.Overrun || skipRun > (uint)(picSizeInMbs - mbAddr)) return false;
                for (uint i = 0; i < skipRun; i++, mbAddr++)
                {
                    if (!DecodeSkip(mbAddr, slice, picture, grid, inter, qp)) return false;
                }
                if (skipRun > 0 && !r.MoreRbspData()) return true;
                if (mbAddr >= picSizeInMbs) return false;
            }
            int mbX = mbAddr % w, mbY = mbAddr / w;
            var n = MacroblockNeighbours.Of(grid, mbX, mbY, slice.SliceNumber, slice.ConstrainedIntraPred);
            int mbType = (int)r.ReadUe();
            if (r.Overrun) return false;
            if (pSlice && mbType < PIntraOffset)
            {
                _predictor.BeginMacroblock(grid, mbX, mbY, slice.SliceNumber);
                if (!CavlcInterParser.ParseP(r, mbType, inter.NumRefActive, _mb)
                    || !_inter.DeriveVectors(_mb, _predictor, inter)
                    || !_cavlc.ParseInterResidual(r, slice, grid, mbX, mbY, n, dequant, _mb, ref qp))
                {
                    return false;
                }
                _inter.Reconstruct(_mb, picture, mbX, mbY, inter);
            }
            else
            {
                if (pSlice) mbType -= PIntraOffset;
                if (mbType > CavlcMacroblockParser.MbTypeIPcm) return false;
                if (!_cavlc.ParseIntra(r, mbType, slice, grid, mbX, mbY, n, dequant, _mb, ref qp)) return false;
                IntraReconstructor.Reconstruct(_mb, picture, mbX, mbY, n);
                _predictor.BeginMacroblock(grid, mbX, mbY, slice.SliceNumber);
                _predictor.Store(0, 0, 4, 4, -1, 0, 0, 0);
            }
            Record(grid, mbAddr, slice.SliceNumber, _mb.Kind, _mb.Qp, _mb.Transform8x8);
            if (!r.MoreRbspData()) return !r.Overrun;
            mbAddr++;
        }
        return false;   // data left after the last macroblock of the picture
    }

    /// <summary>A CABAC I or P slice (9.3.1: contexts and engine initialised after cabac_alignment_one_bit).</summary>
    private bool DecodeCabac(RbspReader r, in SliceParameters slice, DecodedPicture picture, MacroblockGrid grid,
        DequantTables dequant, InterContext inter)
    {
        int w = grid.WidthInMbs;
        int picSizeInMbs = w * grid.HeightInMbs;
        int mbAddr = slice.FirstMbInSlice;
        int qp = slice.SliceQp;
        bool pSlice = slice.SliceType == SliceTypeP;
        r.AlignToByte();
        _cabac.InitContexts(pSlice ? slice.CabacInitIdc : -1, slice.SliceQp);
        _cabac.InitEngine(r);
        _cabacParser.PreviousQpDeltaNonZero = false;
        while (mbAddr < picSizeInMbs)
        {
            int mbX = mbAddr % w, mbY = mbAddr / w;
            var n = MacroblockNeighbours.Of(grid, mbX, mbY, slice.SliceNumber, slice.ConstrainedIntraPred);
            if (pSlice && _cabacInter.DecodeSkip(_cabac, grid, mbAddr, n))
            {
                if (!DecodeSkip(mbAddr, slice, picture, grid, inter, qp)) return false;
                grid.Cbp[mbAddr] = 0;
                grid.CodedDc[mbAddr] = 0;
                CabacInterParser.ClearMvds(grid, mbX, mbY);
                _cabacParser.PreviousQpDeltaNonZero = false;
            }
            else
            {
                int mbType = pSlice ? CabacInterParser.DecodeMbTypeP(_cabac) : _cabacParser.DecodeMbTypeI(_cabac, grid, mbAddr, n);
                if (pSlice && mbType < PIntraOffset)
                {
                    _predictor.BeginMacroblock(grid, mbX, mbY, slice.SliceNumber);
                    if (!_cabacInter.ParseP(_cabac, r, grid, mbX, mbY, n, mbType, inter.NumRefActive, _mb)
                        || !_inter.DeriveVectors(_mb, _predictor, inter)
                        || !_cabacParser.ParseInter(_cabac, r, slice, grid, mbX, mbY, n, dequant, _mb, ref qp))
                    {
                        return false;
                    }
                    _cabacInter.StoreMvds(grid, mbX, mbY);
                    _inter.Reconstruct(_mb, picture, mbX, mbY, inter);
                }
                else
                {
                    if (pSlice) mbType -= PIntraOffset;
                    if (!_cabacParser.ParseIntra(_cabac, r, mbType, slice, grid, mbX, mbY, n, dequant, _mb, ref qp)) return false;
                    IntraReconstructor.Reconstruct(_mb, picture, mbX, mbY, n);
                    _predictor.BeginMacroblock(grid, mbX, mbY, slice.SliceNumber);
                    _predictor.Store(0, 0, 4, 4, -1, 0, 0, 0);
                    CabacInterParser.ClearMvds(grid, mbX, mbY);
                }
                Record(grid, mbAddr, slice.SliceNumber, _mb.Kind, _mb.Qp, _mb.Transform8x8);
            }
            if (_cabac.DecodeTerminate() != 0) return !r.Overrun;
            if (r.Overrun) return false;
            mbAddr++;
        }
        return false;
    }

    private bool DecodeSkip(int mbAddr, in SliceParameters slice, DecodedPicture picture, MacroblockGrid grid, InterContext inter, int qp)
    {
        int w = grid.WidthInMbs;
        int mbX = mbAddr % w, mbY = mbAddr / w;
        _predictor.BeginMacroblock(grid, mbX, mbY, slice.SliceNumber);
        _predictor.PredictSkip(out int mvx, out int mvy);
        DecodedPicture? reference = inter.List0[0];
        if (reference == null) return false;
        _predictor.Store(0, 0, 4, 4, 0, reference.Id, mvx, mvy);
        CavlcMacroblockParser.MarkSkipped(grid, mbX, mbY);
        _inter.ReconstructSkip(picture, mbX, mbY, mvx, mvy, inter);
        Record(grid, mbAddr, slice.SliceNumber, MacroblockKind.PSkip, qp, false);
        return true;
    }

    private static void Record(MacroblockGrid grid, int mbAddr, int sliceNumber, MacroblockKind kind, int qp, bool transform8x8)
    {
        grid.SliceNumber[mbAddr] = sliceNumber;
        grid.Kind[mbAddr] = kind;
        grid.Qp[mbAddr] = (byte)qp;
        grid.Transform8x8[mbAddr] = transform8x8;
    }
}
