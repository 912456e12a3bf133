namespace Fmp4Streamer.H264.TestPattern;

/// <summary>
/// Draws the test picture: the strip (<see cref="TestPatternStrip"/>) and a decimal frame counter on black in the top
/// macroblock rows, 75% colour bars over a grey ramp (black at its top, white at the bottom), and a white bar one macroblock wide that moves one
/// column per frame (columns 1 to the last). Each frame only repaints the overlay rows and the two bar columns, and tells the encoder
/// which macroblocks can therefore have changed.
/// </summary>
internal sealed class TestPatternPainter
{
    private const int CounterMbRows = 1;
    private const int DigitScale = 3;       // 3x5 glyphs become 9x15 pixels: one digit per macroblock, one I_PCM per change
    private const int MaxDigits = 8;
    private const byte White = 235;
    private const byte Black = 16;
    private const byte Neutral = 128;

    // 75% colour bars in BT.601 limited range: white, yellow, cyan, green, magenta, red, blue, black.
    private static ReadOnlySpan<byte> BarY => [180, 162, 131, 112, 84, 65, 35, 16];
    private static ReadOnlySpan<byte> BarCb => [128, 44, 156, 72, 184, 100, 212, 128];
    private static ReadOnlySpan<byte> BarCr => [128, 142, 44, 58, 198, 212, 114, 128];

    private readonly YuvPlanes _background;
    private readonly int _digits;

    public TestPatternPainter(int width, int height)
    {
        Width = width;
        Height = height;
        MbCols = (width + 15) / 16;
        MbRows = (height + 15) / 16;
        StripMbRows = (TestPatternStrip.Layout.Height(width) + 15) / 16;
        OverlayMbRows = StripMbRows + CounterMbRows;
        _digits = Math.Min(MaxDigits, width / 16);
        _background = new YuvPlanes(MbCols * 16, MbRows * 16);
        Picture = new YuvPlanes(MbCols * 16, MbRows * 16);
        DrawBackground();
        Picture.CopyFrom(_background);
        BarColumn = -1;
        PreviousBarColumn = -1;
    }

    public int Width { get; }
    public int Height { get; }
    public int MbCols { get; }
    public int MbRows { get; }
    public int StripMbRows { get; }

    /// <summary>Macroblock rows holding the strip and the counter: repainted every frame.</summary>
    public int OverlayMbRows { get; }

    /// <summary>The current picture, macroblock-aligned (the encoder crops it to Width x Height).</summary>
    public YuvPlanes Picture { get; }

    public int BarColumn { get; private set; }
    public int PreviousBarColumn { get; private set; }

    /// <summary>False for macroblocks that <see cref="Paint"/> did not touch, which are the same as last frame.</summary>
    public bool MayHaveChanged(int mbX, int mbY) => mbY < OverlayMbRows || mbX == BarColumn || mbX == PreviousBarColumn;

    /// <summary>
    /// Left edge in pixels of the flash: the counter row from the right of the digits to the picture's right edge
    /// turns white for one frame when <see cref="Paint"/> is told to flash (the test pattern's sound has its burst
    /// then). The row is repainted every frame, so the flash costs the encoder nothing extra.
    /// </summary>
    public int FlashLeft => _digits * 16;

    /// <summary>Top and height in pixels of the flash (the counter's macroblock row).</summary>
    public int FlashTop => StripMbRows * 16;
    public const int FlashHeight = CounterMbRows * 16;

    public void Paint(long frameNumber, long wallClockMs, bool flash = false)
    {
        Picture.CopyMbRows(_background, 0, OverlayMbRows);
        PreviousBarColumn = BarColumn;
        // Column 0 is left out: restoring it after the bar would need I_PCM in every ramp row (no left neighbour).
        BarColumn = 1 + (int)(((frameNumber % (MbCols - 1)) + MbCols - 1) % (MbCols - 1));
        if (PreviousBarColumn >= 0 && PreviousBarColumn != BarColumn)
        {
            for (int mbY = OverlayMbRows; mbY < MbRows; mbY++) Picture.CopyMacroblock(_background, PreviousBarColumn, mbY);
        }
        int barTop = OverlayMbRows * 16;
        Picture.Fill(BarColumn * 16, barTop, 16, MbRows * 16 - barTop, White, Neutral, Neutral);
        DrawStrip(frameNumber, wallClockMs);
        DrawCounter(frameNumber);
        if (flash && FlashLeft < Width) Picture.Fill(FlashLeft, FlashTop, MbCols * 16 - FlashLeft, FlashHeight, White, Neutral, Neutral);
    }

    private void DrawBackground()
    {
        int paddedWidth = MbCols * 16;
        int overlayHeight = OverlayMbRows * 16;
        _background.Fill(0, 0, paddedWidth, overlayHeight, Black, Neutral, Neutral);

        // Bars vary across and the ramp varies down, so below their first macroblock row almost every macroblock
        // is a copy of its upper (bars) or left (ramp) neighbour: Intra_16x16 vertical or horizontal prediction.
        int rampTop = (OverlayMbRows + (MbRows - OverlayMbRows) * 2 / 3) * 16;
        int bottom = MbRows * 16;
        // Columns of two pixels so that every chroma sample lies inside one bar; the padding repeats the last bar.
        for (int x = 0; x < paddedWidth; x += 2)
        {
            int bar = Math.Min(7, x * 8 / Width);
            _background.Fill(x, overlayHeight, 2, rampTop - overlayHeight, BarY[bar], BarCb[bar], BarCr[bar]);
        }
        int rampHeight = Math.Min(Height, bottom) - rampTop;
        for (int y = rampTop; y < bottom; y += 2)
        {
            int step = Math.Min(y - rampTop, rampHeight - 2);
            byte grey = (byte)(Black + step * (White - Black) / Math.Max(1, rampHeight - 2));
            _background.Fill(0, y, paddedWidth, 2, grey, Neutral, Neutral);
        }
    }

    private void DrawStrip(long frameNumber, long wallClockMs)
    {
        Span<byte> bits = stackalloc byte[TestPatternStrip.Layout.TotalBytes];
        TestPatternStrip.Encode(frameNumber, wallClockMs, bits);
        int cell = TestPatternStrip.Layout.CellSize(Width);
        int perRow = TestPatternStrip.Layout.CellsPerRow(Width);
        for (int i = 0; i < TestPatternStrip.Layout.TotalBits; i++)
        {
            if ((bits[i >> 3] & (0x80 >> (i & 7))) == 0) continue;   // the overlay background is already black
            Picture.Fill(i % perRow * cell, i / perRow * cell, cell, cell,
                TestPatternStrip.Layout.OneLuma, TestPatternStrip.Layout.NeutralChroma, TestPatternStrip.Layout.NeutralChroma);
        }
    }

    private void DrawCounter(long frameNumber)
    {
        ulong value = (ulong)frameNumber;
        int top = StripMbRows * 16 + (CounterMbRows * 16 - DigitFont.GlyphHeight * DigitScale) / 2;
        for (int d = _digits - 1; d >= 0; d--)
        {
            int digit = (int)(value % 10);
            value /= 10;
            int left = d * 16 + (16 - DigitFont.GlyphWidth * DigitScale) / 2;
            for (int gy = 0; gy < DigitFont.GlyphHeight; gy++)
            {
                for (int gx = 0; gx < DigitFont.GlyphWidth; gx++)
                {
                    if (DigitFont.IsSet(digit, gx, gy))
                        Picture.FillLuma(left + gx * DigitScale, top + gy * DigitScale, DigitScale, DigitScale, White);
                }
            }
        }
    }
}
