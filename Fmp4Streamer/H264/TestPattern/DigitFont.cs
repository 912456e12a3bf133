namespace Fmp4Streamer.H264.TestPattern;

/// <summary>A 3x5 pixel font for the decimal frame counter.</summary>
internal static class DigitFont
{
    public const int GlyphWidth = 3;
    public const int GlyphHeight = 5;

    // One glyph per digit, 15 bits row-major from the top-left pixel at bit 14.
    private static readonly ushort[] s_glyphs =
    [
        0b111_101_101_101_111, // 0
        0b010_110_010_010_111, // 1
        0b111_001_111_100_111, // 2
        0b111_001_111_001_111, // 3
        0b101_101_111_001_001, // 4
        0b111_100_111_001_111, // 5
        0b111_100_111_101_111, // 6
        0b111_001_001_001_001, // 7
        0b111_101_111_101_111, // 8
        0b111_101_111_001_111, // 9
    ];

    public static bool IsSet(int digit, int x, int y) =>
        (s_glyphs[digit] >> (14 - (y * GlyphWidth + x)) & 1) != 0;
}
