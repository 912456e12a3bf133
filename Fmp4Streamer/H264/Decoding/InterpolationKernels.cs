using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The sample loops of fractional interpolation (H.264 8.4.2.2), eight samples at a time in 16-bit lanes with the
/// portable Vector128 API (SSE on x64, NEON on arm64). Blocks are 4, 8 or 16 samples wide. Sources are references to
/// the block's top-left integer sample; every kernel reads at most from 2 columns left to max(w, 8) + 2 columns right
/// of it and from 2 rows above to h + 3 rows below, which the caller guarantees to be inside the buffer.
/// </summary>
internal static class InterpolationKernels
{
    /// <summary>Integer sample position: a copy.</summary>
    public static void Copy(ref byte src, nint srcStride, ref byte dst, nint dstStride, int w, int h)
    {
        for (int j = 0; j < h; j++)
        {
            ref byte s = ref Unsafe.Add(ref src, j * srcStride);
            ref byte d = ref Unsafe.Add(ref dst, j * dstStride);
            if (w == 16) Vector128.LoadUnsafe(ref s).StoreUnsafe(ref d);
            else if (w == 8) Unsafe.WriteUnaligned(ref d, Unsafe.ReadUnaligned<ulong>(ref s));
            else Unsafe.WriteUnaligned(ref d, Unsafe.ReadUnaligned<uint>(ref s));
        }
    }

    /// <summary>The horizontal half samples b (8-241, 8-243).</summary>
    public static void HalfH(ref byte src, nint srcStride, ref byte dst, nint dstStride, int w, int h)
    {
        for (int j = 0; j < h; j++)
        {
            ref byte s = ref Unsafe.Add(ref src, j * srcStride);
            ref byte d = ref Unsafe.Add(ref dst, j * dstStride);
            Vector128<short> lo = Round5(TapH(ref s));
            Vector128<short> hi = w == 16 ? Round5(TapH(ref Unsafe.Add(ref s, 8))) : lo;
            Store(Pack(lo, hi), ref d, w);
        }
    }

    /// <summary>The vertical half samples h (8-242, 8-244).</summary>
    public static void HalfV(ref byte src, nint srcStride, ref byte dst, nint dstStride, int w, int h)
    {
        for (int j = 0; j < h; j++)
        {
            ref byte s = ref Unsafe.Add(ref src, j * srcStride);
            ref byte d = ref Unsafe.Add(ref dst, j * dstStride);
            Vector128<short> lo = Round5(TapV(ref s, srcStride));
            Vector128<short> hi = w == 16 ? Round5(TapV(ref Unsafe.Add(ref s, 8), srcStride)) : lo;
            Store(Pack(lo, hi), ref d, w);
        }
    }

    /// <summary>
    /// The centre half samples j (8-245, 8-247): the horizontal 6-tap sums of rows -2 .. h + 2 kept unrounded in
    /// <paramref name="rows"/> (16 shorts per row, at least 21 rows), then the vertical 6-tap over them in 32 bits.
    /// </summary>
    public static void HalfHV(ref byte src, nint srcStride, ref byte dst, nint dstStride, int w, int h, Span<short> rows)
    {
        ref short t = ref MemoryMarshal.GetReference(rows);
        if (rows.Length < (h + 5) * 16) throw new ArgumentException("too few rows", nameof(rows));
        for (int j = 0; j < h + 5; j++)
        {
            ref byte s = ref Unsafe.Add(ref src, (j - 2) * srcStride);
            TapH(ref s).StoreUnsafe(ref t, (nuint)(j * 16));
            if (w == 16) TapH(ref Unsafe.Add(ref s, 8)).StoreUnsafe(ref t, (nuint)(j * 16 + 8));
        }
        for (int j = 0; j < h; j++)
        {
            ref byte d = ref Unsafe.Add(ref dst, j * dstStride);
            ref short column = ref Unsafe.Add(ref t, j * 16);
            Vector128<short> lo = CentreTap(ref column);
            Vector128<short> hi = w == 16 ? CentreTap(ref Unsafe.Add(ref column, 8)) : lo;
            Store(Pack(lo, hi), ref d, w);
        }
    }

