namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Intra_8x8 sample prediction (H.264 8.3.2.2): the neighbouring samples are low-pass filtered first (8.3.2.2.1),
/// then one of the nine modes (numbered as for 4x4) fills the block in the picture.
/// </summary>
public static class Intra8x8Prediction
{
    public static void Predict(int mode, byte[] p, int offset, int stride, bool left, bool top, bool topRight, bool topLeft)
    {
        // Raw samples: t[0] = p[-1,-1], t[1 + x] = p[x,-1] (x 0..15); l[0] = p[-1,-1], l[1 + y] = p[-1,y] (y 0..7).
        Span<int> t = stackalloc int[17];
        Span<int> l = stackalloc int[9];
        int above = offset - stride;
        if (top)
        {
            for (int x = 0; x < 8; x++) t[1 + x] = p[above + x];
            for (int x = 8; x < 16; x++) t[1 + x] = topRight ? p[above + x] : t[8];
        }
        if (left)
        {
            for (int y = 0; y < 8; y++) l[1 + y] = p[offset + y * stride - 1];
        }
        if (topLeft) t[0] = l[0] = p[above - 1];

        // Filtered samples, same layout (8.3.2.2.1).
        Span<int> ft = stackalloc int[17];
        Span<int> fl = stackalloc int[9];
        if (top)
        {
            ft[1] = topLeft ? (t[0] + 2 * t[1] + t[2] + 2) >> 2 : (3 * t[1] + t[2] + 2) >> 2;
            for (int x = 1; x < 15; x++) ft[1 + x] = (t[x] + 2 * t[1 + x] + t[2 + x] + 2) >> 2;
            ft[16] = (t[15] + 3 * t[16] + 2) >> 2;
        }
        if (topLeft)
        {
            if (!top && left) ft[0] = (3 * t[0] + l[1] + 2) >> 2;
            else if (top && !left) ft[0] = (3 * t[0] + t[1] + 2) >> 2;
            else if (top && left) ft[0] = (t[1] + 2 * t[0] + l[1] + 2) >> 2;
            else ft[0] = t[0];
            fl[0] = ft[0];
        }
        if (left)
        {
            fl[1] = topLeft ? (l[0] + 2 * l[1] + l[2] + 2) >> 2 : (3 * l[1] + l[2] + 2) >> 2;
            for (int y = 1; y < 7; y++) fl[1 + y] = (l[y] + 2 * l[1 + y] + l[2 + y] + 2) >> 2;
            fl[8] = (l[7] + 3 * l[8] + 2) >> 2;
        }

        for (int y = 0; y < 8; y++)
        {
            int row = offset + y * stride;
            for (int x = 0; x < 8; x++) p[row + x] = (byte)Sample(mode, x, y, ft, fl, left, top);
        }
    }

    private static int Sample(int mode, int x, int y, Span<int> t, Span<int> l, bool left, bool top)
    {
        switch (mode)
        {
            case Intra4x4Prediction.Vertical:
                return t[1 + x];
            case Intra4x4Prediction.Horizontal:
                return l[1 + y];
            case Intra4x4Prediction.Dc:
            {
                int sumTop = 0, sumLeft = 0;
                for (int i = 1; i <= 8; i++)
                {
                    sumTop += t[i];
                    sumLeft += l[i];
                }
                if (top && left) return (sumTop + sumLeft + 8) >> 4;
                if (left) return (sumLeft + 4) >> 3;
                if (top) return (sumTop + 4) >> 3;
                return 128;
            }
            case Intra4x4Prediction.DiagonalDownLeft:
                return x == 7 && y == 7
                    ? (t[15] + 3 * t[16] + 2) >> 2
                    : (t[1 + x + y] + 2 * t[2 + x + y] + t[3 + x + y] + 2) >> 2;
            case Intra4x4Prediction.DiagonalDownRight:
                if (x > y) return (t[x - y - 1] + 2 * t[x - y] + t[x - y + 1] + 2) >> 2;
                if (x < y) return (l[y - x - 1] + 2 * l[y - x] + l[y - x + 1] + 2) >> 2;
                return (t[1] + 2 * t[0] + l[1] + 2) >> 2;
            case Intra4x4Prediction.VerticalRight:
            {
                int z = 2 * x - y;
                int i = x - (y >> 1);
                if (z >= 0 && (z & 1) == 0) return (t[i] + t[1 + i] + 1) >> 1;
                if (z > 0) return (t[i - 1] + 2 * t[i] + t[1 + i] + 2) >> 2;
                if (z == -1) return (l[1] + 2 * l[0] + t[1] + 2) >> 2;
                int j = y - 2 * x;   // p[-1, y-2x-1], p[-1, y-2x-2], p[-1, y-2x-3]
                return (l[j] + 2 * l[j - 1] + l[j - 2] + 2) >> 2;
            }
            case Intra4x4Prediction.HorizontalDown:
            {
                int z = 2 * y - x;
                int i = y - (x >> 1);
                if (z >= 0 && (z & 1) == 0) return (l[i] + l[1 + i] + 1) >> 1;
                if (z > 0) return (l[i - 1] + 2 * l[i] + l[1 + i] + 2) >> 2;
                if (z == -1) return (l[1] + 2 * l[0] + t[1] + 2) >> 2;
                int j = x - 2 * y;   // p[x-2y-1,-1], p[x-2y-2,-1], p[x-2y-3,-1]
                return (t[j] + 2 * t[j - 1] + t[j - 2] + 2) >> 2;
            }
            case Intra4x4Prediction.VerticalLeft:
            {
                int i = x + (y >> 1);
                return (y & 1) == 0
                    ? (t[1 + i] + t[2 + i] + 1) >> 1
                    : (t[1 + i] + 2 * t[2 + i] + t[3 + i] + 2) >> 2;
            }
            default: // HorizontalUp
            {
                int z = x + 2 * y;
                int i = y + (x >> 1);
                if (z > 13) return l[8];
                if (z == 13) return (l[7] + 3 * l[8] + 2) >> 2;
                if ((z & 1) == 0) return (l[1 + i] + l[2 + i] + 1) >> 1;
                return (l[1 + i] + 2 * l[2 + i] + l[3 + i] + 2) >> 2;
            }
        }
    }
}
