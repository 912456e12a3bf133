namespace Fmp4Streamer.Aac;

/// <summary>
/// The band-energy model: the noise each band may carry grows with the band's power as power^Tilt (Tilt = 0 would
/// spread the noise evenly, which is best for SNR; 1 would keep every band's SNR equal, the masking view), and the
/// scalefactor that makes the quantiser's noise about that level follows from the power law's error model:
/// noise per line ~ 0.148 * sqrt|x| * 2^(3(sf - 100)/8). The rate loop then adds one offset to every band.
/// </summary>
internal sealed class BandModel
{
    private const float Tilt = 0.5f;
    // Powers below this are below the 16-bit input's own rounding noise after the MDCT's gain.
    private const float SilentPower = 1e-2f;

    /// <summary>Returns false when the band is silent; otherwise its scalefactor at offset 0.</summary>
    public bool TryScalefactor(ReadOnlySpan<float> x, ReadOnlySpan<float> pow34, int sfb, out float scalefactor)
    {
        float energy = 0, roots = 0;
        for (int i = 0; i < x.Length; i++)
        {
            energy += x[i] * x[i];
            roots += MathF.Sqrt(MathF.Abs(x[i]));
        }
        float power = energy / x.Length, meanRoot = roots / x.Length;
        if (power < SilentPower)
        {
            scalefactor = 0;
            return false;
        }
        float allowedNoise = Tilt * MathF.Log2(power);
        scalefactor = Quantizer.ScalefactorOffset + 8f / 3f * (allowedNoise - MathF.Log2(0.148f * meanRoot));
        return true;
    }
}
