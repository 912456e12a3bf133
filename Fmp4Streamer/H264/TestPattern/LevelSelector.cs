namespace Fmp4Streamer.H264.TestPattern;

/// <summary>Picks level_idc from H.264 Table A-1 for a picture size and frame rate.</summary>
internal static class LevelSelector
{
    /// <summary>
    /// The lowest level used. The pattern sends I_PCM macroblocks, so even small pictures run at a few Mbit/s,
    /// above MaxBR of the levels below 3.0 (10 Mbit/s).
    /// </summary>
    public const int MinimumLevelIdc = 30;

    // level_idc, MaxMBPS (macroblocks/s), MaxFS (macroblocks), from Table A-1.
    private static ReadOnlySpan<int> Levels =>
    [
        10, 1485, 99,
        11, 3000, 396,
        12, 6000, 396,
        13, 11880, 396,
        20, 11880, 396,
        21, 19800, 792,
        22, 20250, 1620,
        30, 40500, 1620,
        31, 108000, 3600,
        32, 216000, 5120,
        40, 245760, 8192,
        41, 245760, 8192,
        42, 522240, 8704,
        50, 589824, 22080,
        51, 983040, 36864,
        52, 2073600, 36864,
        60, 4177920, 139264,
        61, 8355840, 139264,
        62, 16711680, 139264,
    ];

    /// <summary>The level_idc, or 0 when even level 6.2 cannot carry the stream.</summary>
    public static int Select(int mbCols, int mbRows, int fps)
    {
        long frameSize = (long)mbCols * mbRows;
        long rate = frameSize * fps;
        ReadOnlySpan<int> levels = Levels;
        for (int i = 0; i < levels.Length; i += 3)
        {
            int levelIdc = levels[i];
            long maxFs = levels[i + 2];
            if (levelIdc < MinimumLevelIdc || levels[i + 1] < rate || maxFs < frameSize) continue;
            // A.3.1 h/i: neither dimension may exceed sqrt(8 * MaxFS) macroblocks.
            if ((long)mbCols * mbCols > 8 * maxFs || (long)mbRows * mbRows > 8 * maxFs) continue;
            return levelIdc;
        }
        return 0;
    }
}
