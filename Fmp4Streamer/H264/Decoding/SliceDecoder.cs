namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// slice_data() (H.264 7.3.4) of one I, P or B slice, CAVLC or CABAC: macroblock after macroblock from
/// first_mb_in_slice (with mb_skip_run or mb_skip_flag in P and B slices), each parsed, reconstructed into the picture
/// and recorded in the grid. Stops at the end of the slice data, or at the first syntax error (then returns false and
/// the caller drops the picture).
/// </summary>
public sealed class SliceDecoder
{
    private const int SliceTypeP = 0;
    private const int SliceTypeB = 1;
    private const int SliceTypeI = 2;
    private const int PIntraOffset = 5;   // Table 7-13: intra mb_type values follow the five P types

    private readonly CavlcMacroblockParser _cavlc = new();
    private readonly MacroblockData _mb = new();
    private readonly MotionVectorPredictor _predictor = new();
    private readonly InterReconstructor _inter = new();
    private readonly BMotionDerivation _bMotion = new();
    private readonly BInterReconstructor _bInter = new();
    private readonly CabacDecoder _cabac = new();
    private readonly CabacMacroblockParser _cabacParser = new();
    private readonly CabacInterParser _cabacInter = new();

    public bool Decode(RbspReader r, in SliceParameters slice, DecodedPicture picture, MacroblockGrid grid,
        DequantTables dequant, InterContext inter)
    {
        _mb.ClearCoefficients();
        if (slice.SliceType is not (SliceTypeP or SliceTypeB or SliceTypeI)) return false;
        return slice.Cabac ? DecodeCabac(r, slice, picture, grid, dequant, inter) : DecodeCavlc(r, slice, picture, grid, dequant, inter);
    }

    private bool DecodeCavlc(RbspReader r, in SliceParameters slice, DecodedPicture picture, MacroblockGrid grid,
        DequantTables dequant, InterContext inter)
    {
        int w = grid.WidthInMbs;
        int picSizeInMbs = w * grid.HeightInMbs;
        int mbAddr = slice.FirstMbInSlice;
        int qp = slice.SliceQp;
        bool pSlice = slice.SliceType == SliceTypeP, bSlice = slice.SliceType == SliceTypeB;
        while (mbAddr < picSizeInMbs)
        {
            if (pSlice || bSlice)
            {
                uint skipRun = r.ReadUe();
                if (r.Overrun || skipRun > (uint)(picSizeInMbs - mbAddr)) return false;
                for (uint i = 0; i < skipRun; i++, mbAddr++)
                {
                    if (!(bSlice ? DecodeBSkip(mbAddr, slice, picture, grid, inter, qp) : DecodeSkip(mbAddr, slice, picture, grid, inter, qp))) return false;
                }
                if (skipRun > 0 && !r.MoreRbspData()) return true;
                if (mbAddr >= picSizeInMbs) return false;
            }
            int mbX = mbAddr % w, mbY = mbAddr / w;
            var n = MacroblockNeighbours.Of(grid, mbX, mbY, slice.SliceNumber, slice.ConstrainedIntraPred);
            int mbType = (int)r.ReadUe();
            if (r.Overrun) return false;
            byte directMask = 0;
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
            else if (bSlice && mbType < BMacroblockTypes.IntraOffset)
            {
                _predictor.BeginMacroblock(grid, mbX, mbY, slice.SliceNumber);
                bool parsed = mbType == BMacroblockTypes.Direct16x16
                    ? BeginDirect16x16(inter)
                    : CavlcInterParser.ParseB(r, mbType, inter.NumRefActive, inter.NumRefActiveL1, inter.Direct8x8Inference, _mb);
                if (!parsed || !DeriveB(grid, mbX, mbY, inter)
                    || !_cavlc.ParseInterResidual(r, slice, grid, mbX, mbY, n, dequant, _mb, ref qp))
                {
                    return false;
                }
                directMask = BMotionDerivation.DirectQuarters(_mb);
                _bInter.Reconstruct(_mb, picture, grid, mbX, mbY, inter);
            }
            else
            {
                if (pSlice) mbType -= PIntraOffset;
                if (bSlice) mbType -= BMacroblockTypes.IntraOffset;
                if (mbType > CavlcMacroblockParser.MbTypeIPcm) return false;
                if (!_cavlc.ParseIntra(r, mbType, slice, grid, mbX, mbY, n, dequant, _mb, ref qp)) return false;
                IntraReconstructor.Reconstruct(_mb, picture, mbX, mbY, n);
                _predictor.BeginMacroblock(grid, mbX, mbY, slice.SliceNumber);
                _predictor.Store(0, 0, 4, 4, -1, 0, 0, 0);
            }
            Record(grid, mbAddr, slice.SliceNumber, _mb.Kind, _mb.Qp, _mb.Transform8x8, directMask);
            if (!r.MoreRbspData()) return !r.Overrun;
            mbAddr++;
        }
        return false;   // data left after the last macroblock of the picture
    }

