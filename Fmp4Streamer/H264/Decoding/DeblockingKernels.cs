using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The sample filters of H.264 8.7.2.3 and 8.7.2.4 on a whole edge at once with the portable Vector128 API: the 16
/// lines crossing a luma edge, or the 8 lines of a Cb edge beside the 8 of the Cr edge at the same place, one line
/// per lane. Horizontal edges load rows directly; vertical edges load eight bytes per row and transpose 16x8.
/// A lane's tC0 of -1 means bS 0 there: the line is left alone.
/// </summary>
internal static class DeblockingKernels
{
    /// <summary>A luma edge: <paramref name="o"/> indexes q0 of the first line; bS 4 everywhere when <paramref name="strong"/>.</summary>
    public static void Luma(byte[] d, int o, int stride, bool vertical, bool strong, Vector128<short> tc0Lo, Vector128<short> tc0Hi,
        int alpha, int beta)
    {
        ref byte q0Ref = ref d[o];
        Vector128<byte> p3, p2, p1, p0, q0, q1, q2, q3;
        if (vertical)
        {
            ref byte row = ref Unsafe.Subtract(ref q0Ref, 4);
            Transpose(ref row, stride, out p3, out p2, out p1, out p0, out q0, out q1, out q2, out q3);
        }
        else
        {
            // Rows 4 above q0 to 3 below lie inside the picture for every edge but the first row's, which is not filtered.
            p3 = Load(ref q0Ref, -4 * stride);
            p2 = Load(ref q0Ref, -3 * stride);
            p1 = Load(ref q0Ref, -2 * stride);
            p0 = Load(ref q0Ref, -stride);
            q0 = Load(ref q0Ref, 0);
            q1 = Load(ref q0Ref, stride);
            q2 = Load(ref q0Ref, 2 * stride);
            q3 = Load(ref q0Ref, 3 * stride);
        }

        var a = Vector128.Create((short)alpha);
        var b = Vector128.Create((short)beta);
        LumaHalf(Vector128.WidenLower(p3).AsInt16(), Vector128.WidenLower(p2).AsInt16(), Vector128.WidenLower(p1).AsInt16(),
            Vector128.WidenLower(p0).AsInt16(), Vector128.WidenLower(q0).AsInt16(), Vector128.WidenLower(q1).AsInt16(),
            Vector128.WidenLower(q2).AsInt16(), Vector128.WidenLower(q3).AsInt16(), strong, tc0Lo, a, b,
            out var np2Lo, out var np1Lo, out var np0Lo, out var nq0Lo, out var nq1Lo, out var nq2Lo);
        LumaHalf(Vector128.WidenUpper(p3).AsInt16(), Vector128.WidenUpper(p2).AsInt16(), Vector128.WidenUpper(p1).AsInt16(),
            Vector128.WidenUpper(p0).AsInt16(), Vector128.WidenUpper(q0).AsInt16(), Vector128.WidenUpper(q1).AsInt16(),
            Vector128.WidenUpper(q2).AsInt16(), Vector128.WidenUpper(q3).AsInt16(), strong, tc0Hi, a, b,
            out var np2Hi, out var np1Hi, out var np0Hi, out var nq0Hi, out var nq1Hi, out var nq2Hi);
        p2 = Pack(np2Lo, np2Hi);
        p1 = Pack(np1Lo, np1Hi);
        p0 = Pack(np0Lo, np0Hi);
        q0 = Pack(nq0Lo, nq0Hi);
        q1 = Pack(nq1Lo, nq1Hi);
        q2 = Pack(nq2Lo, nq2Hi);

        if (vertical)
        {
            StoreTransposed(ref Unsafe.Subtract(ref q0Ref, 4), stride, p3, p2, p1, p0, q0, q1, q2, q3);
        }
        else
        {
            p2.StoreUnsafe(ref Unsafe.Add(ref q0Ref, -3 * stride));
            p1.StoreUnsafe(ref Unsafe.Add(ref q0Ref, -2 * stride));
            p0.StoreUnsafe(ref Unsafe.Add(ref q0Ref, -stride));
            q0.StoreUnsafe(ref q0Ref);
            q1.StoreUnsafe(ref Unsafe.Add(ref q0Ref, stride));
            q2.StoreUnsafe(ref Unsafe.Add(ref q0Ref, 2 * stride));
        }
    }

