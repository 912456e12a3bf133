using Fmp4Streamer.Jpeg;

namespace Fmp4Streamer.Pictures;

/// <summary>
/// Turns a picture clockwise by 0, 90, 180 or 270 degrees and scales it down to a width, into I420 planes it owns
/// (grown when the size grows, so pictures of one size allocate nothing). Bilinear sampling; chroma is read at the
/// position of its luma block, for 4:2:0 and 4:2:2 sources alike. Used only when a rotation or a smaller width is
/// configured: otherwise the encoder reads the picture where it is.
/// </summary>
internal sealed class PictureTransform
{
    private byte[] _planes = Array.Empty<byte>();

    /// <summary>The output size of a <paramref name="width"/>x<paramref name="height"/> picture (even, at least 16).</summary>
    public static (int Width, int Height) OutputSize(int width, int height, int rotation, int maxWidth)
    {
        bool turned = rotation is 90 or 270;
        int w = turned ? height : width, h = turned ? width : height;
        if (maxWidth > 0 && maxWidth < w)
        {
            int scaledHeight = (int)Math.Round((double)h * maxWidth / w);
            w = maxWidth;
            h = scaledHeight;
        }
        return (Math.Max(16, w & ~1), Math.Max(16, h & ~1));
    }

    public static bool IsIdentity(int width, int height, int rotation, int maxWidth) =>
        rotation == 0 && (maxWidth <= 0 || maxWidth >= width);

    /// <summary>Transforms <paramref name="source"/>; the result is valid until the next call.</summary>
    public PictureView Apply(in PictureView source, int rotation, int maxWidth)
    {
        var (w, h) = OutputSize(source.Width, source.Height, rotation, maxWidth);
        int cw = w / 2, ch = h / 2;
        int size = w * h + 2 * cw * ch;
        if (_planes.Length < size) _planes = new byte[size];
        var y = _planes.AsSpan(0, w * h);
        var u = _planes.AsSpan(w * h, cw * ch);
        var v = _planes.AsSpan(w * h + cw * ch, cw * ch);

        bool turned = rotation is 90 or 270;
        int rw = turned ? source.Height : source.Width, rh = turned ? source.Width : source.Height;
        float sx = (float)rw / w, sy = (float)rh / h;
        for (int oy = 0; oy < h; oy++)
        {
            for (int ox = 0; ox < w; ox++)
            {
                var (px, py) = ToSource((ox + 0.5f) * sx - 0.5f, (oy + 0.5f) * sy - 0.5f, rotation, source.Width, source.Height);
                y[oy * w + ox] = Sample(source.Luma, source.LumaStride, source.LumaStep, source.Width, source.Height, px, py);
            }
        }
        int verticalFactor = source.Subsampling == ChromaSubsampling.Yuv420 ? 2 : 1;
        for (int oy = 0; oy < ch; oy++)
        {
            for (int ox = 0; ox < cw; ox++)
            {
                // The centre of the 2x2 luma block this chroma sample covers, in source luma coordinates.
                var (px, py) = ToSource((2 * ox + 1f) * sx - 0.5f, (2 * oy + 1f) * sy - 0.5f, rotation, source.Width, source.Height);
                float cx = (px - 0.5f) / 2f, cy = verticalFactor == 2 ? (py - 0.5f) / 2f : py;
                u[oy * cw + ox] = Sample(source.Cb, source.ChromaStride, source.ChromaStep, source.ChromaWidth, source.ChromaHeight, cx, cy);
                v[oy * cw + ox] = Sample(source.Cr, source.ChromaStride, source.ChromaStep, source.ChromaWidth, source.ChromaHeight, cx, cy);
            }
        }
        return PictureView.I420(w, h, y, w, u, v, cw, source.FullRange);
    }

    /// <summary>A point of the turned picture in the source's coordinates (turned clockwise by <paramref name="rotation"/>).</summary>
    private static (float X, float Y) ToSource(float x, float y, int rotation, int width, int height) => rotation switch
    {
        90 => (y, height - 1 - x),
        180 => (width - 1 - x, height - 1 - y),
        270 => (width - 1 - y, x),
        _ => (x, y),
    };

    private static byte Sample(ReadOnlySpan<byte> plane, int stride, int step, int width, int height, float x, float y)
    {
        x = Math.Clamp(x, 0, width - 1);
        y = Math.Clamp(y, 0, height - 1);
        int x0 = (int)x, y0 = (int)y;
        int x1 = Math.Min(x0 + 1, width - 1), y1 = Math.Min(y0 + 1, height - 1);
        float fx = x - x0, fy = y - y0;
        float top = plane[y0 * stride + x0 * step] * (1 - fx) + plane[y0 * stride + x1 * step] * fx;
        float bottom = plane[y1 * stride + x0 * step] * (1 - fx) + plane[y1 * stride + x1 * step] * fx;
        return (byte)(top * (1 - fy) + bottom * fy + 0.5f);
    }
}
