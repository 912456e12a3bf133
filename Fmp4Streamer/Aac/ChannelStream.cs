namespace Fmp4Streamer.Aac;

/// <summary>
/// One channel's individual_channel_stream (ISO/IEC 14496-3, 4.6.2.3): its interleaved spectrum, the scalefactor
/// each band would get from the band model, and for a trial global offset the quantised values, codebooks,
/// scalefactors and the exact bits; then the writer of that stream.
/// </summary>
internal sealed class ChannelStream
{
    private const int MaxScalefactorStep = 60;
    private readonly IcsLayout _layout;
    private readonly SectionPlanner _planner;

    /// <summary>Coefficients in coding order (see <see cref="IcsLayout"/>).</summary>
    public float[] Spectrum { get; } = new float[FilterBank.FrameLength];
    private readonly float[] _pow34 = new float[FilterBank.FrameLength];
    private readonly int[] _quantized = new int[FilterBank.FrameLength];
    private readonly float[] _modelScalefactor = new float[IcsLayout.MaxBands];
    private readonly int[] _minimumScalefactor = new int[IcsLayout.MaxBands];
    private readonly bool[] _silent = new bool[IcsLayout.MaxBands];
    private readonly int[] _scalefactor = new int[IcsLayout.MaxBands];
    private readonly int[] _codebook = new int[IcsLayout.MaxBands];
    private readonly int[] _costs = new int[IcsLayout.MaxBands * SpectralCodebooks.Count];
    private int _globalGain;

    public ChannelStream(IcsLayout layout, SectionPlanner planner)
    {
        _layout = layout;
        _planner = planner;
    }

    /// <summary>Takes the 3/4 powers and asks the band model for each band's scalefactor at offset 0.</summary>
    public void Prepare(BandModel model)
    {
        int bands = _layout.BandCount;
        int[] start = _layout.BandStart;
        Quantizer.Pow34(Spectrum.AsSpan(0, start[bands]), _pow34);
        for (int b = 0; b < bands; b++)
        {
            ReadOnlySpan<float> x = Spectrum.AsSpan(start[b], start[b + 1] - start[b]);
            ReadOnlySpan<float> p = _pow34.AsSpan(start[b], x.Length);
            float max = 0;
            for (int i = 0; i < p.Length; i++) max = MathF.Max(max, p[i]);
            _silent[b] = !model.TryScalefactor(x, p, b % _layout.MaxSfb, out _modelScalefactor[b]);
            _minimumScalefactor[b] = Quantizer.MinimumScalefactor(max);
        }
    }

    /// <summary>Quantises every band at the model's scalefactors plus <paramref name="offset"/>; returns the bits.</summary>
    public int Quantize(int offset)
    {
        int bands = _layout.BandCount;
        int[] start = _layout.BandStart;
        int previous = -1;
        for (int b = 0; b < bands; b++)
        {
            Span<int> q = _quantized.AsSpan(start[b], start[b + 1] - start[b]);
            int largest = 0;
            if (_silent[b]) q.Clear();
            else
            {
                int sf = Math.Clamp((int)MathF.Round(_modelScalefactor[b]) + offset, _minimumScalefactor[b], 255);
                if (previous >= 0) sf = Math.Clamp(sf, previous - MaxScalefactorStep, previous + MaxScalefactorStep);
                largest = Quantizer.Quantize(Spectrum.AsSpan(start[b], q.Length), _pow34.AsSpan(start[b], q.Length), sf, q);
                if (largest > 0) previous = _scalefactor[b] = sf;
            }
            SpectralCodebooks.BandCosts(q, largest, _costs.AsSpan(b * SpectralCodebooks.Count, SpectralCodebooks.Count));
        }
        int bits = 8 + 3; // global_gain; pulse, TNS and gain control flags
        for (int g = 0; g < _layout.GroupCount; g++)
            bits += _planner.Plan(_costs, g * _layout.MaxSfb, _layout.MaxSfb, _layout.IsShort, _codebook);
        return bits + ScalefactorBits();
    }

    // Bands in a non-zero section repeat the previous scalefactor when they quantised to zeros; the first
    // transmitted scalefactor is global_gain itself, so its difference is 0 too.
    private int ScalefactorBits()
    {
        int bands = _layout.BandCount;
        _globalGain = -1;
        for (int b = 0; b < bands; b++)
            if (_codebook[b] != 0 && _costs[b * SpectralCodebooks.Count] != 0) { _globalGain = _scalefactor[b]; break; }
        if (_globalGain < 0) _globalGain = Quantizer.ScalefactorOffset;
        ReadOnlySpan<byte> lengths = HuffmanTables.ScalefactorLengths;
        int last = _globalGain, bits = 0;
        for (int b = 0; b < bands; b++)
        {
            if (_codebook[b] == 0) continue;
            if (_costs[b * SpectralCodebooks.Count] == 0) _scalefactor[b] = last;
            bits += lengths[_scalefactor[b] - last + MaxScalefactorStep];
            last = _scalefactor[b];
        }
        return bits;
    }

    /// <summary>Writes the stream as quantised by the last <see cref="Quantize"/>, ics_info included unless shared.</summary>
    public void Write(ref BitWriter writer, bool commonWindow)
    {
        writer.Write((uint)_globalGain, 8);
        if (!commonWindow) WriteIcsInfo(ref writer, _layout);
        for (int g = 0; g < _layout.GroupCount; g++)
            SectionPlanner.Write(ref writer, _codebook, g * _layout.MaxSfb, _layout.MaxSfb, _layout.IsShort);
        ReadOnlySpan<byte> lengths = HuffmanTables.ScalefactorLengths;
        ReadOnlySpan<uint> codes = HuffmanTables.ScalefactorCodes;
        int last = _globalGain, bands = _layout.BandCount;
        for (int b = 0; b < bands; b++)
        {
            if (_codebook[b] == 0) continue;
            int index = _scalefactor[b] - last + MaxScalefactorStep;
            writer.Write(codes[index], lengths[index]);
            last = _scalefactor[b];
        }
        writer.Write(0, 3); // no pulse data, no TNS, no gain control
        int[] start = _layout.BandStart;
        for (int b = 0; b < bands; b++)
            if (_codebook[b] != 0)
                SpectralCodebooks.Write(ref writer, _quantized.AsSpan(start[b], start[b + 1] - start[b]), _codebook[b]);
    }

    /// <summary>Bits of ics_info for a layout.</summary>
    public static int IcsInfoBits(IcsLayout layout) => layout.IsShort ? 1 + 2 + 1 + 4 + 7 : 1 + 2 + 1 + 6 + 1;

    public static void WriteIcsInfo(ref BitWriter writer, IcsLayout layout)
    {
        writer.Write(0, 1); // ics_reserved_bit
        writer.Write((uint)layout.Sequence, 2);
        writer.Write((uint)layout.Shape, 1);
        if (layout.IsShort)
        {
            writer.Write((uint)layout.MaxSfb, 4);
            writer.Write((uint)layout.GroupingBits, 7);
        }
        else
        {
            writer.Write((uint)layout.MaxSfb, 6);
            writer.Write(0, 1); // predictor_data_present
        }
    }
}
