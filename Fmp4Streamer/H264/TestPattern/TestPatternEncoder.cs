using System.Diagnostics;

namespace Fmp4Streamer.H264.TestPattern;

/// <summary>
/// Encodes the test pattern (<see cref="TestPatternPainter"/>) as Constrained Baseline H264 without any library.
/// Every coded macroblock is lossless: Intra_16x16 where a prediction mode reproduces it exactly (flat luma may add
/// one DC coefficient, <see cref="LumaDcResidual"/>), I_PCM otherwise. P frames code only the macroblocks that changed and skip the rest (P_Skip, whose motion vector
/// is always zero here because no macroblock ever has another). Deblocking is off, so the decoded picture equals
/// the painted one bit for bit, and frames cost little CPU: no transform, no motion search. All buffers are
/// allocated in the constructor; <see cref="EncodeFrame"/> allocates nothing.
/// </summary>
public sealed class TestPatternEncoder
{
    public const int MinWidth = 160;
    public const int MinHeight = 128;
    public const int MaxDimension = 4096;
    public const int MaxFps = 120;

    private const int NalIdr = 5;
    private const int NalNonIdr = 1;
    private const uint SliceTypeP = 5;    // 0 + 5: every slice of the picture is P (7.4.3)
    private const uint SliceTypeI = 7;    // 2 + 5
    private const uint MbTypeIPcmInI = 25;
    private const uint MbTypeIntraOffsetInP = 5;   // Table 7-13: intra mb_type values follow the 5 P types
    private const int PcmMacroblockBytes = 384;

    private readonly TestPatternPainter _painter;
    private readonly YuvPlanes _reference;   // what the decoder holds: the last coded picture
    private readonly bool[] _isPcm;          // per macroblock of the current picture, for nC (9.2.1)
    private readonly byte[] _sps;
    private readonly byte[] _pps;
    private readonly int _mbCols;
    private readonly int _mbRows;
    private bool _hadKeyFrame;
    private int _frameNum;
    private int _idrPicId;
    private int _pcmCount;
    private int _intraCount;

    /// <summary>
    /// Why the encoder cannot make this size or rate, and which of the three is at fault ("width" for the size,
    /// "fps" for the rate); null when it can. Callers report it against their own setting.
    /// </summary>
    public static string? Unsupported(int width, int height, int fps, out string parameter)
    {
        parameter = nameof(width);
        if (width < MinWidth || height < MinHeight || width > MaxDimension || height > MaxDimension
            || (width & 1) != 0 || (height & 1) != 0)
        {
            return $"test pattern size {width}x{height} is not supported: width and height must be even, "
                + $"from {MinWidth}x{MinHeight} to {MaxDimension}x{MaxDimension}";
        }
        parameter = nameof(fps);
        if (fps < 1 || fps > MaxFps) return $"test pattern frame rate {fps} is not supported: use 1 to {MaxFps}";
        if (LevelSelector.Select((width + 15) / 16, (height + 15) / 16, fps) == 0)
            return $"test pattern {width}x{height}@{fps} exceeds H.264 level 6.2";
        return null;
    }

    public TestPatternEncoder(int width, int height, int fps)
    {
        if (Unsupported(width, height, fps, out string parameter) is string reason)
            throw new ArgumentException(reason, parameter);
        _mbCols = (width + 15) / 16;
        _mbRows = (height + 15) / 16;
        LevelIdc = LevelSelector.Select(_mbCols, _mbRows, fps);
        Width = width;
        Height = height;
        FramesPerSecond = fps;
        _painter = new TestPatternPainter(width, height);
        _reference = new YuvPlanes(_mbCols * 16, _mbRows * 16);
        _isPcm = new bool[_mbCols * _mbRows];

        Span<byte> scratch = stackalloc byte[128];
        _sps = scratch.Slice(0, ParameterSetWriter.WriteSps(scratch, width, height, fps, LevelIdc)).ToArray();
        _pps = scratch.Slice(0, ParameterSetWriter.WritePps(scratch)).ToArray();

        // Worst case, every macroblock I_PCM: skip run, mb_type and alignment take under 8 bytes, and the samples
        // (16..240 by construction) never need emulation prevention; 256 bytes cover start codes and headers.
        MaxFrameSize = _sps.Length + _pps.Length + 256 + _mbCols * _mbRows * (PcmMacroblockBytes + 8);
    }

    public int Width { get; }
    public int Height { get; }
    public int FramesPerSecond { get; }

    /// <summary>level_idc written in the SPS (30 = level 3.0).</summary>
    public int LevelIdc { get; }

    /// <summary>The size <see cref="EncodeFrame"/> needs for its output span.</summary>
    public int MaxFrameSize { get; }

    /// <summary>The SPS NAL unit without start code (header byte first), as an avcC record wants it.</summary>
    public ReadOnlySpan<byte> Sps => _sps.AsSpan(4);

    /// <summary>The PPS NAL unit without start code.</summary>
    public ReadOnlySpan<byte> Pps => _pps.AsSpan(4);

