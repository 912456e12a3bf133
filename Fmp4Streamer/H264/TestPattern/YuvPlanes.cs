using System.Diagnostics;

namespace Fmp4Streamer.H264.TestPattern;

/// <summary>
/// One 8-bit 4:2:0 picture at macroblock-aligned size, with the per-macroblock copy and compare the encoder needs.
/// </summary>
internal sealed class YuvPlanes
{
    public const int MbSize = 16;
    public const int ChromaMbSize = 8;

    public YuvPlanes(int width, int height)
    {
        Debug.Assert(width % MbSize == 0 && height % MbSize == 0);
        Width = width;
        Height = height;
        ChromaWidth = width / 2;
        ChromaHeight = height / 2;
        Y = new byte[width * height];
        Cb = new byte[ChromaWidth * ChromaHeight];
        Cr = new byte[ChromaWidth * ChromaHeight];
    }

    public int Width { get; }
    public int Height { get; }
    public int ChromaWidth { get; }
    public int ChromaHeight { get; }
    public byte[] Y { get; }
    public byte[] Cb { get; }
    public byte[] Cr { get; }

    public void CopyFrom(YuvPlanes source)
    {
        source.Y.AsSpan().CopyTo(Y);
        source.Cb.AsSpan().CopyTo(Cb);
        source.Cr.AsSpan().CopyTo(Cr);
    }

    /// <summary>Copies whole macroblock rows [firstMbRow, firstMbRow + mbRows).</summary>
    public void CopyMbRows(YuvPlanes source, int firstMbRow, int mbRows)
    {
        int luma = Width * MbSize;
        source.Y.AsSpan(firstMbRow * luma, mbRows * luma).CopyTo(Y.AsSpan(firstMbRow * luma));
        int chroma = ChromaWidth * ChromaMbSize;
        source.Cb.AsSpan(firstMbRow * chroma, mbRows * chroma).CopyTo(Cb.AsSpan(firstMbRow * chroma));
        source.Cr.AsSpan(firstMbRow * chroma, mbRows * chroma).CopyTo(Cr.AsSpan(firstMbRow * chroma));
    }

    public void CopyMacroblock(YuvPlanes source, int mbX, int mbY)
    {
        CopyBlock(source.Y, Y, Width, mbX * MbSize, mbY * MbSize, MbSize);
        CopyBlock(source.Cb, Cb, ChromaWidth, mbX * ChromaMbSize, mbY * ChromaMbSize, ChromaMbSize);
        CopyBlock(source.Cr, Cr, ChromaWidth, mbX * ChromaMbSize, mbY * ChromaMbSize, ChromaMbSize);
    }

    public bool MacroblockEquals(YuvPlanes other, int mbX, int mbY) =>
        BlockEquals(other.Y, Y, Width, mbX * MbSize, mbY * MbSize, MbSize)
        && BlockEquals(other.Cb, Cb, ChromaWidth, mbX * ChromaMbSize, mbY * ChromaMbSize, ChromaMbSize)
        && BlockEquals(other.Cr, Cr, ChromaWidth, mbX * ChromaMbSize, mbY * ChromaMbSize, ChromaMbSize);

    /// <summary>Fills a luma rectangle and its chroma; x, y, width and height must be even (4:2:0 siting).</summary>
    public void Fill(int x, int y, int width, int height, byte luma, byte cb, byte cr)
    {
        Debug.Assert(((x | y | width | height) & 1) == 0);
        Debug.Assert(x >= 0 && y >= 0 && x + width <= Width && y + height <= Height);
        for (int row = y; row < y + height; row++) Y.AsSpan(row * Width + x, width).Fill(luma);
        int cx = x / 2, cw = width / 2;
        for (int row = y / 2; row < (y + height) / 2; row++)
        {
            Cb.AsSpan(row * ChromaWidth + cx, cw).Fill(cb);
            Cr.AsSpan(row * ChromaWidth + cx, cw).Fill(cr);
        }
    }

    /// <summary>Fills a luma rectangle only, for grey drawings on a grey background (chroma stays neutral).</summary>
    public void FillLuma(int x, int y, int width, int height, byte luma)
    {
        Debug.Assert(x >= 0 && y >= 0 && x + width <= Width && y + height <= Height);
        for (int row = y; row < y + height; row++) Y.AsSpan(row * Width + x, width).Fill(luma);
    }

    private static void CopyBlock(byte[] from, byte[] to, int stride, int x, int y, int size)
    {
        for (int row = 0; row < size; row++)
        {
            int offset = (y + row) * stride + x;
            from.AsSpan(offset, size).CopyTo(to.AsSpan(offset, size));
        }
    }

    private static bool BlockEquals(byte[] a, byte[] b, int stride, int x, int y, int size)
    {
        for (int row = 0; row < size; row++)
        {
            int offset = (y + row) * stride + x;
            if (!a.AsSpan(offset, size).SequenceEqual(b.AsSpan(offset, size))) return false;
        }
        return true;
    }
}
