namespace Fmp4Streamer.Aac;

/// <summary>
/// The rising halves of the two AAC window shapes (ISO/IEC 14496-3, 4.6.11.3.2): sine, and Kaiser-Bessel derived
/// with alpha 4 for long and 6 for short windows. The falling half is the rising half reversed.
/// </summary>
internal static class WindowShape
{
    public const int Sine = 0;
    public const int KaiserBesselDerived = 1;

    /// <summary>The rising half (length/2 values) of a window of <paramref name="length"/> samples.</summary>
    public static float[] Rising(int shape, int length)
    {
        int half = length / 2;
        var w = new float[half];
        if (shape == Sine)
        {
            for (int n = 0; n < half; n++) w[n] = (float)Math.Sin(Math.PI / length * (n + 0.5));
            return w;
        }
        double alpha = length == 2048 ? 4 : 6;
        var kernel = new double[half + 1];
        double total = 0;
        for (int n = 0; n <= half; n++)
        {
            double r = (n - length / 4.0) / (length / 4.0);
            kernel[n] = BesselI0(Math.PI * alpha * Math.Sqrt(1 - r * r));
            total += kernel[n];
        }
        double sum = 0;
        for (int n = 0; n < half; n++)
        {
            sum += kernel[n];
            w[n] = (float)Math.Sqrt(sum / total);
        }
        return w;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (int k = 1; k < 50; k++)
        {
            term *= x / (2 * k);
            double squared = term * term;
            sum += squared;
            if (squared < sum * 1e-17) break;
        }
        return sum;
    }
}
