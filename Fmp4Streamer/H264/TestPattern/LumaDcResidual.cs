namespace Fmp4Streamer.H264.TestPattern;

/// <summary>
/// A flat luma offset coded as the single first coefficient of the Intra16x16DCLevel block, at QP 26 (the slice
/// QP; every macroblock keeps mb_qp_delta 0). With only c[0][0] = L, the inverse Hadamard (8.5.10) gives L for
/// all 16 blocks, dcY = (L * LevelScale4x4(26 % 6, 0, 0) + 2^(5 - 26/6)) &gt;&gt; (6 - 26/6) with LevelScale = 16 * 13,
/// and the inverse 4x4 transform of a DC-only block (8.5.12.2) adds (dcY + 32) &gt;&gt; 6 to every sample.
/// That step is 52/64 of a sample per level, so every offset -255..255 has an exact level.
/// </summary>
internal static class LumaDcResidual
{
    public const int Qp = 26;
    private const int LevelScale = 16 * 13;   // weightScale4x4 flat 16 times normAdjust4x4(2, 0, 0) = 13 (8.5.9)

    /// <summary>The sample offset the decoder adds for DC level <paramref name="level"/>.</summary>
    public static int Reconstruct(int level)
    {
        const int shift = 6 - Qp / 6;
        int dcY = (level * LevelScale + (1 << (shift - 1))) >> shift;
        return (dcY + 32) >> 6;
    }

    /// <summary>The smallest level whose reconstruction is exactly <paramref name="offset"/> (-255..255).</summary>
    public static int LevelFor(int offset)
    {
        int estimate = offset * 64 / 52;
        int best = int.MaxValue;
        for (int level = estimate - 3; level <= estimate + 3; level++)
        {
            if (Reconstruct(level) == offset && Math.Abs(level) < Math.Abs(best)) best = level;
        }
        if (best == int.MaxValue) throw new InvalidOperationException($"no DC level reproduces offset {offset}");
        return best;
    }
}
