using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fmp4Streamer.Jpeg;

/// <summary>
/// Divides the transform's outputs by their steps and rounds to the nearest integer (ties to even, the same on both
/// paths), keeping them within what baseline Huffman coding carries: AC magnitudes of at most 10 bits, and a DC
/// whose difference from the previous one fits 11 bits. Layouts stay the transform's [u * 8 + v].
/// Rounding adds and subtracts 1.5 · 2^23, which leaves a float integral under the default rounding (ties to even):
/// plain arithmetic on every CPU, where a rounding instruction may need an extension the build does not assume.
/// </summary>
public static class Quantizer
{
    private const float RoundingMagic = 12582912f;

    public static void Quantize(ReadOnlySpan<float> transformed, ReadOnlySpan<float> reciprocals, Span<short> coefficients, bool vectorised)
    {
        if (transformed.Length < 64 || reciprocals.Length < 64 || coefficients.Length < 64)
            throw new ArgumentException("an 8x8 block has 64 coefficients");
        if (vectorised && Vector128.IsHardwareAccelerated) QuantizeVector(transformed, reciprocals, coefficients);
        else QuantizeScalar(transformed, reciprocals, coefficients);
    }

    private static void QuantizeScalar(ReadOnlySpan<float> transformed, ReadOnlySpan<float> reciprocals, Span<short> coefficients)
    {
        for (int i = 0; i < 64; i++)
        {
            float value = Math.Clamp(transformed[i] * reciprocals[i], i == 0 ? -1024f : -1023f, 1023f);
            coefficients[i] = (short)(int)(value + RoundingMagic - RoundingMagic);
        }
    }

    private static void QuantizeVector(ReadOnlySpan<float> transformed, ReadOnlySpan<float> reciprocals, Span<short> coefficients)
    {
        var t = MemoryMarshal.Cast<float, Vector128<float>>(transformed[..64]);
        var r = MemoryMarshal.Cast<float, Vector128<float>>(reciprocals[..64]);
        var c = MemoryMarshal.Cast<short, Vector128<short>>(coefficients[..64]);
        var min = Vector128.Create(-1023f);
        var max = Vector128.Create(1023f);
        var magic = Vector128.Create(RoundingMagic);
        // The DC is lane 0 of the first vector. No NaN reaches here, so the native min and max match Math.Clamp.
        var firstMin = Vector128.Create(-1024f, -1023f, -1023f, -1023f);
        for (int i = 0; i < 8; i++)
        {
            var left = Vector128.MinNative(Vector128.MaxNative(t[2 * i] * r[2 * i], i == 0 ? firstMin : min), max);
            var right = Vector128.MinNative(Vector128.MaxNative(t[2 * i + 1] * r[2 * i + 1], min), max);
            c[i] = Vector128.Narrow(Vector128.ConvertToInt32Native(left + magic - magic), Vector128.ConvertToInt32Native(right + magic - magic));
        }
    }
}
