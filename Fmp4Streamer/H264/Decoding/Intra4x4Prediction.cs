namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Intra_4x4 sample prediction (H.264 8.3.1.2), written into the picture at the block's place. The caller says
/// which neighbours are available for intra prediction; a mode that needs a missing neighbour (a corrupt stream)
/// reads whatever the picture holds there, never outside it.
/// </summary>
public static class Intra4x4Prediction
{
    public const int Vertical = 0;
    public const int Horizontal = 1;
    public const int Dc = 2;
    public const int DiagonalDownLeft = 3;
    public const int DiagonalDownRight = 4;
    public const int VerticalRight = 5;
    public const int HorizontalDown = 6;
    public const int VerticalLeft = 7;
    public const int HorizontalUp = 8;

    public static void Predict(int mode, byte[] p, int offset, int stride, bool left, bool top, bool topRight, bool topLeft)
    {
        // t[0] = p[-1,-1], t[1 + x] = p[x,-1] for x = 0..7; l[0] = p[-1,-1], l[1 + y] = p[-1,y].
        Span<int> t = stackalloc int[9];
        Span<int> l = stackalloc int[5];
        int above = offset - stride;
        if (top)
        {
            for (int x = 0; x < 4; x++) t[1 + x] = p[above + x];
            if (topRight)
            {
                for (int x = 4; x < 8; x++) t[1 + x] = p[above + x];
            }
            else
            {
                for (int x = 4; x < 8; x++) t[1 + x] = t[4];   // 8.3.1.2: p[3,-1] stands in for the missing samples
            }
        }
        if (left)
        {
            for (int y = 0; y < 4; y++) l[1 + y] = p[offset + y * stride - 1];
        }
        if (topLeft) t[0] = l[0] = p[above - 1];

        switch (mode)
        {
            case Vertical:
                for (int y = 0; y < 4; y++) Row(p, offset + y * stride, t[1], t[2], t[3], t[4]);
                break;
            case Horizontal:
                for (int y = 0; y < 4; y++) Row(p, offset + y * stride, l[1 + y], l[1 + y], l[1 + y], l[1 + y]);
                break;
            case Dc:
            {
                int dc;
                if (top && left) dc = (t[1] + t[2] + t[3] + t[4] + l[1] + l[2] + l[3] + l[4] + 4) >> 3;
                else if (left) dc = (l[1] + l[2] + l[3] + l[4] + 2) >> 2;
                else if (top) dc = (t[1] + t[2] + t[3] + t[4] + 2) >> 2;
                else dc = 128;
                for (int y = 0; y < 4; y++) Row(p, offset + y * stride, dc, dc, dc, dc);
                break;
            }
            default:
                for (int y = 0; y < 4; y++)
                {
                    for (int x = 0; x < 4; x++) p[offset + y * stride + x] = (byte)Directional(mode, x, y, t, l);
                }
                break;
        }
    }

    private static void Row(byte[] p, int o, int a, int b, int c, int d)
    {
        p[o] = (byte)a;
        p[o + 1] = (byte)b;
        p[o + 2] = (byte)c;
        p[o + 3] = (byte)d;
    }

    // T(x) = p[x,-1], L(y) = p[-1,y]; both accept -1 for p[-1,-1].
    private static int Directional(int mode, int x, int y, Span<int> t, Span<int> l)
    {
        switch (mode)
        {
            case DiagonalDownLeft:
                return x == 3 && y == 3
                    ? (t[7] + 3 * t[8] + 2) >> 2
                    : (t[1 + x + y] + 2 * t[2 + x + y] + t[3 + x + y] + 2) >> 2;
            case DiagonalDownRight:
                if (x > y) return (t[x - y - 1] + 2 * t[x - y] + t[x - y + 1] + 2) >> 2;
                if (x < y) return (l[y - x - 1] + 2 * l[y - x] + l[y - x + 1] + 2) >> 2;
                return (t[1] + 2 * t[0] + l[1] + 2) >> 2;
            case VerticalRight:
            {
                int z = 2 * x - y;
                int i = x - (y >> 1);
                if (z >= 0 && (z & 1) == 0) return (t[i] + t[1 + i] + 1) >> 1;
                if (z > 0) return (t[i - 1] + 2 * t[i] + t[1 + i] + 2) >> 2;
                if (z == -1) return (l[1] + 2 * l[0] + t[1] + 2) >> 2;
                return (l[y] + 2 * l[y - 1] + l[y - 2] + 2) >> 2;
            }
            case HorizontalDown:
            {
                int z = 2 * y - x;
                int i = y - (x >> 1);
                if (z >= 0 && (z & 1) == 0) return (l[i] + l[1 + i] + 1) >> 1;
                if (z > 0) return (l[i - 1] + 2 * l[i] + l[1 + i] + 2) >> 2;
                if (z == -1) return (l[1] + 2 * l[0] + t[1] + 2) >> 2;
                return (t[x] + 2 * t[x - 1] + t[x - 2] + 2) >> 2;
            }
            case VerticalLeft:
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
                if (z > 5) return l[4];
                if (z == 5) return (l[3] + 3 * l[4] + 2) >> 2;
                if ((z & 1) == 0) return (l[1 + i] + l[2 + i] + 1) >> 1;
                return (l[1 + i] + 2 * l[2 + i] + l[3 + i] + 2) >> 2;
            }
        }
    }
}
