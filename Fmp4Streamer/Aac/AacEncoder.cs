namespace Fmp4Streamer.Aac;

/// <summary>
/// An AAC-LC encoder (ISO/IEC 14496-3): interleaved signed 16-bit PCM in, 1024 samples per channel per call; raw
/// access units out (no ADTS), at a constant bitrate; one or two channels at 48000, 44100, 32000 or 16000 Hz.
/// <para>
/// Delay: the first call returns 0 bytes (the encoder looks one block ahead to start short windows in time), and
/// every later call returns one access unit. Decoded from the first access unit on, the output is the input delayed
/// by <see cref="PrimingSamples"/> samples: give the first access unit the capture time of the first input sample
/// minus PrimingSamples / rate (or cut PrimingSamples with an edit list).
/// </para>
/// Nothing is allocated per call after construction.
/// </summary>
public sealed class AacEncoder
{
    /// <summary>The largest access unit: 6144 bits per channel (the decoder's input buffer).</summary>
    public const int MaxAccessUnitBytesPerChannel = 768;

    private readonly int _channels;
    private readonly byte[] _audioSpecificConfig;
    private readonly float[][] _history;        // per channel: the frame's two blocks, then the look-ahead block
    private readonly float[][] _coefficients;
    private readonly TransientDetector[] _detectors;
    private readonly ChannelStream[] _streams;
    private readonly FilterBank _filterBank = new();
    private readonly WindowSequencer _sequencer = new();
    private readonly IcsLayout _layout;
    private readonly BandModel _model = new();
    private readonly BitReservoir _reservoir;
    private readonly bool[] _midSide = new bool[IcsLayout.MaxBands];
    private readonly float[] _windowEnergy = new float[8];
    private int _msMaskPresent;
    private bool _started, _shortHere, _lateAttack;
    private int _previousShape = WindowShape.KaiserBesselDerived;
    private int _offset;

    // Long windows use KBD (its far rejection keeps strong tones from spreading); short ones sine (its narrower
    // main lobe suits the few lines of a short window).
    private const int LongShape = WindowShape.KaiserBesselDerived, ShortShape = WindowShape.Sine;