    /// <summary>Macroblocks of the last frame coded as I_PCM, as Intra_16x16 and skipped, for tests and tuning.</summary>
    internal (int Pcm, int Intra16x16, int Skipped) LastMacroblockCounts => (_pcmCount, _intraCount, _mbCols * _mbRows - _pcmCount - _intraCount);

    /// <summary>The last painted picture (macroblock-aligned, not cropped), for tests.</summary>
    internal YuvPlanes Picture => _painter.Picture;

    /// <summary>
    /// Paints frame <paramref name="frameNumber"/> stamped with <paramref name="wallClockMs"/> and writes it as one
    /// Annex-B access unit with 4-byte start codes: SPS, PPS and an IDR slice for a key frame, else one P slice.
    /// The first frame is always a key frame. Returns the number of bytes written. With <paramref name="flash"/>
    /// the counter row right of the digits is white (<see cref="TestPatternPainter.FlashLeft"/>).
    /// </summary>
    public int EncodeFrame(long frameNumber, long wallClockMs, bool keyFrame, Span<byte> output, bool flash = false)
    {
        if (output.Length < MaxFrameSize) ThrowOutputTooSmall(output.Length);
        keyFrame |= !_hadKeyFrame;
        _painter.Paint(frameNumber, wallClockMs, flash);

        var w = new BitWriter(output);
        if (keyFrame)
        {
            w.WriteRaw(_sps);
            w.WriteRaw(_pps);
            _frameNum = 0;
            _idrPicId ^= 1;   // consecutive IDR pictures need different idr_pic_id (7.4.3)
            _hadKeyFrame = true;
        }
        else
        {
            _frameNum = (_frameNum + 1) & ((1 << ParameterSetWriter.Log2MaxFrameNum) - 1);
        }

        _pcmCount = 0;
        _intraCount = 0;
        w.StartNal(keyFrame ? 3 : 2, keyFrame ? NalIdr : NalNonIdr);
        WriteSliceHeader(ref w, keyFrame);
        if (keyFrame)
        {
            WriteIntraSliceData(ref w);
            _reference.CopyFrom(_painter.Picture);
        }
        else
        {
            WritePredictedSliceData(ref w);
        }
        w.EndNal();
        Debug.Assert(w.Position <= MaxFrameSize);
        return w.Position;
    }

    /// <summary>slice_header(), H.264 7.3.3, for pictures of a single slice.</summary>
    private void WriteSliceHeader(ref BitWriter w, bool idr)
    {
        w.WriteUe(0);                                            // first_mb_in_slice
        w.WriteUe(idr ? SliceTypeI : SliceTypeP);                // slice_type
        w.WriteUe(0);                                            // pic_parameter_set_id
        w.WriteBits((uint)_frameNum, ParameterSetWriter.Log2MaxFrameNum);
        if (idr) w.WriteUe((uint)_idrPicId);
        else
        {
            w.WriteBit(false);                                   // num_ref_idx_active_override_flag
            w.WriteBit(false);                                   // ref_pic_list_modification_flag_l0
        }
        // dec_ref_pic_marking() (7.3.3.3)
        if (idr)
        {
            w.WriteBit(false);                                   // no_output_of_prior_pics_flag
            w.WriteBit(false);                                   // long_term_reference_flag
        }
        else
        {
            w.WriteBit(false);                                   // adaptive_ref_pic_marking_mode_flag: sliding window
        }
        w.WriteSe(0);                                            // slice_qp_delta: QP 26, which LumaDcResidual assumes
        w.WriteUe(1);                                            // disable_deblocking_filter_idc: off, keeps it lossless
    }

    private void WriteIntraSliceData(ref BitWriter w)
    {
        for (int mbY = 0; mbY < _mbRows; mbY++)
        {
            for (int mbX = 0; mbX < _mbCols; mbX++) WriteMacroblock(ref w, mbX, mbY, predictedSlice: false);
        }
    }

    /// <summary>slice_data() of a P slice (7.3.4): mb_skip_run before each coded macroblock and at the end.</summary>
    private void WritePredictedSliceData(ref BitWriter w)
    {
        YuvPlanes picture = _painter.Picture;
        uint skipRun = 0;
        for (int mbY = 0; mbY < _mbRows; mbY++)
        {
            for (int mbX = 0; mbX < _mbCols; mbX++)
            {
                if (!_painter.MayHaveChanged(mbX, mbY) || picture.MacroblockEquals(_reference, mbX, mbY))
                {
                    skipRun++;
                    _isPcm[mbY * _mbCols + mbX] = false;
                    continue;
                }
                w.WriteUe(skipRun);
                skipRun = 0;
                WriteMacroblock(ref w, mbX, mbY, predictedSlice: true);
                _reference.CopyMacroblock(picture, mbX, mbY);
            }
        }
        if (skipRun > 0) w.WriteUe(skipRun);
    }

