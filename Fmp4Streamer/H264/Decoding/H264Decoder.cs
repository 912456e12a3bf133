namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Decodes an H.264 Annex B stream access unit by access unit into pooled <see cref="DecodedPicture"/>s: keeps the
/// parameter sets, finds picture boundaries, decodes slices, deblocks, keeps reference frames and hands out finished
/// pictures. Streams it cannot decode (fields, MBAFF, other chroma formats or bit depths) are refused with
/// <see cref="Refusal"/> set once; a damaged picture is dropped, counted in <see cref="Errors"/>, and decoding
/// resumes at the next IDR.
/// </summary>
public sealed class H264Decoder
{
    private readonly Sps[] _sps = new Sps[32];
    private readonly bool[] _hasSps = new bool[32];
    private readonly Pps[] _pps = new Pps[256];
    private readonly bool[] _hasPps = new bool[256];
    private readonly RbspReader _reader = new();
    private readonly SliceDecoder _sliceDecoder = new();
    private readonly DeblockingFilter _deblocking = new();
    private readonly SliceTable _slices = new();
    private readonly DequantTables _dequant = new();
    private readonly PictureOrderCounter _poc = new();
    private readonly PicturePool _pool = new();
    private readonly DecodedPictureBuffer _dpb = new();
    private readonly InterContext _inter = new();
    private readonly Queue<DecodedPicture> _output = new();
    private readonly OutputReorderBuffer _reorder = new();
    private readonly byte[] _lists4x4 = new byte[96];
    private readonly byte[] _lists8x8 = new byte[384];

    private SliceHeader _header = new();          // scratch for the slice being parsed
    private SliceHeader _pictureHeader = new();   // the first slice of the current picture
    private MacroblockGrid? _grid;
    private DecodedPicture? _current;
    private bool _currentDamaged;
    private bool _waitForIdr = true;
    private int _sliceNumber;
    private int _currentPpsId = -1;
    private int _maxNumRefFrames;
    private int _maxFrameNum;
    private int _reorderDepth;
    private long _captureTime;

    public H264Decoder()
    {
        _dpb.Released = picture =>
        {
            if (!picture.IsOutstanding) _pool.Return(picture);
        };
    }

    /// <summary>Pictures dropped because their data was damaged or referred to what was missing.</summary>
    public int Errors { get; private set; }

    /// <summary>Why the stream cannot be decoded, set once when a refused feature is first met; null while fine.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Pictures allocated by the pool so far.</summary>
    public int PicturesCreated => _pool.Created;

    /// <summary>The macroblock grid of the last decoded picture (types, vectors), for later users such as motion detection.</summary>
    public MacroblockGrid? Macroblocks => _grid;

    /// <summary>Decodes one access unit (Annex B, start codes included) captured at <paramref name="captureTime"/>.</summary>
    public void Decode(ReadOnlySpan<byte> accessUnit, long captureTime)
    {
        _captureTime = captureTime;
        foreach (ReadOnlySpan<byte> nal in new NalEnumerator(accessUnit)) DecodeNal(nal);
        FinishPicture();
    }

    /// <summary>Ends the stream: the picture in progress is finished and every waiting picture becomes available.</summary>
    public void Flush()
    {
        FinishPicture();
        _reorder.Flush(_output);
    }

    /// <summary>The next finished picture, in output order; give it back with <see cref="Return"/>.</summary>
    public bool TryGetPicture(out DecodedPicture picture) => _output.TryDequeue(out picture!);

    public void Return(DecodedPicture picture)
    {
        picture.IsOutstanding = false;
        if (!picture.IsReference) _pool.Return(picture);
    }

    private void DecodeNal(ReadOnlySpan<byte> nal)
    {
        switch (NalUnit.TypeOf(nal[0]))
        {
            case NalUnitType.Sps:
                if (Sps.TryParse(nal, out Sps sps))
                {
                    _sps[sps.SeqParameterSetId] = sps;
                    _hasSps[sps.SeqParameterSetId] = true;
                }
                break;
            case NalUnitType.Pps:
                if (Pps.TryParse(nal, out Pps pps))
                {
                    _pps[pps.PicParameterSetId] = pps;
                    _hasPps[pps.PicParameterSetId] = true;
                }
                break;
            case NalUnitType.Idr:
            case NalUnitType.Slice:
                DecodeSlice(nal);
                break;
            case NalUnitType.EndOfSequence:
            case NalUnitType.EndOfStream:
                FinishPicture();
                break;
        }
    }

