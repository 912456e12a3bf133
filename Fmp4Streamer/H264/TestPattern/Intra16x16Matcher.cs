namespace Fmp4Streamer.H264.TestPattern;

/// <summary>
/// Finds an Intra_16x16 luma mode and an intra chroma mode whose prediction reproduces a macroblock exactly, so it
/// can be coded in a few bits instead of as I_PCM: the prediction alone, or for flat luma the DC prediction plus
/// one DC coefficient (<see cref="LumaDcResidual"/>). Predictions follow H.264 8.3.3
/// (luma) and 8.3.4 (chroma) from the neighbouring samples of the same picture; the encoder only ever emits
/// exact macroblocks, so the picture is also what the decoder reconstructs.
/// </summary>
internal static class Intra16x16Matcher
{
    // Intra16x16PredMode, H.264 Table 7-11.
    public const int LumaVertical = 0;
    public const int LumaHorizontal = 1;
    public const int LumaDc = 2;

    // intra_chroma_pred_mode, H.264 Table 7-16.
    public const int ChromaDc = 0;
    public const int ChromaHorizontal = 1;
    public const int ChromaVertical = 2;

    /// <summary>
    /// True when the macroblock can be coded as Intra_16x16; <paramref name="dcLevel"/> is then the luma DC
    /// coefficient to send (0 for none).
    /// </summary>
    public static bool TryMatch(YuvPlanes picture, int mbX, int mbY, out int lumaMode, out int dcLevel, out int chromaMode)
    {
        chromaMode = -1;
        return TryMatchLuma(picture, mbX, mbY, out lumaMode, out dcLevel) && TryMatchChroma(picture, mbX, mbY, out chromaMode);
    }

    private static bool TryMatchLuma(YuvPlanes picture, int mbX, int mbY, out int mode, out int dcLevel)
    {
        dcLevel = 0;
        byte[] y = picture.Y;
        int stride = picture.Width;
        int x0 = mbX * 16, y0 = mbY * 16;
        bool top = mbY > 0, left = mbX > 0;
        if (top && IsVertical(y, stride, x0, y0, 16))
        {
            mode = LumaVertical;
            return true;
        }
        if (left && IsHorizontal(y, stride, x0, y0, 16))
        {
            mode = LumaHorizontal;
            return true;
        }
        // 8.3.3.3: mean of the available edges, 128 when none is available.
        int dc = 128;
        if (top && left) dc = (SumTop(y, stride, x0, y0, 16) + SumLeft(y, stride, x0, y0, 16) + 16) >> 5;
        else if (left) dc = (SumLeft(y, stride, x0, y0, 16) + 8) >> 4;
        else if (top) dc = (SumTop(y, stride, x0, y0, 16) + 8) >> 4;
        if (IsFlat(y, stride, x0, y0, 16, 16, (byte)dc))
        {
            mode = LumaDc;
            return true;
        }
        byte value = y[y0 * stride + x0];
        if (IsFlat(y, stride, x0, y0, 16, 16, value))
        {
            mode = LumaDc;
            dcLevel = LumaDcResidual.LevelFor(value - dc);
            return true;
        }
        mode = -1;
        return false;
    }

    private static bool TryMatchChroma(YuvPlanes picture, int mbX, int mbY, out int mode)
    {
        int stride = picture.ChromaWidth;
        int x0 = mbX * 8, y0 = mbY * 8;
        bool top = mbY > 0, left = mbX > 0;
        if (IsChromaDc(picture.Cb, stride, x0, y0, top, left) && IsChromaDc(picture.Cr, stride, x0, y0, top, left))
        {
            mode = ChromaDc;
            return true;
        }
        if (left && IsHorizontal(picture.Cb, stride, x0, y0, 8) && IsHorizontal(picture.Cr, stride, x0, y0, 8))
        {
            mode = ChromaHorizontal;
            return true;
        }
        if (top && IsVertical(picture.Cb, stride, x0, y0, 8) && IsVertical(picture.Cr, stride, x0, y0, 8))
        {
            mode = ChromaVertical;
            return true;
        }
        mode = -1;
        return false;
    }

    /// <summary>8.3.4.1-3: each 4x4 chroma block has its own DC, and which edge it prefers depends on its position.</summary>
    private static bool IsChromaDc(byte[] plane, int stride, int x0, int y0, bool top, bool left)
    {
        for (int block = 0; block < 4; block++)
        {
            int xO = (block & 1) * 4, yO = (block >> 1) * 4;
            int bx = x0 + xO, by = y0 + yO;
            int dc;
            bool cornerOrInner = (xO == 0 && yO == 0) || (xO > 0 && yO > 0);
            if (cornerOrInner)
            {
                if (top && left) dc = (SumTop(plane, stride, bx, y0, 4) + SumLeft(plane, stride, x0, by, 4) + 4) >> 3;
                else if (left) dc = (SumLeft(plane, stride, x0, by, 4) + 2) >> 2;
                else if (top) dc = (SumTop(plane, stride, bx, y0, 4) + 2) >> 2;
                else dc = 128;
            }
            else if (yO == 0)
            {
                if (top) dc = (SumTop(plane, stride, bx, y0, 4) + 2) >> 2;
                else if (left) dc = (SumLeft(plane, stride, x0, by, 4) + 2) >> 2;
                else dc = 128;
            }
            else
            {
                if (left) dc = (SumLeft(plane, stride, x0, by, 4) + 2) >> 2;
                else if (top) dc = (SumTop(plane, stride, bx, y0, 4) + 2) >> 2;
                else dc = 128;
            }
            if (!IsFlat(plane, stride, bx, by, 4, 4, (byte)dc)) return false;
        }
        return true;
    }

    /// <summary>Every row equals the row just above the block.</summary>
    private static bool IsVertical(byte[] plane, int stride, int x0, int y0, int size)
    {
        ReadOnlySpan<byte> above = plane.AsSpan((y0 - 1) * stride + x0, size);
        for (int row = 0; row < size; row++)
        {
            if (!plane.AsSpan((y0 + row) * stride + x0, size).SequenceEqual(above)) return false;
        }
        return true;
    }

    /// <summary>Every row is filled with the sample just left of it.</summary>
    private static bool IsHorizontal(byte[] plane, int stride, int x0, int y0, int size)
    {
        for (int row = 0; row < size; row++)
        {
            int offset = (y0 + row) * stride + x0;
            if (plane.AsSpan(offset, size).IndexOfAnyExcept(plane[offset - 1]) >= 0) return false;
        }
        return true;
    }

    private static bool IsFlat(byte[] plane, int stride, int x0, int y0, int width, int height, byte value)
    {
        for (int row = 0; row < height; row++)
        {
            if (plane.AsSpan((y0 + row) * stride + x0, width).IndexOfAnyExcept(value) >= 0) return false;
        }
        return true;
    }

    private static int SumTop(byte[] plane, int stride, int x, int y0, int count)
    {
        int sum = 0, offset = (y0 - 1) * stride + x;
        for (int i = 0; i < count; i++) sum += plane[offset + i];
        return sum;
    }

    private static int SumLeft(byte[] plane, int stride, int x0, int y, int count)
    {
        int sum = 0, offset = y * stride + x0 - 1;
        for (int i = 0; i < count; i++) sum += plane[offset + i * stride];
        return sum;
    }
}