    /// <summary>Rounded-up average of two predictions (the quarter sample positions, 8-250 to 8-261).</summary>
    public static void Average(ref byte a, nint aStride, ref byte b, nint bStride, ref byte dst, nint dstStride, int w, int h)
    {
        for (int j = 0; j < h; j++)
        {
            ref byte pa = ref Unsafe.Add(ref a, j * aStride);
            ref byte pb = ref Unsafe.Add(ref b, j * bStride);
            ref byte d = ref Unsafe.Add(ref dst, j * dstStride);
            Vector128<byte> va, vb;
            if (w == 16)
            {
                va = Vector128.LoadUnsafe(ref pa);
                vb = Vector128.LoadUnsafe(ref pb);
            }
            else if (w == 8)
            {
                va = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref pa)).AsByte();
                vb = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref pb)).AsByte();
            }
            else
            {
                va = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref pa)).AsByte();
                vb = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref pb)).AsByte();
            }
            // (a + b + 1) >> 1 without leaving 8 bits.
            Store((va | vb) - Vector128.ShiftRightLogical(va ^ vb, 1), ref d, w);
        }
    }

    /// <summary>
    /// 4:2:0 chroma (8-266): the bilinear weights of the eighth-sample fraction (dx, dy); blocks 2, 4 or 8 wide.
    /// Reads 9 columns and h + 1 rows.
    /// </summary>
    public static void Chroma(ref byte src, nint srcStride, ref byte dst, nint dstStride, int w, int h, int dx, int dy)
    {
        var wa = Vector128.Create((short)((8 - dx) * (8 - dy)));
        var wb = Vector128.Create((short)(dx * (8 - dy)));
        var wc = Vector128.Create((short)((8 - dx) * dy));
        var wd = Vector128.Create((short)(dx * dy));
        var round = Vector128.Create((short)32);
        Vector128<short> a = Load8(ref src), b = Load8(ref Unsafe.Add(ref src, 1));
        for (int j = 0; j < h; j++)
        {
            ref byte below = ref Unsafe.Add(ref src, (j + 1) * srcStride);
            Vector128<short> c = Load8(ref below), e = Load8(ref Unsafe.Add(ref below, 1));
            Vector128<short> sum = (wa * a + wb * b + wc * c + wd * e + round) >>> 6;
            Vector128<byte> packed = Vector128.Narrow(sum.AsUInt16(), sum.AsUInt16());
            ref byte d = ref Unsafe.Add(ref dst, j * dstStride);
            if (w == 8) Unsafe.WriteUnaligned(ref d, packed.AsUInt64().ToScalar());
            else if (w == 4) Unsafe.WriteUnaligned(ref d, packed.AsUInt32().ToScalar());
            else Unsafe.WriteUnaligned(ref d, packed.AsUInt16().ToScalar());
            a = c;
            b = e;
        }
    }

    /// <summary>Eight samples widened to 16 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Load8(ref byte p) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref p)).AsByte()).AsInt16();

    /// <summary>The 6-tap filter (1, -5, 20, 20, -5, 1) over samples -2 .. 3 of each of eight positions in a row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> TapH(ref byte s)
    {
        Vector128<short> m2 = Load8(ref Unsafe.Subtract(ref s, 2)), m1 = Load8(ref Unsafe.Subtract(ref s, 1));
        Vector128<short> p0 = Load8(ref s), p1 = Load8(ref Unsafe.Add(ref s, 1));
        Vector128<short> p2 = Load8(ref Unsafe.Add(ref s, 2)), p3 = Load8(ref Unsafe.Add(ref s, 3));
        return Tap(m2, m1, p0, p1, p2, p3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> TapV(ref byte s, nint stride)
    {
        Vector128<short> m2 = Load8(ref Unsafe.Subtract(ref s, 2 * stride)), m1 = Load8(ref Unsafe.Subtract(ref s, stride));
        Vector128<short> p0 = Load8(ref s), p1 = Load8(ref Unsafe.Add(ref s, stride));
        Vector128<short> p2 = Load8(ref Unsafe.Add(ref s, 2 * stride)), p3 = Load8(ref Unsafe.Add(ref s, 3 * stride));
        return Tap(m2, m1, p0, p1, p2, p3);
    }

    /// <summary>8-bit samples keep the sum within 16 bits: -10 * 255 .. 42 * 255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Tap(Vector128<short> a, Vector128<short> b, Vector128<short> c, Vector128<short> d,
        Vector128<short> e, Vector128<short> f) =>
        (a + f) - Vector128.Create((short)5) * (b + e) + Vector128.Create((short)20) * (c + d);

    /// <summary>(x + 16) &gt;&gt; 5 clipped to 0..255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Round5(Vector128<short> x) =>
        Vector128.Min(Vector128.Max((x + Vector128.Create((short)16)) >> 5, Vector128<short>.Zero), Vector128.Create((short)255));

    /// <summary>The vertical 6-tap over eight columns of unrounded horizontal sums, (x + 512) &gt;&gt; 10 clipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> CentreTap(ref short t)
    {
        Vector128<short> r0 = Vector128.LoadUnsafe(ref t), r1 = Vector128.LoadUnsafe(ref t, 16);
        Vector128<short> r2 = Vector128.LoadUnsafe(ref t, 32), r3 = Vector128.LoadUnsafe(ref t, 48);
        Vector128<short> r4 = Vector128.LoadUnsafe(ref t, 64), r5 = Vector128.LoadUnsafe(ref t, 80);
        Vector128<int> lo = CentreTap32(Vector128.WidenLower(r0), Vector128.WidenLower(r1), Vector128.WidenLower(r2),
            Vector128.WidenLower(r3), Vector128.WidenLower(r4), Vector128.WidenLower(r5));
        Vector128<int> hi = CentreTap32(Vector128.WidenUpper(r0), Vector128.WidenUpper(r1), Vector128.WidenUpper(r2),
            Vector128.WidenUpper(r3), Vector128.WidenUpper(r4), Vector128.WidenUpper(r5));
        // Clipped to 0..255 before narrowing, so the 32-to-16-bit narrowing cannot wrap.
        return Vector128.Narrow(lo, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> CentreTap32(Vector128<int> a, Vector128<int> b, Vector128<int> c, Vector128<int> d,
        Vector128<int> e, Vector128<int> f)
    {
        Vector128<int> be = b + e, cd = c + d;
        Vector128<int> sum = (a + f) - (be << 2) - be + (cd << 4) + (cd << 2);
        return Vector128.Min(Vector128.Max((sum + Vector128.Create(512)) >> 10, Vector128<int>.Zero), Vector128.Create(255));
    }

    /// <summary>Two vectors of 0..255 values as 16 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Pack(Vector128<short> lo, Vector128<short> hi) => Vector128.Narrow(lo.AsUInt16(), hi.AsUInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<byte> v, ref byte d, int w)
    {
        if (w == 16) v.StoreUnsafe(ref d);
        else if (w == 8) Unsafe.WriteUnaligned(ref d, v.AsUInt64().ToScalar());
        else Unsafe.WriteUnaligned(ref d, v.AsUInt32().ToScalar());
    }
}
