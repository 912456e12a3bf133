using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Fmp4Streamer.Jpeg;

/// <summary>
/// The 8x8 forward DCT of T.81 A.3.3 by the Arai-Agui-Nakajima factorisation (5 multiplications and 29 additions per
/// 8 samples). Its outputs are the true coefficients times <c>8 · Scale(u) · Scale(v)</c>; the quantiser divides that
/// out for free (<see cref="QuantizationTable.ScaledReciprocals"/>). The vector path runs the columns of all eight rows
/// at once, four lanes per Vector128 (SSE on x64, Neon on arm64), transposes, and runs the rows the same way. The scalar
/// path does the same float operations in the same order, so both give identical outputs.
/// Input: level-shifted samples, row-major [y * 8 + x]. Output, in place: column-major [u * 8 + v] (u horizontal
/// frequency, v vertical), which saves the second transpose; the zig-zag table is read the same way.
/// </summary>
public static class ForwardDct
{
    private const float C4 = 0.707106781f;  // cos(4π/16)
    private const float C6 = 0.382683433f;  // cos(6π/16)
    private const float C2mC6 = 0.541196100f; // cos(2π/16) − cos(6π/16)
    private const float C2pC6 = 1.306562965f; // cos(2π/16) + cos(6π/16)

    /// <summary>The factor the AAN outputs carry per dimension: 1 for frequency 0, √2 · cos(kπ/16) otherwise.</summary>
    public static double Scale(int k) => k == 0 ? 1.0 : Math.Sqrt(2) * Math.Cos(k * Math.PI / 16);

    /// <summary>Whether <see cref="Transform"/> runs on vectors here.</summary>
    public static bool IsVectorised => Vector128.IsHardwareAccelerated;

    public static void Transform(Span<float> block, bool vectorised)
    {
        if (block.Length < 64) throw new ArgumentException("an 8x8 block has 64 samples", nameof(block));
        if (vectorised && IsVectorised) TransformVector(MemoryMarshal.Cast<float, Vector128<float>>(block[..64]));
        else TransformScalar(block);
    }

    private static void TransformScalar(Span<float> b)
    {
        // Columns: over y for each x, then rows: over x for each v; then the transpose the vector path does in between.
        for (int x = 0; x < 8; x++)
            Aan(ref b[x], ref b[8 + x], ref b[16 + x], ref b[24 + x], ref b[32 + x], ref b[40 + x], ref b[48 + x], ref b[56 + x]);
        for (int v = 0; v < 8; v++)
        {
            int r = v * 8;
            Aan(ref b[r], ref b[r + 1], ref b[r + 2], ref b[r + 3], ref b[r + 4], ref b[r + 5], ref b[r + 6], ref b[r + 7]);
        }
        for (int i = 0; i < 8; i++)
            for (int j = i + 1; j < 8; j++)
                (b[i * 8 + j], b[j * 8 + i]) = (b[j * 8 + i], b[i * 8 + j]);
    }

    private static void TransformVector(Span<Vector128<float>> v)
    {
        // v[2y] holds row y's samples 0..3, v[2y + 1] samples 4..7.
        Aan(ref v[0], ref v[2], ref v[4], ref v[6], ref v[8], ref v[10], ref v[12], ref v[14]);
        Aan(ref v[1], ref v[3], ref v[5], ref v[7], ref v[9], ref v[11], ref v[13], ref v[15]);
        // Rows 0..3 of columns 0..3 become v[0, 2, 4, 6]; rows 4..7 of them v[1, 3, 5, 7]; columns 4..7 likewise at 8..15.
        var a0 = v[0]; var a1 = v[2]; var a2 = v[4]; var a3 = v[6];
        var b0 = v[1]; var b1 = v[3]; var b2 = v[5]; var b3 = v[7];
        var c0 = v[8]; var c1 = v[10]; var c2 = v[12]; var c3 = v[14];
        var d0 = v[9]; var d1 = v[11]; var d2 = v[13]; var d3 = v[15];
        Transpose4x4(ref a0, ref a1, ref a2, ref a3);
        Transpose4x4(ref b0, ref b1, ref b2, ref b3);
        Transpose4x4(ref c0, ref c1, ref c2, ref c3);
        Transpose4x4(ref d0, ref d1, ref d2, ref d3);
        v[0] = a0; v[2] = a1; v[4] = a2; v[6] = a3;
        v[1] = c0; v[3] = c1; v[5] = c2; v[7] = c3;
        v[8] = b0; v[10] = b1; v[12] = b2; v[14] = b3;
        v[9] = d0; v[11] = d1; v[13] = d2; v[15] = d3;
        Aan(ref v[0], ref v[2], ref v[4], ref v[6], ref v[8], ref v[10], ref v[12], ref v[14]);
        Aan(ref v[1], ref v[3], ref v[5], ref v[7], ref v[9], ref v[11], ref v[13], ref v[15]);
    }

