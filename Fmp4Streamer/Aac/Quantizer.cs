namespace Fmp4Streamer.Aac;

/// <summary>
/// AAC's non-uniform quantiser (ISO/IEC 14496-3, 4.6.1.3): q = int((|x| * 2^(-(sf - 100)/4))^(3/4) + 0.4054),
/// the decoder's inverse being q^(4/3) * 2^((sf - 100)/4). The 3/4 powers of the coefficients are taken once per
/// frame, so trying a scalefactor is one multiply per coefficient.
/// </summary>
internal static class Quantizer
{
    public const int ScalefactorOffset = 100;
    public const int MaxQuantized = 8191;
    // Rounds down a little more than a half: the reconstruction of q sits below the middle of its interval, which
    // lowers the mean error of the power law and turns more small values into cheap zeros.
    private const float RoundingOffset = 0.4054f;

    /// <summary>2^(-3(sf - 100)/16) for sf 0..255: the factor applied to |x|^(3/4).</summary>
    private static readonly float[] s_stepPow34 = BuildStepTable();

    private static float[] BuildStepTable()
    {
        var table = new float[256];
        for (int sf = 0; sf < 256; sf++) table[sf] = (float)Math.Pow(2, -3.0 * (sf - ScalefactorOffset) / 16);
        return table;
    }

    public static void Pow34(ReadOnlySpan<float> x, Span<float> pow34)
    {
        for (int i = 0; i < x.Length; i++) pow34[i] = MathF.Sqrt(MathF.Abs(x[i]) * MathF.Sqrt(MathF.Abs(x[i])));
    }

    /// <summary>The smallest scalefactor that keeps |q| within 8191 for a band whose largest |x|^(3/4) is given.</summary>
    public static int MinimumScalefactor(float maxPow34)
    {
        if (maxPow34 <= MaxQuantized) return 0;
        int sf = ScalefactorOffset + (int)MathF.Ceiling(16f / 3f * MathF.Log2(maxPow34 / MaxQuantized));
        while (sf < 255 && maxPow34 * s_stepPow34[sf] + RoundingOffset >= MaxQuantized + 1) sf++;
        return Math.Clamp(sf, 0, 255);
    }

    /// <summary>Quantises a band with one scalefactor; returns the largest |q|.</summary>
    public static int Quantize(ReadOnlySpan<float> x, ReadOnlySpan<float> pow34, int scalefactor, Span<int> q)
    {
        float step = s_stepPow34[scalefactor];
        int max = 0;
        for (int i = 0; i < x.Length; i++)
        {
            int v = (int)(pow34[i] * step + RoundingOffset);
            if (v > MaxQuantized) v = MaxQuantized;
            if (v > max) max = v;
            q[i] = x[i] < 0 ? -v : v;
        }
        return max;
    }
}
