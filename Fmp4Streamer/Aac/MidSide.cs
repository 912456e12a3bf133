namespace Fmp4Streamer.Aac;

/// <summary>
/// Mid/side stereo per band (ISO/IEC 14496-3, 4.6.8.1): the decoder rebuilds L = M + S and R = M - S, so a band
/// is sent as M = (L + R)/2 and S = (L - R)/2 when that lowers the product of the two powers (the bits of a pair
/// of bands at equal noise grow with the log of each power).
/// </summary>
internal static class MidSide
{
    public const int None = 0, PerBand = 1, All = 2;

    /// <summary>Decides and applies mid/side per band; returns ms_mask_present.</summary>
    public static int Apply(IcsLayout layout, Span<float> left, Span<float> right, Span<bool> used)
    {
        int bands = layout.BandCount, count = 0;
        int[] start = layout.BandStart;
        for (int b = 0; b < bands; b++)
        {
            double l = 0, r = 0, m = 0, s = 0;
            for (int i = start[b]; i < start[b + 1]; i++)
            {
                float mid = (left[i] + right[i]) * 0.5f, side = (left[i] - right[i]) * 0.5f;
                l += left[i] * left[i];
                r += right[i] * right[i];
                m += mid * mid;
                s += side * side;
            }
            // The small constant keeps silent bands comparable; 0.8 asks for a clear gain before switching.
            const double floor = 1;
            used[b] = (m + floor) * (s + floor) < 0.8 * (l + floor) * (r + floor);
            if (!used[b]) continue;
            count++;
            for (int i = start[b]; i < start[b + 1]; i++)
            {
                float mid = (left[i] + right[i]) * 0.5f, side = (left[i] - right[i]) * 0.5f;
                left[i] = mid;
                right[i] = side;
            }
        }
        return count == 0 ? None : count == bands ? All : PerBand;
    }
}