    private void DecodeSlice(ReadOnlySpan<byte> nal)
    {
        if (!SliceHeaderParser.TryReadPicParameterSetId(nal, out int ppsId) || !_hasPps[ppsId]
            || !_hasSps[_pps[ppsId].SeqParameterSetId])
        {
            MarkDamaged();
            return;
        }
        ref readonly Pps pps = ref _pps[ppsId];
        ref readonly Sps sps = ref _sps[pps.SeqParameterSetId];
        if (!IsSupported(sps)) return;
        SliceHeader header = _header;
        if (!SliceHeaderParser.TryParse(nal, sps, pps, header))
        {
            MarkDamaged();
            return;
        }

        if (IsNewPicture(header, ppsId))
        {
            FinishPicture();
            (_header, _pictureHeader) = (_pictureHeader, header);
            StartPicture(sps, pps, header);
        }
        if (_current == null || _grid == null || _currentDamaged) return;
        if (_grid.WidthInMbs != sps.PicWidthInMbs || _grid.HeightInMbs != sps.FrameHeightInMbs)
        {
            MarkDamaged();   // a parameter set replaced in the middle of a picture
            return;
        }

        var slice = new SliceParameters
        {
            SliceNumber = ++_sliceNumber,
            SliceType = (int)header.SliceType,
            FirstMbInSlice = header.FirstMbInSlice,
            SliceQp = header.SliceQp,
            ChromaQpIndexOffset = pps.ChromaQpIndexOffset,
            SecondChromaQpIndexOffset = pps.SecondChromaQpIndexOffset,
            ConstrainedIntraPred = pps.ConstrainedIntraPred,
            Transform8x8Mode = pps.Transform8x8Mode,
            Cabac = pps.EntropyCodingModeFlag,
            CabacInitIdc = header.CabacInitIdc,
            DisableDeblockingFilterIdc = header.DisableDeblockingFilterIdc,
            FilterOffsetA = header.SliceAlphaC0OffsetDiv2 * 2,
            FilterOffsetB = header.SliceBetaOffsetDiv2 * 2,
        };
        _slices.Add(slice);
        ScalingMatrix matrix = pps.ScalingMatrixFor(sps);
        for (int i = 0; i < 6; i++)
        {
            matrix.List4x4(i).CopyTo(_lists4x4.AsSpan(i * 16));
            matrix.List8x8(i).CopyTo(_lists8x8.AsSpan(i * 64));
        }
        _dequant.Build(_lists4x4, _lists8x8);

        if (header.SliceType == SliceType.P)
        {
            _inter.NumRefActive = header.NumRefIdxL0Active;
            if (!_dpb.BuildList0(header.FrameNum, _maxFrameNum, header.RefPicListModificationL0, header.NumRefIdxL0Active, _inter.List0))
            {
                MarkDamaged();
                return;
            }
            _inter.Weights = pps.WeightedPred ? header.PredWeightTable : null;
        }
        else if (header.SliceType == SliceType.B)
        {
            _inter.NumRefActive = header.NumRefIdxL0Active;
            _inter.NumRefActiveL1 = header.NumRefIdxL1Active;
            if (!_dpb.BuildBLists(_current.PicOrderCnt, header.FrameNum, _maxFrameNum, header.RefPicListModificationL0,
                header.RefPicListModificationL1, header.NumRefIdxL0Active, header.NumRefIdxL1Active, _inter.List0, _inter.List1))
            {
                MarkDamaged();
                return;
            }
            _inter.Weights = pps.WeightedBipredIdc == 1 ? header.PredWeightTable : null;
            _inter.WeightedBipredIdc = pps.WeightedBipredIdc;
            _inter.CurrentPoc = _current.PicOrderCnt;
            _inter.DirectSpatial = header.DirectSpatialMvPred;
            _inter.Direct8x8Inference = sps.Direct8x8Inference;
            if (pps.WeightedBipredIdc == 2) ImplicitWeights.Compute(_inter);
        }

        _reader.Load(nal.Slice(1));
        _reader.Seek(header.HeaderBitLength);
        if (!_sliceDecoder.Decode(_reader, slice, _current, _grid, _dequant, _inter)) MarkDamaged();
    }