    /// <summary>
    /// Rows r0..r3 become columns: interleave pairs of rows, then pair 64-bit halves. The portable API has no
    /// two-vector shuffle, so x64 and arm64 use their own (one instruction each); elsewhere 64-bit halves are paired
    /// first and 32-bit lanes exchanged by a masked xor swap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose4x4(ref Vector128<float> r0, ref Vector128<float> r1, ref Vector128<float> r2, ref Vector128<float> r3)
    {
        if (Sse.IsSupported)
        {
            var t0 = Sse.UnpackLow(r0, r1);  // a0 b0 a1 b1
            var t1 = Sse.UnpackLow(r2, r3);  // c0 d0 c1 d1
            var t2 = Sse.UnpackHigh(r0, r1); // a2 b2 a3 b3
            var t3 = Sse.UnpackHigh(r2, r3); // c2 d2 c3 d3
            r0 = Sse.MoveLowToHigh(t0, t1);
            r1 = Sse.MoveHighToLow(t1, t0);
            r2 = Sse.MoveLowToHigh(t2, t3);
            r3 = Sse.MoveHighToLow(t3, t2);
            return;
        }
        if (AdvSimd.Arm64.IsSupported)
        {
            var t0 = AdvSimd.Arm64.ZipLow(r0, r1).AsUInt64();
            var t1 = AdvSimd.Arm64.ZipLow(r2, r3).AsUInt64();
            var t2 = AdvSimd.Arm64.ZipHigh(r0, r1).AsUInt64();
            var t3 = AdvSimd.Arm64.ZipHigh(r2, r3).AsUInt64();
            r0 = AdvSimd.Arm64.ZipLow(t0, t1).AsSingle();
            r1 = AdvSimd.Arm64.ZipHigh(t0, t1).AsSingle();
            r2 = AdvSimd.Arm64.ZipLow(t2, t3).AsSingle();
            r3 = AdvSimd.Arm64.ZipHigh(t2, t3).AsSingle();
            return;
        }
        Transpose4x4Portable(ref r0, ref r1, ref r2, ref r3);
    }

    internal static void Transpose4x4Portable(ref Vector128<float> r0, ref Vector128<float> r1, ref Vector128<float> r2, ref Vector128<float> r3)
    {
        var s0 = Vector128.Create(r0.GetLower(), r2.GetLower()).AsUInt64(); // a0 a1 c0 c1
        var s1 = Vector128.Create(r1.GetLower(), r3.GetLower()).AsUInt64(); // b0 b1 d0 d1
        var s2 = Vector128.Create(r0.GetUpper(), r2.GetUpper()).AsUInt64(); // a2 a3 c2 c3
        var s3 = Vector128.Create(r1.GetUpper(), r3.GetUpper()).AsUInt64(); // b2 b3 d2 d3
        var low = Vector128.Create(0xFFFFFFFFUL);
        var t = (Vector128.ShiftRightLogical(s0, 32) ^ s1) & low;
        s1 ^= t;
        s0 ^= Vector128.ShiftLeft(t, 32);
        t = (Vector128.ShiftRightLogical(s2, 32) ^ s3) & low;
        s3 ^= t;
        s2 ^= Vector128.ShiftLeft(t, 32);
        r0 = s0.AsSingle();
        r1 = s1.AsSingle();
        r2 = s2.AsSingle();
        r3 = s3.AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Aan(ref float d0, ref float d1, ref float d2, ref float d3, ref float d4, ref float d5, ref float d6, ref float d7)
    {
        float tmp0 = d0 + d7, tmp7 = d0 - d7, tmp1 = d1 + d6, tmp6 = d1 - d6;
        float tmp2 = d2 + d5, tmp5 = d2 - d5, tmp3 = d3 + d4, tmp4 = d3 - d4;

        float tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
        d0 = tmp10 + tmp11;
        d4 = tmp10 - tmp11;
        float z1 = (tmp12 + tmp13) * C4;
        d2 = tmp13 + z1;
        d6 = tmp13 - z1;

        tmp10 = tmp4 + tmp5;
        tmp11 = tmp5 + tmp6;
        tmp12 = tmp6 + tmp7;
        float z5 = (tmp10 - tmp12) * C6;
        float z2 = tmp10 * C2mC6 + z5;
        float z4 = tmp12 * C2pC6 + z5;
        float z3 = tmp11 * C4;
        float z11 = tmp7 + z3, z13 = tmp7 - z3;
        d5 = z13 + z2;
        d3 = z13 - z2;
        d1 = z11 + z4;
        d7 = z11 - z4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Aan(ref Vector128<float> d0, ref Vector128<float> d1, ref Vector128<float> d2, ref Vector128<float> d3,
        ref Vector128<float> d4, ref Vector128<float> d5, ref Vector128<float> d6, ref Vector128<float> d7)
    {
        var tmp0 = d0 + d7; var tmp7 = d0 - d7; var tmp1 = d1 + d6; var tmp6 = d1 - d6;
        var tmp2 = d2 + d5; var tmp5 = d2 - d5; var tmp3 = d3 + d4; var tmp4 = d3 - d4;

        var tmp10 = tmp0 + tmp3; var tmp13 = tmp0 - tmp3; var tmp11 = tmp1 + tmp2; var tmp12 = tmp1 - tmp2;
        d0 = tmp10 + tmp11;
        d4 = tmp10 - tmp11;
        var z1 = (tmp12 + tmp13) * C4;
        d2 = tmp13 + z1;
        d6 = tmp13 - z1;

        tmp10 = tmp4 + tmp5;
        tmp11 = tmp5 + tmp6;
        tmp12 = tmp6 + tmp7;
        var z5 = (tmp10 - tmp12) * C6;
        var z2 = tmp10 * C2mC6 + z5;
        var z4 = tmp12 * C2pC6 + z5;
        var z3 = tmp11 * C4;
        var z11 = tmp7 + z3; var z13 = tmp7 - z3;
        d5 = z13 + z2;
        d3 = z13 - z2;
        d1 = z11 + z4;
        d7 = z11 - z4;
    }
}