    public AacEncoder(int sampleRate, int channels, int bitrate)
    {
        if (!ScalefactorBands.IsSupported(sampleRate))
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "AAC encoder sample rates: 48000, 44100, 32000, 16000");
        if (channels is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "AAC encoder channels: 1 or 2");
        // A frame may not exceed 6144 bits per channel; the average stays 256 bits below so fill and alignment fit.
        int perChannelLimit = (6144 - 256) * sampleRate / 1024;
        if (bitrate < 8000 * channels || bitrate > perChannelLimit * channels)
            throw new ArgumentOutOfRangeException(nameof(bitrate), bitrate, $"AAC bitrate: {8000 * channels} to {perChannelLimit * channels} bit/s");
        SampleRate = sampleRate;
        _channels = channels;
        Bitrate = bitrate;
        var bands = ScalefactorBands.For(sampleRate);
        _audioSpecificConfig = global::Fmp4Streamer.Aac.AudioSpecificConfig.Build(bands.SamplingFrequencyIndex, channels);
        _layout = new IcsLayout(bands, Bandwidth.CutoffHz(bitrate, channels, sampleRate), sampleRate);
        _reservoir = new BitReservoir(bitrate, sampleRate, channels);
        var planner = new SectionPlanner();
        _history = new float[channels][];
        _coefficients = new float[channels][];
        _detectors = new TransientDetector[channels];
        _streams = new ChannelStream[channels];
        for (int c = 0; c < channels; c++)
        {
            _history[c] = new float[3 * FrameSamples];
            _coefficients[c] = new float[FrameSamples];
            _detectors[c] = new TransientDetector();
            _streams[c] = new ChannelStream(_layout, planner);
        }
    }

    /// <summary>The bitrate a stream gets unless configured: 64 kbit/s mono, 96 kbit/s stereo.</summary>
    public static int DefaultBitrate(int channels) => channels == 1 ? 64000 : 96000;

    public int FrameSamples => 1024;
    public int SampleRate { get; }
    public int Channels => _channels;
    public int Bitrate { get; }
    /// <summary>Samples (per channel) of silence the decoded stream starts with before the first input sample.</summary>
    public int PrimingSamples => 1024;
    public int MaxAccessUnitBytes => MaxAccessUnitBytesPerChannel * _channels;
    /// <summary>Two bytes for an MP4 esds box or an SDP config=: AAC-LC, the rate's index, the channel count.</summary>
    public ReadOnlySpan<byte> AudioSpecificConfig => _audioSpecificConfig;

    /// <summary>
    /// Encodes one frame: <paramref name="interleavedPcm"/> holds 1024 samples per channel. Writes one access unit
    /// to <paramref name="output"/> (at least <see cref="MaxAccessUnitBytes"/> long) and returns its length; the
    /// first call returns 0.
    /// </summary>
    public int Encode(ReadOnlySpan<short> interleavedPcm, Span<byte> output)
    {
        if (interleavedPcm.Length != FrameSamples * _channels)
            throw new ArgumentException($"expected {FrameSamples * _channels} samples, got {interleavedPcm.Length}", nameof(interleavedPcm));
        bool early = false, late = false;
        for (int c = 0; c < _channels; c++)
        {
            float[] h = _history[c];
            Array.Copy(h, FrameSamples, h, 0, 2 * FrameSamples);
            Span<float> block = h.AsSpan(2 * FrameSamples, FrameSamples);
            for (int i = 0; i < FrameSamples; i++) block[i] = interleavedPcm[i * _channels + c];
            var (e, l) = _detectors[c].Analyze(block);
            early |= e;
            late |= l;
        }
        bool shortNext = early || _lateAttack;
        _lateAttack = late;
        if (!_started)
        {
            _started = true;
            _shortHere = shortNext;
            return 0;
        }
        WindowSequence sequence = _sequencer.Next(_shortHere, shortNext);
        _shortHere = shortNext;
        return EncodeFrame(sequence, output);
    }

    private int EncodeFrame(WindowSequence sequence, Span<byte> output)
    {
        if (output.Length < MaxAccessUnitBytes)
            throw new ArgumentException($"the output span needs {MaxAccessUnitBytes} bytes", nameof(output));
        int shape = sequence == WindowSequence.EightShort ? ShortShape : LongShape;
        for (int c = 0; c < _channels; c++)
            _filterBank.Analyze(_history[c].AsSpan(0, 2 * FrameSamples), sequence, _previousShape, shape, _coefficients[c]);
        _previousShape = shape;
        if (sequence == WindowSequence.EightShort)
        {
            _windowEnergy.AsSpan().Clear();
            for (int c = 0; c < _channels; c++)
                for (int w = 0; w < 8; w++)
                    foreach (float x in _coefficients[c].AsSpan(w * FilterBank.ShortLength, FilterBank.ShortLength))
                        _windowEnergy[w] += x * x;
            _layout.SetShort(shape, _windowEnergy);
        }
        else _layout.SetLong(sequence, shape);
        for (int c = 0; c < _channels; c++) _layout.Interleave(_coefficients[c], _streams[c].Spectrum);
        _msMaskPresent = _channels == 2 ? MidSide.Apply(_layout, _streams[0].Spectrum, _streams[1].Spectrum, _midSide) : MidSide.None;
        for (int c = 0; c < _channels; c++) _streams[c].Prepare(_model);

        int overhead = ElementHeaderBits() + 3; // + END
        int target = _reservoir.TargetBits(sequence == WindowSequence.EightShort) - overhead - 7;
        _offset = ChooseOffset(target, _offset);
        int used = overhead + QuantizeAll(_offset);
        int fill = _reservoir.FillBitsFor(RoundToBytes(used));

        var writer = new BitWriter(output);
        WriteElement(ref writer);
        if (fill > 0) FillElement.Write(ref writer, fill);
        writer.Write(7, 3); // ID_END
        int bytes = writer.Flush();
        _reservoir.Commit(bytes * 8);
        return bytes;
    }

    private static int RoundToBytes(int bits) => (bits + 7) & ~7;

    /// <summary>
    /// The smallest offset (finest quantisation) whose frame fits <paramref name="target"/> bits: the last frame's
    /// offset is bracketed by steps that double from 1 (neighbouring frames rarely differ by much), then bisected.
    /// </summary>
    private int ChooseOffset(int target, int guess)
    {
        const int lowest = -255, highest = 255;
        int step = 1, lo, hi;
        if (QuantizeAll(guess) <= target)
        {
            hi = guess;
            lo = guess - step;
            while (lo > lowest && QuantizeAll(lo) <= target) { hi = lo; step *= 2; lo = Math.Max(lowest, hi - step); }
            if (lo <= lowest && QuantizeAll(lowest) <= target) return lowest;
        }
        else
        {
            lo = guess;
            hi = guess + step;
            while (hi < highest && QuantizeAll(hi) > target) { lo = hi; step *= 2; hi = Math.Min(highest, lo + step); }
            // The doubling may stop at the cap untried (after silence the guess is the lowest offset, and a
            // transient's frame then needs one far above it): only a cap that does not fit either ends the search.
            if (hi >= highest && QuantizeAll(highest) > target) return highest;
        }
        // Invariant: lo does not fit, hi fits.
        while (hi - lo > 1)
        {
            int mid = (lo + hi) / 2;
            if (QuantizeAll(mid) <= target) hi = mid; else lo = mid;
        }
        return hi;
    }

    private int QuantizeAll(int offset)
    {
        int bits = 0;
        for (int c = 0; c < _channels; c++) bits += _streams[c].Quantize(offset);
        return bits;
    }

    private int ElementHeaderBits()
    {
        if (_channels == 1) return 3 + 4 + ChannelStream.IcsInfoBits(_layout);
        return 3 + 4 + 1 + ChannelStream.IcsInfoBits(_layout) + 2 + (_msMaskPresent == MidSide.PerBand ? _layout.BandCount : 0);
    }

    // raw_data_block (ISO/IEC 14496-3, 4.4.2.1): one single_channel_element, or one channel_pair_element sharing
    // the window (common_window) so mid/side can apply.
    private void WriteElement(ref BitWriter writer)
    {
        if (_channels == 1)
        {
            writer.Write(0, 3); // ID_SCE
            writer.Write(0, 4); // element_instance_tag
            _streams[0].Write(ref writer, commonWindow: false);
            return;
        }
        writer.Write(1, 3); // ID_CPE
        writer.Write(0, 4);
        writer.Write(1, 1); // common_window
        ChannelStream.WriteIcsInfo(ref writer, _layout);
        writer.Write((uint)_msMaskPresent, 2);
        if (_msMaskPresent == MidSide.PerBand)
            for (int b = 0; b < _layout.BandCount; b++) writer.Write(_midSide[b] ? 1u : 0u, 1);
        _streams[0].Write(ref writer, commonWindow: true);
        _streams[1].Write(ref writer, commonWindow: true);
    }
}
