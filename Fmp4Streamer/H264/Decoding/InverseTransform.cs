using System.Runtime.CompilerServices;

namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The integer inverse transforms of H.264 8.5: 4x4 and 8x8 residual blocks added to the prediction already in the
/// picture, the Intra16x16 luma DC Hadamard and the 4:2:0 chroma DC transform, with their DC scaling. Blocks are
/// raster ordered, already scaled (8.5.12.1) except where a method says otherwise, and cleared after use.
/// </summary>
public static class InverseTransform
{
    /// <summary>8.5.12.2 then 8.5.14: rows, then columns, (x + 32) &gt;&gt; 6, added and clipped.</summary>
    public static void Add4x4(Span<int> block, byte[] plane, int offset, int stride)
    {
        Span<int> d = block.Slice(0, 16);
        for (int y = 0; y < 4; y++)
        {
            int i = y * 4;
            int e0 = d[i] + d[i + 2];
            int e1 = d[i] - d[i + 2];
            int e2 = (d[i + 1] >> 1) - d[i + 3];
            int e3 = d[i + 1] + (d[i + 3] >> 1);
            d[i] = e0 + e3;
            d[i + 1] = e1 + e2;
            d[i + 2] = e1 - e2;
            d[i + 3] = e0 - e3;
        }
        for (int x = 0; x < 4; x++)
        {
            int e0 = d[x] + d[x + 8];
            int e1 = d[x] - d[x + 8];
            int e2 = (d[x + 4] >> 1) - d[x + 12];
            int e3 = d[x + 4] + (d[x + 12] >> 1);
            int o = offset + x;
            plane[o] = Clip(plane[o] + ((e0 + e3 + 32) >> 6));
            plane[o + stride] = Clip(plane[o + stride] + ((e1 + e2 + 32) >> 6));
            plane[o + 2 * stride] = Clip(plane[o + 2 * stride] + ((e1 - e2 + 32) >> 6));
            plane[o + 3 * stride] = Clip(plane[o + 3 * stride] + ((e0 - e3 + 32) >> 6));
        }
        d.Clear();
    }

    /// <summary>A 4x4 block whose only coefficient is the DC: every sample gains (dc + 32) &gt;&gt; 6.</summary>
    public static void AddDc4x4(int dc, byte[] plane, int offset, int stride)
    {
        int add = (dc + 32) >> 6;
        for (int y = 0; y < 4; y++, offset += stride)
        {
            for (int x = 0; x < 4; x++) plane[offset + x] = Clip(plane[offset + x] + add);
        }
    }

    /// <summary>8.5.13.2 then 8.5.14.</summary>
    public static void Add8x8(Span<int> block, byte[] plane, int offset, int stride)
    {
        Span<int> d = block.Slice(0, 64);
        for (int y = 0; y < 8; y++) Transform8(d, y * 8, 1);
        for (int x = 0; x < 8; x++) Transform8(d, x, 8);
        for (int y = 0; y < 8; y++)
        {
            int o = offset + y * stride;
            for (int x = 0; x < 8; x++) plane[o + x] = Clip(plane[o + x] + ((d[y * 8 + x] + 32) >> 6));
        }
        d.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transform8(Span<int> d, int start, int step)
    {
        int d0 = d[start], d1 = d[start + step], d2 = d[start + 2 * step], d3 = d[start + 3 * step];
        int d4 = d[start + 4 * step], d5 = d[start + 5 * step], d6 = d[start + 6 * step], d7 = d[start + 7 * step];
        int a0 = d0 + d4;
        int a4 = d0 - d4;
        int a2 = (d2 >> 1) - d6;
        int a6 = d2 + (d6 >> 1);
        int b0 = a0 + a6;
        int b2 = a4 + a2;
        int b4 = a4 - a2;
        int b6 = a0 - a6;
        int a1 = -d3 + d5 - d7 - (d7 >> 1);
        int a3 = d1 + d7 - d3 - (d3 >> 1);
        int a5 = -d1 + d7 + d5 + (d5 >> 1);
        int a7 = d3 + d5 + d1 + (d1 >> 1);
        int b1 = a1 + (a7 >> 2);
        int b7 = a7 - (a1 >> 2);
        int b3 = a3 + (a5 >> 2);
        int b5 = (a3 >> 2) - a5;
        d[start] = b0 + b7;
        d[start + step] = b2 + b5;
        d[start + 2 * step] = b4 + b3;
        d[start + 3 * step] = b6 + b1;
        d[start + 4 * step] = b6 - b1;
        d[start + 5 * step] = b4 - b3;
        d[start + 6 * step] = b2 - b5;
        d[start + 7 * step] = b0 - b7;
    }

    /// <summary>
    /// 8.5.10: the Intra16x16 DC levels <paramref name="c"/> (raster over the 4x4 grid of blocks, not yet scaled) become
    /// dcY in place, scaled with LevelScale4x4(qP % 6, 0, 0) = <paramref name="levelScale"/>.
    /// </summary>
    public static void LumaDc(Span<int> c, int qp, int levelScale)
    {
        Span<int> f = c.Slice(0, 16);
        for (int y = 0; y < 4; y++) Hadamard4(f, y * 4, 1);
        for (int x = 0; x < 4; x++) Hadamard4(f, x, 4);
        int shift = qp / 6;
        for (int i = 0; i < 16; i++) f[i] = ((f[i] * levelScale << shift) + 32) >> 6;
    }

    private static void Hadamard4(Span<int> d, int start, int step)
    {
        int a = d[start], b = d[start + step], c = d[start + 2 * step], e = d[start + 3 * step];
        int s0 = a + b, s1 = a - b, s2 = c + e, s3 = c - e;
        d[start] = s0 + s2;
        d[start + step] = s0 - s2;
        d[start + 2 * step] = s1 - s3;
        d[start + 3 * step] = s1 + s3;
    }

    /// <summary>8.5.11: the four 4:2:0 chroma DC levels (c00, c01, c10, c11) become dcC in place.</summary>
    public static void ChromaDc(Span<int> c, int qp, int levelScale)
    {
        int a = c[0], b = c[1], d = c[2], e = c[3];
        int f0 = a + b + d + e;
        int f1 = a - b + d - e;
        int f2 = a + b - d - e;
        int f3 = a - b - d + e;
        int shift = qp / 6;
        c[0] = (f0 * levelScale << shift) >> 5;
        c[1] = (f1 * levelScale << shift) >> 5;
        c[2] = (f2 * levelScale << shift) >> 5;
        c[3] = (f3 * levelScale << shift) >> 5;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Clip(int value) => (uint)value <= 255 ? (byte)value : value < 0 ? (byte)0 : (byte)255;
}
