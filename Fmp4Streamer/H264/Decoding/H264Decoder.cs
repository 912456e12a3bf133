namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Decodes an H.264 Annex B stream access unit by access unit into pooled <see cref="DecodedPicture"/>s: keeps the
/// parameter sets, finds picture boundaries, decodes slices, deblocks and hands out finished pictures. Streams it
/// cannot decode (fields, MBAFF, other chroma formats or bit depths) are refused with <see cref="Refusal"/> set once;
/// a damaged picture is dropped, counted in <see cref="Errors"/>, and decoding resumes at the next IDR.
/// </summary>
public sealed class H264Decoder
{
    private readonly Sps[] _sps = new Sps[32];
    private readonly bool[] _hasSps = new bool[32];
    private readonly Pps[] _pps = new Pps[256];
    private readonly bool[] _hasPps = new bool[256];
    private readonly SliceHeader _header = new();
    private readonly RbspReader _reader = new();
    private readonly SliceDecoder _sliceDecoder = new();
    private readonly DeblockingFilter _deblocking = new();
    private readonly SliceTable _slices = new();
    private readonly DequantTables _dequant = new();
    private readonly PictureOrderCounter _poc = new();
    private readonly PicturePool _pool = new();
    private readonly Queue<DecodedPicture> _output = new();
    private readonly byte[] _lists4x4 = new byte[96];
    private readonly byte[] _lists8x8 = new byte[384];

    private MacroblockGrid? _grid;
    private DecodedPicture? _current;
    private bool _currentDamaged;
    private bool _waitForIdr = true;
    private int _sliceNumber;
    private int _currentPpsId = -1;
    private int _currentFrameNum = -1;
    private int _currentIdrPicId = -1;
    private int _currentPocLsb = -1;
    private bool _currentIdr;
    private long _outputIndex;
    private long _captureTime;

    /// <summary>Pictures dropped because their data was damaged or referred to what was missing.</summary>
    public int Errors { get; private set; }

    /// <summary>Why the stream cannot be decoded, set once when a refused feature is first met; null while fine.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Pictures allocated by the pool so far.</summary>
    public int PicturesCreated => _pool.Created;

    /// <summary>Decodes one access unit (Annex B, start codes included) captured at <paramref name="captureTime"/>.</summary>
    public void Decode(ReadOnlySpan<byte> accessUnit, long captureTime)
    {
        _captureTime = captureTime;
        foreach (ReadOnlySpan<byte> nal in new NalEnumerator(accessUnit)) DecodeNal(nal);
        FinishPicture();
    }

    /// <summary>Ends the stream: the picture in progress is finished and every waiting picture becomes available.</summary>
    public void Flush() => FinishPicture();

    /// <summary>The next finished picture, in output order; give it back with <see cref="Return"/>.</summary>
    public bool TryGetPicture(out DecodedPicture picture) => _output.TryDequeue(out picture!);

    public void Return(DecodedPicture picture) => _pool.Return(picture);

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
        if (!SliceHeaderParser.TryReadPicParameterSetId(nal, out int ppsId) || !_hasPps[ppsId])
        {
            MarkDamaged();
            return;
        }
        ref readonly Pps pps = ref _pps[ppsId];
        if (!_hasSps[pps.SeqParameterSetId])
        {
            MarkDamaged();
            return;
        }
        ref readonly Sps sps = ref _sps[pps.SeqParameterSetId];
        if (!IsSupported(sps)) return;
        if (!SliceHeaderParser.TryParse(nal, sps, pps, _header))
        {
            MarkDamaged();
            return;
        }

        bool idr = _header.IdrPicFlag;
        if (IsNewPicture(ppsId)) StartPicture(sps, pps, idr);
        if (_current == null || _grid == null || _currentDamaged) return;

        var slice = new SliceParameters
        {
            SliceNumber = ++_sliceNumber,
            SliceType = (int)_header.SliceType,
            FirstMbInSlice = _header.FirstMbInSlice,
            SliceQp = _header.SliceQp,
            ChromaQpIndexOffset = pps.ChromaQpIndexOffset,
            SecondChromaQpIndexOffset = pps.SecondChromaQpIndexOffset,
            ConstrainedIntraPred = pps.ConstrainedIntraPred,
            Transform8x8Mode = pps.Transform8x8Mode,
            Cabac = pps.EntropyCodingModeFlag,
            DisableDeblockingFilterIdc = _header.DisableDeblockingFilterIdc,
            FilterOffsetA = _header.SliceAlphaC0OffsetDiv2 * 2,
            FilterOffsetB = _header.SliceBetaOffsetDiv2 * 2,
        };
        _slices.Add(slice);
        ScalingMatrix matrix = pps.ScalingMatrixFor(sps);
        for (int i = 0; i < 6; i++)
        {
            matrix.List4x4(i).CopyTo(_lists4x4.AsSpan(i * 16));
            matrix.List8x8(i).CopyTo(_lists8x8.AsSpan(i * 64));
        }
        _dequant.Build(_lists4x4, _lists8x8);

        _reader.Load(nal.Slice(1));
        _reader.Seek(_header.HeaderBitLength);
        if (!_sliceDecoder.Decode(_reader, slice, _current, _grid, _dequant)) MarkDamaged();
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
    private bool IsNewPicture(int ppsId)
    {
        if (_current == null) return true;
        return _header.FirstMbInSlice == 0 || ppsId != _currentPpsId || _header.FrameNum != _currentFrameNum
            || _header.IdrPicFlag != _currentIdr || (_header.IdrPicFlag && _header.IdrPicId != _currentIdrPicId)
            || _header.PicOrderCntLsb != _currentPocLsb;
    }

    private void StartPicture(in Sps sps, in Pps pps, bool idr)
    {
        FinishPicture();
        if (idr) _waitForIdr = false;
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
        _poc.TryCount(sps, _header, out PictureOrderCount count);

        var picture = _pool.Rent(sps.PicWidthInMbs * 16, sps.FrameHeightInMbs * 16);
        picture.SetCrop(sps.FrameCropLeftOffset * 2, sps.FrameCropTopOffset * 2, sps.Width, sps.Height);
        picture.PicOrderCnt = count.PicOrderCnt;
        picture.CaptureTime = _captureTime;
        picture.IsIdr = idr;
        _current = picture;
        _currentDamaged = false;
        _currentPpsId = pps.PicParameterSetId;
        _currentFrameNum = _header.FrameNum;
        _currentIdr = idr;
        _currentIdrPicId = _header.IdrPicId;
        _currentPocLsb = _header.PicOrderCntLsb;
    }

    private void MarkDamaged()
    {
        if (_current != null && !_currentDamaged)
        {
            _currentDamaged = true;
        }
        else if (_current == null)
        {
            Errors++;
            _waitForIdr = true;
        }
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
            _pool.Return(picture);
            return;
        }
        _deblocking.FilterPicture(picture, _grid, _slices);
        picture.OutputIndex = _outputIndex++;
        _output.Enqueue(picture);
    }
}