    /// <summary>macroblock_layer() (7.3.5) as Intra_16x16 without residual when a prediction is exact, else I_PCM.</summary>
    private void WriteMacroblock(ref BitWriter w, int mbX, int mbY, bool predictedSlice)
    {
        YuvPlanes picture = _painter.Picture;
        int index = mbY * _mbCols + mbX;
        uint typeOffset = predictedSlice ? MbTypeIntraOffsetInP : 0;
        if (Intra16x16Matcher.TryMatch(picture, mbX, mbY, out int lumaMode, out int dcLevel, out int chromaMode))
        {
            // Table 7-11: I_16x16_<mode>_0_0 = 1 + mode (coded_block_pattern 0 for luma and chroma).
            w.WriteUe(typeOffset + 1 + (uint)lumaMode);
            w.WriteUe((uint)chromaMode);                         // intra_chroma_pred_mode
            w.WriteSe(0);                                        // mb_qp_delta
            WriteLumaDcBlock(ref w, mbX, mbY, dcLevel);
            _isPcm[index] = false;
            _intraCount++;
            return;
        }

        w.WriteUe(typeOffset + MbTypeIPcmInI);
        w.AlignWithZeros();                                      // pcm_alignment_zero_bit
        int stride = picture.Width;
        int offset = mbY * 16 * stride + mbX * 16;
        for (int row = 0; row < 16; row++) w.WriteAlignedBytes(picture.Y.AsSpan(offset + row * stride, 16));
        int chromaStride = picture.ChromaWidth;
        int chromaOffset = mbY * 8 * chromaStride + mbX * 8;
        for (int row = 0; row < 8; row++) w.WriteAlignedBytes(picture.Cb.AsSpan(chromaOffset + row * chromaStride, 8));
        for (int row = 0; row < 8; row++) w.WriteAlignedBytes(picture.Cr.AsSpan(chromaOffset + row * chromaStride, 8));
        _isPcm[index] = true;
        _pcmCount++;
    }

    /// <summary>
    /// residual_block_cavlc() (7.3.5.3.2, 9.2) of Intra16x16DCLevel holding at most one coefficient, the first.
    /// coeff_token (Table 9-5) depends on nC (9.2.1) from the left and upper neighbours' 4x4 blocks: 16 for I_PCM,
    /// 0 for P_Skip and for our Intra_16x16 (their AC blocks are never coded; the DC block does not count).
    /// </summary>
    private void WriteLumaDcBlock(ref BitWriter w, int mbX, int mbY, int level)
    {
        int index = mbY * _mbCols + mbX;
        bool left = mbX > 0, top = mbY > 0;
        int nA = left && _isPcm[index - 1] ? 16 : 0;
        int nB = top && _isPcm[index - _mbCols] ? 16 : 0;
        int nC = left && top ? (nA + nB + 1) >> 1 : left ? nA : nB;
        int table = nC < 2 ? 0 : nC < 4 ? 1 : nC < 8 ? 2 : 3;
        if (level == 0)
        {
            WriteCoeffToken(ref w, table, 0, 0);
            return;
        }
        bool trailingOne = level == 1 || level == -1;
        WriteCoeffToken(ref w, table, 1, trailingOne ? 1 : 0);
        if (trailingOne)
        {
            w.WriteBit(level < 0);                              // trailing_ones_sign_flag
        }
        else
        {
            // 9.2.2.1 with suffixLength 0; the decoder adds 2 to the first level when TrailingOnes < 3.
            int levelCode = (level > 0 ? 2 * level - 2 : -2 * level - 1) - 2;
            if (levelCode < 14)
            {
                w.WriteBits(1, levelCode + 1);                  // level_prefix = levelCode
            }
            else if (levelCode < 30)
            {
                w.WriteBits(1, 15);                             // level_prefix = 14
                w.WriteBits((uint)(levelCode - 14), 4);
            }
            else
            {
                Debug.Assert(levelCode - 30 < 4096);
                w.WriteBits(1, 16);                             // level_prefix = 15
                w.WriteBits((uint)(levelCode - 30), 12);
            }
        }
        w.WriteBits(1, 1);                                      // total_zeros = 0 for TotalCoeff 1 (Table 9-7)
    }

    /// <summary>coeff_token codes of Table 9-5 for TotalCoeff 0 and 1, per nC range.</summary>
    private static void WriteCoeffToken(ref BitWriter w, int table, int totalCoeff, int trailingOnes)
    {
        // (bits, length) for TotalCoeff 0; TotalCoeff 1 with TrailingOnes 0; TotalCoeff 1 with TrailingOnes 1.
        ReadOnlySpan<byte> codes =
        [
            0b1, 1, 0b000101, 6, 0b01, 2,          // 0 <= nC < 2
            0b11, 2, 0b001011, 6, 0b10, 2,         // 2 <= nC < 4
            0b1111, 4, 0b001111, 6, 0b1110, 4,     // 4 <= nC < 8
            0b000011, 6, 0b000000, 6, 0b000001, 6, // 8 <= nC: 6-bit fixed length
        ];
        int entry = table * 6 + (totalCoeff == 0 ? 0 : trailingOnes == 0 ? 2 : 4);
        w.WriteBits(codes[entry], codes[entry + 1]);
    }

    private static void ThrowOutputTooSmall(int length) =>
        throw new ArgumentException($"output span of {length} bytes is smaller than MaxFrameSize", "output");
}