    /// <summary>
    /// The same edge of both chroma planes (8 lines each, two per luma segment); Cb in the low lanes with its own
    /// thresholds, Cr in the high lanes. <paramref name="tc0"/> holds the Cb lanes' tC0 per line, <paramref name="tc0Cr"/> Cr's.
    /// </summary>
    public static void Chroma(byte[] cb, byte[] cr, int o, int stride, bool vertical, bool strong,
        Vector128<short> tc0, Vector128<short> tc0Cr, int alphaCb, int betaCb, int alphaCr, int betaCr)
    {
        ref byte cbRef = ref cb[o];
        ref byte crRef = ref cr[o];
        Vector128<byte> p1, p0, q0, q1;
        if (vertical)
        {
            // Eight bytes from four left of the edge: within the row's border when the edge is the picture's left one.
            Transpose8(ref Unsafe.Subtract(ref cbRef, 4), ref Unsafe.Subtract(ref crRef, 4), stride,
                out _, out _, out p1, out p0, out q0, out q1, out _, out _);
        }
        else
        {
            p1 = Load8Pair(ref cbRef, ref crRef, -2 * stride);
            p0 = Load8Pair(ref cbRef, ref crRef, -stride);
            q0 = Load8Pair(ref cbRef, ref crRef, 0);
            q1 = Load8Pair(ref cbRef, ref crRef, stride);
        }
        ChromaHalf(Vector128.WidenLower(p1).AsInt16(), Vector128.WidenLower(p0).AsInt16(), Vector128.WidenLower(q0).AsInt16(),
            Vector128.WidenLower(q1).AsInt16(), strong, tc0, Vector128.Create((short)alphaCb), Vector128.Create((short)betaCb),
            out var np0Lo, out var nq0Lo);
        ChromaHalf(Vector128.WidenUpper(p1).AsInt16(), Vector128.WidenUpper(p0).AsInt16(), Vector128.WidenUpper(q0).AsInt16(),
            Vector128.WidenUpper(q1).AsInt16(), strong, tc0Cr, Vector128.Create((short)alphaCr), Vector128.Create((short)betaCr),
            out var np0Hi, out var nq0Hi);
        p0 = Pack(np0Lo, np0Hi);
        q0 = Pack(nq0Lo, nq0Hi);
        if (vertical)
        {
            // Only p0 and q0 change: two bytes per row.
            for (int line = 0; line < 8; line++)
            {
                ref byte cbAt = ref Unsafe.Add(ref cbRef, line * stride - 1);
                cbAt = p0.GetElement(line);
                Unsafe.Add(ref cbAt, 1) = q0.GetElement(line);
                ref byte crAt = ref Unsafe.Add(ref crRef, line * stride - 1);
                crAt = p0.GetElement(line + 8);
                Unsafe.Add(ref crAt, 1) = q0.GetElement(line + 8);
            }
        }
        else
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref cbRef, -stride), p0.AsUInt64().GetElement(0));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref crRef, -stride), p0.AsUInt64().GetElement(1));
            Unsafe.WriteUnaligned(ref cbRef, q0.AsUInt64().GetElement(0));
            Unsafe.WriteUnaligned(ref crRef, q0.AsUInt64().GetElement(1));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LumaHalf(Vector128<short> p3, Vector128<short> p2, Vector128<short> p1, Vector128<short> p0,
        Vector128<short> q0, Vector128<short> q1, Vector128<short> q2, Vector128<short> q3, bool strong, Vector128<short> tc0,
        Vector128<short> alpha, Vector128<short> beta,
        out Vector128<short> np2, out Vector128<short> np1, out Vector128<short> np0,
        out Vector128<short> nq0, out Vector128<short> nq1, out Vector128<short> nq2)
    {
        Vector128<short> filter = Vector128.LessThan(Vector128.Abs(p0 - q0), alpha)
            & Vector128.LessThan(Vector128.Abs(p1 - p0), beta)
            & Vector128.LessThan(Vector128.Abs(q1 - q0), beta)
            & Vector128.GreaterThanOrEqual(tc0, Vector128<short>.Zero);
        Vector128<short> ap = Vector128.LessThan(Vector128.Abs(p2 - p0), beta) & filter;
        Vector128<short> aq = Vector128.LessThan(Vector128.Abs(q2 - q0), beta) & filter;
        var two = Vector128.Create((short)2);
        var four = Vector128.Create((short)4);
        if (!strong)
        {
            Vector128<short> tc = tc0 - ap - aq;   // the masks are -1 where set
            Vector128<short> delta = Vector128.Clamp((((q0 - p0) << 2) + (p1 - q1) + four) >> 3, -tc, tc);
            np0 = Vector128.ConditionalSelect(filter, Clip255(p0 + delta), p0);
            nq0 = Vector128.ConditionalSelect(filter, Clip255(q0 - delta), q0);
            Vector128<short> average = (p0 + q0 + Vector128<short>.One) >> 1;
            np1 = Vector128.ConditionalSelect(ap, p1 + Vector128.Clamp((p2 + average - (p1 << 1)) >> 1, -tc0, tc0), p1);
            nq1 = Vector128.ConditionalSelect(aq, q1 + Vector128.Clamp((q2 + average - (q1 << 1)) >> 1, -tc0, tc0), q1);
            np2 = p2;
            nq2 = q2;
            return;
        }
        Vector128<short> close = Vector128.LessThan(Vector128.Abs(p0 - q0), (alpha >> 2) + two);
        Vector128<short> strongP = ap & close, strongQ = aq & close;
        Vector128<short> pq = p0 + q0;
        np0 = Vector128.ConditionalSelect(strongP, (p2 + ((p1 + pq) << 1) + q1 + four) >> 3,
            Vector128.ConditionalSelect(filter, ((p1 << 1) + p0 + q1 + two) >> 2, p0));
        np1 = Vector128.ConditionalSelect(strongP, (p2 + p1 + pq + two) >> 2, p1);
        np2 = Vector128.ConditionalSelect(strongP, ((p3 + p2) << 1) + p2 + p1 + pq + four >> 3, p2);
        nq0 = Vector128.ConditionalSelect(strongQ, (p1 + ((q1 + pq) << 1) + q2 + four) >> 3,
            Vector128.ConditionalSelect(filter, ((q1 << 1) + q0 + p1 + two) >> 2, q0));
        nq1 = Vector128.ConditionalSelect(strongQ, (pq + q1 + q2 + two) >> 2, q1);
        nq2 = Vector128.ConditionalSelect(strongQ, ((q3 + q2) << 1) + q2 + q1 + pq + four >> 3, q2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ChromaHalf(Vector128<short> p1, Vector128<short> p0, Vector128<short> q0, Vector128<short> q1,
        bool strong, Vector128<short> tc0, Vector128<short> alpha, Vector128<short> beta, out Vector128<short> np0, out Vector128<short> nq0)
    {
        Vector128<short> filter = Vector128.LessThan(Vector128.Abs(p0 - q0), alpha)
            & Vector128.LessThan(Vector128.Abs(p1 - p0), beta)
            & Vector128.LessThan(Vector128.Abs(q1 - q0), beta)
            & Vector128.GreaterThanOrEqual(tc0, Vector128<short>.Zero);
        var two = Vector128.Create((short)2);
        if (!strong)
        {
            Vector128<short> tc = tc0 + Vector128<short>.One;
            Vector128<short> delta = Vector128.Clamp((((q0 - p0) << 2) + (p1 - q1) + Vector128.Create((short)4)) >> 3, -tc, tc);
            np0 = Vector128.ConditionalSelect(filter, Clip255(p0 + delta), p0);
            nq0 = Vector128.ConditionalSelect(filter, Clip255(q0 - delta), q0);
            return;
        }
        np0 = Vector128.ConditionalSelect(filter, ((p1 << 1) + p0 + q1 + two) >> 2, p0);
        nq0 = Vector128.ConditionalSelect(filter, ((q1 << 1) + q0 + p1 + two) >> 2, q0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Clip255(Vector128<short> x) => Vector128.Clamp(x, Vector128<short>.Zero, Vector128.Create((short)255));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Pack(Vector128<short> lo, Vector128<short> hi) => Vector128.Narrow(lo.AsUInt16(), hi.AsUInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Load(ref byte at, int offset) => Vector128.LoadUnsafe(ref Unsafe.Add(ref at, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Load8Pair(ref byte low, ref byte high, int offset) =>
        Vector128.Create(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref low, offset)),
            Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref high, offset))).AsByte();

    /// <summary>Sixteen rows of eight bytes as eight columns of sixteen bytes (row r in lane r).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(ref byte at, int stride, out Vector128<byte> c0, out Vector128<byte> c1, out Vector128<byte> c2,
        out Vector128<byte> c3, out Vector128<byte> c4, out Vector128<byte> c5, out Vector128<byte> c6, out Vector128<byte> c7) =>
        Transpose8(ref at, ref Unsafe.Add(ref at, 8 * stride), stride, out c0, out c1, out c2, out c3, out c4, out c5, out c6, out c7);

    /// <summary>Rows 0..7 from <paramref name="low"/> (lanes 0..7) and 0..7 from <paramref name="high"/> (lanes 8..15), transposed.</summary>
    private static void Transpose8(ref byte low, ref byte high, int stride, out Vector128<byte> c0, out Vector128<byte> c1,
        out Vector128<byte> c2, out Vector128<byte> c3, out Vector128<byte> c4, out Vector128<byte> c5, out Vector128<byte> c6,
        out Vector128<byte> c7)
    {
        Vector128<ulong> r0 = Row(ref low, ref high, 0), r1 = Row(ref low, ref high, stride);
        Vector128<ulong> r2 = Row(ref low, ref high, 2 * stride), r3 = Row(ref low, ref high, 3 * stride);
        Vector128<ulong> r4 = Row(ref low, ref high, 4 * stride), r5 = Row(ref low, ref high, 5 * stride);
        Vector128<ulong> r6 = Row(ref low, ref high, 6 * stride), r7 = Row(ref low, ref high, 7 * stride);
        Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        c0 = r0.AsByte(); c1 = r1.AsByte(); c2 = r2.AsByte(); c3 = r3.AsByte();
        c4 = r4.AsByte(); c5 = r5.AsByte(); c6 = r6.AsByte(); c7 = r7.AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Row(ref byte low, ref byte high, int offset) =>
        Vector128.Create(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref low, offset)), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref high, offset)));

    /// <summary>The inverse of <see cref="Transpose"/>: columns back into sixteen rows of eight bytes.</summary>
    private static void StoreTransposed(ref byte at, int stride, Vector128<byte> c0, Vector128<byte> c1, Vector128<byte> c2,
        Vector128<byte> c3, Vector128<byte> c4, Vector128<byte> c5, Vector128<byte> c6, Vector128<byte> c7)
    {
        Vector128<ulong> r0 = c0.AsUInt64(), r1 = c1.AsUInt64(), r2 = c2.AsUInt64(), r3 = c3.AsUInt64();
        Vector128<ulong> r4 = c4.AsUInt64(), r5 = c5.AsUInt64(), r6 = c6.AsUInt64(), r7 = c7.AsUInt64();
        Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        StoreRow(ref at, 0, stride, r0);
        StoreRow(ref at, 1, stride, r1);
        StoreRow(ref at, 2, stride, r2);
        StoreRow(ref at, 3, stride, r3);
        StoreRow(ref at, 4, stride, r4);
        StoreRow(ref at, 5, stride, r5);
        StoreRow(ref at, 6, stride, r6);
        StoreRow(ref at, 7, stride, r7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(ref byte at, int row, int stride, Vector128<ulong> v)
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, row * stride), v.GetElement(0));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, (row + 8) * stride), v.GetElement(1));
    }

    /// <summary>
    /// Transposes two 8x8 byte matrices at once (one per 64-bit lane, row i in vector i, column c in byte c) by
    /// swapping 4x4, then 2x2, then 1x1 blocks across the diagonal.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref Vector128<ulong> r0, ref Vector128<ulong> r1, ref Vector128<ulong> r2, ref Vector128<ulong> r3,
        ref Vector128<ulong> r4, ref Vector128<ulong> r5, ref Vector128<ulong> r6, ref Vector128<ulong> r7)
    {
        var m32 = Vector128.Create(0x00000000FFFFFFFFUL);
        Swap(ref r0, ref r4, 32, m32);
        Swap(ref r1, ref r5, 32, m32);
        Swap(ref r2, ref r6, 32, m32);
        Swap(ref r3, ref r7, 32, m32);
        var m16 = Vector128.Create(0x0000FFFF0000FFFFUL);
        Swap(ref r0, ref r2, 16, m16);
        Swap(ref r1, ref r3, 16, m16);
        Swap(ref r4, ref r6, 16, m16);
        Swap(ref r5, ref r7, 16, m16);
        var m8 = Vector128.Create(0x00FF00FF00FF00FFUL);
        Swap(ref r0, ref r1, 8, m8);
        Swap(ref r2, ref r3, 8, m8);
        Swap(ref r4, ref r5, 8, m8);
        Swap(ref r6, ref r7, 8, m8);
    }

    /// <summary>Exchanges the high sub-blocks of <paramref name="a"/>'s columns with the low ones of <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Swap(ref Vector128<ulong> a, ref Vector128<ulong> b, int shift, Vector128<ulong> lowMask)
    {
        Vector128<ulong> t = ((a >>> shift) ^ b) & lowMask;
        b ^= t;
        a ^= t << shift;
    }
}