    /// <summary>A CABAC slice (9.3.1: contexts and engine initialised after cabac_alignment_one_bit).</summary>
    private bool DecodeCabac(RbspReader r, in SliceParameters slice, DecodedPicture picture, MacroblockGrid grid,
        DequantTables dequant, InterContext inter)
    {
        int w = grid.WidthInMbs;
        int picSizeInMbs = w * grid.HeightInMbs;
        int mbAddr = slice.FirstMbInSlice;
        int qp = slice.SliceQp;
        bool pSlice = slice.SliceType == SliceTypeP, bSlice = slice.SliceType == SliceTypeB;
        r.AlignToByte();
        _cabac.InitContexts(pSlice || bSlice ? slice.CabacInitIdc : -1, slice.SliceQp);
        _cabac.InitEngine(r);
        _cabacParser.PreviousQpDeltaNonZero = false;
        while (mbAddr < picSizeInMbs)
        {
            int mbX = mbAddr % w, mbY = mbAddr / w;
            var n = MacroblockNeighbours.Of(grid, mbX, mbY, slice.SliceNumber, slice.ConstrainedIntraPred);
            if ((pSlice || bSlice) && _cabacInter.DecodeSkip(_cabac, grid, mbAddr, n, bSlice))
            {
                if (!(bSlice ? DecodeBSkip(mbAddr, slice, picture, grid, inter, qp) : DecodeSkip(mbAddr, slice, picture, grid, inter, qp))) return false;
                grid.Cbp[mbAddr] = 0;
                grid.CodedDc[mbAddr] = 0;
                CabacInterParser.ClearMvds(grid, mbX, mbY);
                _cabacParser.PreviousQpDeltaNonZero = false;
            }
            else
            {
                int mbType = pSlice ? CabacInterParser.DecodeMbTypeP(_cabac)
                    : bSlice ? CabacInterParser.DecodeMbTypeB(_cabac, grid, mbAddr, n)
                    : _cabacParser.DecodeMbTypeI(_cabac, grid, mbAddr, n);
                byte directMask = 0;
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
                else if (bSlice && mbType < BMacroblockTypes.IntraOffset)
                {
                    _predictor.BeginMacroblock(grid, mbX, mbY, slice.SliceNumber);
                    bool parsed;
                    if (mbType == BMacroblockTypes.Direct16x16)
                    {
                        _cabacInter.BeginDirect();
                        parsed = BeginDirect16x16(inter);
                    }
                    else
                    {
                        parsed = _cabacInter.ParseB(_cabac, r, grid, mbX, mbY, n, mbType, inter.NumRefActive, inter.NumRefActiveL1,
                            inter.Direct8x8Inference, _mb);
                    }
                    if (!parsed || !DeriveB(grid, mbX, mbY, inter)
                        || !_cabacParser.ParseInter(_cabac, r, slice, grid, mbX, mbY, n, dequant, _mb, ref qp))
                    {
                        return false;
                    }
                    directMask = BMotionDerivation.DirectQuarters(_mb);
                    _cabacInter.StoreMvds(grid, mbX, mbY);
                    _bInter.Reconstruct(_mb, picture, grid, mbX, mbY, inter);
                }
                else
                {
                    if (pSlice) mbType -= PIntraOffset;
                    if (bSlice) mbType -= BMacroblockTypes.IntraOffset;
                    if (!_cabacParser.ParseIntra(_cabac, r, mbType, slice, grid, mbX, mbY, n, dequant, _mb, ref qp)) return false;
                    IntraReconstructor.Reconstruct(_mb, picture, mbX, mbY, n);
                    _predictor.BeginMacroblock(grid, mbX, mbY, slice.SliceNumber);
                    _predictor.Store(0, 0, 4, 4, -1, 0, 0, 0);
                    CabacInterParser.ClearMvds(grid, mbX, mbY);
                }
                Record(grid, mbAddr, slice.SliceNumber, _mb.Kind, _mb.Qp, _mb.Transform8x8, directMask);
            }
            if (_cabac.DecodeTerminate() != 0) return !r.Overrun;
            if (r.Overrun) return false;
            mbAddr++;
        }
        return false;
    }

    /// <summary>B_Direct_16x16 has no prediction syntax: one direct partition, the 8x8 transform only with 8x8 inference.</summary>
    private bool BeginDirect16x16(InterContext inter)
    {
        _mb.Kind = MacroblockKind.BDirect16x16;
        _mb.AllowsTransform8x8 = inter.Direct8x8Inference;
        _mb.PartShape = 0;
        _mb.PartCount = 1;
        _mb.PartX[0] = _mb.PartY[0] = 0;
        _mb.PartW[0] = _mb.PartH[0] = 4;
        _mb.PartUse[0] = 0;
        return true;
    }

    private bool DeriveB(MacroblockGrid grid, int mbX, int mbY, InterContext inter) =>
        _mb.Kind == MacroblockKind.BDirect16x16
            ? _bMotion.DeriveDirect(_predictor, inter, grid, mbX, mbY)
            : _bMotion.Derive(_mb, _predictor, inter, grid, mbX, mbY);

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
        Record(grid, mbAddr, slice.SliceNumber, MacroblockKind.PSkip, qp, false, 0);
        return true;
    }

    /// <summary>B_Skip: direct prediction of the whole macroblock, no residual.</summary>
    private bool DecodeBSkip(int mbAddr, in SliceParameters slice, DecodedPicture picture, MacroblockGrid grid, InterContext inter, int qp)
    {
        int w = grid.WidthInMbs;
        int mbX = mbAddr % w, mbY = mbAddr / w;
        _predictor.BeginMacroblock(grid, mbX, mbY, slice.SliceNumber);
        if (!_bMotion.DeriveDirect(_predictor, inter, grid, mbX, mbY)) return false;
        CavlcMacroblockParser.MarkSkipped(grid, mbX, mbY);
        _bInter.Reconstruct(null, picture, grid, mbX, mbY, inter);
        Record(grid, mbAddr, slice.SliceNumber, MacroblockKind.BSkip, qp, false, 0xF);
        return true;
    }

    private static void Record(MacroblockGrid grid, int mbAddr, int sliceNumber, MacroblockKind kind, int qp, bool transform8x8, byte directMask)
    {
        grid.SliceNumber[mbAddr] = sliceNumber;
        grid.Kind[mbAddr] = kind;
        grid.Qp[mbAddr] = (byte)qp;
        grid.Transform8x8[mbAddr] = transform8x8;
        grid.DirectMask[mbAddr] = directMask;
    }
}