    private bool IsSupported(in Sps sps)
    {
        string? problem = null;
        if (!sps.FrameMbsOnly) problem = "interlaced coding (field pictures or MBAFF)";
        else if (sps.ChromaFormatIdc != 1) problem = $"chroma_format_idc {sps.ChromaFormatIdc} (only 4:2:0 is decoded)";
        else if (sps.BitDepthLuma != 8 || sps.BitDepthChroma != 8) problem = $"bit depth {sps.BitDepthLuma}/{sps.BitDepthChroma} (only 8 is decoded)";
        if (problem == null) return true;
        Refusal ??= $"H264 decoder: the stream uses {problem}, which is not supported; its pictures are not decoded";
        return false;
    }

    /// <summary>7.4.1.2.4: the first slice of a new primary picture differs from the previous one in one of these.</summary>
    private bool IsNewPicture(SliceHeader h, int ppsId)
    {
        if (_current == null && !_currentDamaged) return true;
        SliceHeader p = _pictureHeader;
        return h.FirstMbInSlice == 0 || ppsId != _currentPpsId || h.FrameNum != p.FrameNum
            || h.IdrPicFlag != p.IdrPicFlag || (h.NalRefIdc == 0) != (p.NalRefIdc == 0)
            || (h.IdrPicFlag && h.IdrPicId != p.IdrPicId) || h.PicOrderCntLsb != p.PicOrderCntLsb
            || h.DeltaPicOrderCntBottom != p.DeltaPicOrderCntBottom || h.DeltaPicOrderCnt0 != p.DeltaPicOrderCnt0;
    }

    private void StartPicture(in Sps sps, in Pps pps, SliceHeader header)
    {
        _currentDamaged = false;
        _currentPpsId = pps.PicParameterSetId;
        if (header.IdrPicFlag) _waitForIdr = false;
        if (_waitForIdr) return;

        if (_grid == null || _grid.WidthInMbs != sps.PicWidthInMbs || _grid.HeightInMbs != sps.FrameHeightInMbs)
        {
            _grid = new MacroblockGrid(sps.PicWidthInMbs, sps.FrameHeightInMbs);
        }
        else
        {
            _grid.SliceNumber.AsSpan().Fill(-1);
            _grid.Kind.AsSpan().Clear();
        }
        _slices.Reset(_sliceNumber + 1);
        _maxNumRefFrames = sps.MaxNumRefFrames;
        _reorderDepth = sps.ReorderDepth;
        _maxFrameNum = 1 << sps.Log2MaxFrameNum;
        _poc.TryCount(sps, header, out PictureOrderCount count);

        var picture = _pool.Rent(sps.PicWidthInMbs * 16, sps.FrameHeightInMbs * 16);
        int blocks = sps.PicWidthInMbs * sps.FrameHeightInMbs * 16;
        if (picture.Motion == null || picture.Motion.BlockCount != blocks) picture.Motion = new MotionField(blocks);
        _grid.Attach(picture.Motion);
        picture.SetCrop(sps.FrameCropLeftOffset * 2, sps.FrameCropTopOffset * 2, sps.Width, sps.Height);
        picture.PicOrderCnt = count.PicOrderCnt;
        picture.CaptureTime = _captureTime;
        picture.IsIdr = header.IdrPicFlag;
        _current = picture;
    }

    private void MarkDamaged()
    {
        if (_current != null)
        {
            _currentDamaged = true;
            return;
        }
        Errors++;
        _waitForIdr = true;
    }

    private void FinishPicture()
    {
        DecodedPicture? picture = _current;
        if (picture == null) return;
        _current = null;
        if (_currentDamaged || _grid == null)
        {
            Errors++;
            _waitForIdr = true;
            _currentDamaged = false;
            _dpb.Clear();
            _pool.Return(picture);
            return;
        }
        _deblocking.FilterPicture(picture, _grid, _slices);
        if (_pictureHeader.IsReference) _dpb.MarkDecoded(picture, _pictureHeader, _maxNumRefFrames, _maxFrameNum);
        // C.4.4: an IDR or a memory_management_control_operation 5 outputs every earlier picture before it.
        if (_pictureHeader.IdrPicFlag || _pictureHeader.HasMmco5) _reorder.Flush(_output);
        picture.IsOutstanding = true;   // held for output: the DPB must not pool it when it stops being a reference
        _reorder.Add(picture, _reorderDepth, _output);
    }
}
