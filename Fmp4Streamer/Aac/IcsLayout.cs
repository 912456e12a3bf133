namespace Fmp4Streamer.Aac;

/// <summary>
/// What ics_info says about a frame (window sequence and shape, max_sfb, the grouping of short windows) and the
/// coding bands it implies: one band per (group, scalefactor band), each a contiguous run of the interleaved
/// spectrum in which a group's windows follow each other inside every band (ISO/IEC 14496-3, 4.6.2.3.2).
/// </summary>
internal sealed class IcsLayout
{
    public const int MaxBands = 8 * 15;

    private readonly ScalefactorBands _bands;
    private readonly int _longMaxSfb, _shortMaxSfb;

    public WindowSequence Sequence { get; private set; }
    public int Shape { get; private set; }
    public int MaxSfb { get; private set; }
    public int GroupCount { get; private set; }
    /// <summary>Windows in each group (all 1 for long windows, which have one group of one window).</summary>
    public int[] GroupLength { get; } = new int[8];
    public int BandCount => GroupCount * MaxSfb;
    /// <summary>Start of each coding band in the interleaved spectrum, BandCount + 1 values.</summary>
    public int[] BandStart { get; } = new int[MaxBands + 1];
    public bool IsShort => Sequence == WindowSequence.EightShort;
    /// <summary>scale_factor_grouping: bit 6 - w set when window w + 1 joins window w's group.</summary>
    public int GroupingBits { get; private set; }

    public IcsLayout(ScalefactorBands bands, int cutoffHz, int sampleRate)
    {
        _bands = bands;
        _longMaxSfb = BandsBelow(bands.LongOffsets, cutoffHz * 2048L / sampleRate);
        _shortMaxSfb = BandsBelow(bands.ShortOffsets, cutoffHz * 256L / sampleRate);
    }

    private static int BandsBelow(int[] offsets, long cutoffLine)
    {
        int n = 0;
        while (n < offsets.Length - 1 && offsets[n] < cutoffLine) n++;
        return Math.Max(1, n);
    }

    /// <summary>Sets a long-window frame.</summary>
    public void SetLong(WindowSequence sequence, int shape)
    {
        Sequence = sequence;
        Shape = shape;
        MaxSfb = _longMaxSfb;
        GroupCount = 1;
        GroupLength[0] = 1;
        GroupingBits = 0;
        int[] offsets = _bands.LongOffsets;
        for (int b = 0; b <= MaxSfb; b++) BandStart[b] = offsets[b];
    }

    /// <summary>
    /// Sets an eight-short frame, grouping consecutive windows whose energies (<paramref name="windowEnergy"/>,
    /// eight values) stay within a factor of 4 of the group's first: they can share scalefactors.
    /// </summary>
    public void SetShort(int shape, ReadOnlySpan<float> windowEnergy)
    {
        Sequence = WindowSequence.EightShort;
        Shape = shape;
        MaxSfb = _shortMaxSfb;
        GroupCount = 0;
        GroupingBits = 0;
        float first = 0;
        for (int w = 0; w < 8; w++)
        {
            float e = windowEnergy[w];
            bool join = w > 0 && e <= 4 * first + 1e-3f && first <= 4 * e + 1e-3f;
            if (join)
            {
                GroupLength[GroupCount - 1]++;
                GroupingBits |= 1 << (7 - w);
            }
            else
            {
                GroupLength[GroupCount++] = 1;
                first = e;
            }
        }
        int[] offsets = _bands.ShortOffsets;
        int position = 0, band = 0;
        for (int g = 0; g < GroupCount; g++)
        {
            for (int b = 0; b < MaxSfb; b++)
            {
                BandStart[band++] = position;
                position += GroupLength[g] * (offsets[b + 1] - offsets[b]);
            }
        }
        BandStart[band] = position;
    }

    /// <summary>Copies the transmitted coefficients (window after window for short frames) into coding order.</summary>
    public void Interleave(ReadOnlySpan<float> coefficients, Span<float> interleaved)
    {
        if (!IsShort)
        {
            coefficients[..BandStart[MaxSfb]].CopyTo(interleaved);
            return;
        }
        int[] offsets = _bands.ShortOffsets;
        int position = 0, window = 0;
        for (int g = 0; g < GroupCount; g++)
        {
            for (int b = 0; b < MaxSfb; b++)
            {
                int width = offsets[b + 1] - offsets[b];
                for (int w = 0; w < GroupLength[g]; w++)
                {
                    coefficients.Slice((window + w) * FilterBank.ShortLength + offsets[b], width).CopyTo(interleaved[position..]);
                    position += width;
                }
            }
            window += GroupLength[g];
        }
    }
}
