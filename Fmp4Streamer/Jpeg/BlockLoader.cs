using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fmp4Streamer.Jpeg;

/// <summary>
/// Reads the 8x8 samples at (x, y) of one plane into a block of level-shifted floats (row-major), through a
/// <see cref="SampleRange"/>. Past the right or bottom edge the last column or row is repeated (T.81 A.2.4 leaves the
/// padding to the encoder; repeating avoids ringing at the edge). Whole blocks of planar, semi-planar (step 2) and
/// packed (step 2 or 4) planes are read eight samples per row with one vector load and a byte shuffle.
/// </summary>
public static class BlockLoader
{
    public static void Load(ReadOnlySpan<byte> plane, int stride, int step, int width, int height, int x, int y,
        SampleRange range, Span<float> block, bool vectorised)
    {
        if (block.Length < 64) throw new ArgumentException("an 8x8 block has 64 samples", nameof(block));
        bool inside = x + 8 <= width && y + 8 <= height;
        // The vector read of the last row spans 8, 16 or 32 bytes from the first sample: it must stay inside the plane.
        int lastRead = (y + 7) * stride + x * step + (step == 1 ? 8 : step == 2 ? 16 : 32);
        if (vectorised && inside && step is 1 or 2 or 4 && lastRead <= plane.Length)
            LoadVector(plane, stride, step, x, y, range, block);
        else
            LoadScalar(plane, stride, step, width, height, x, y, range, block);
    }

    private static void LoadScalar(ReadOnlySpan<byte> plane, int stride, int step, int width, int height, int x, int y,
        SampleRange range, Span<float> block)
    {
        var table = range.Table;
        for (int row = 0; row < 8; row++)
        {
            int rowStart = Math.Min(y + row, height - 1) * stride;
            for (int col = 0; col < 8; col++)
            {
                int sx = Math.Min(x + col, width - 1);
                block[row * 8 + col] = table[plane[rowStart + sx * step]];
            }
        }
    }

    private static void LoadVector(ReadOnlySpan<byte> plane, int stride, int step, int x, int y, SampleRange range, Span<float> block)
    {
        ref byte at = ref Unsafe.Add(ref MemoryMarshal.GetReference(plane), y * stride + x * step);
        ref float dest = ref MemoryMarshal.GetReference(block);
        var offset = Vector128.Create(range.Offset);
        var scale = Vector128.Create(range.Scale);
        var bias = Vector128.Create(range.Bias);
        var low = Vector128.Create(-128f);
        var high = Vector128.Create(127f);
        for (int row = 0; row < 8; row++)
        {
            // Even bytes as 16-bit lanes (step 2) or every fourth byte as 32-bit lanes (step 4): masks, not shuffles.
            Vector128<int> left, right;
            if (step == 1)
            {
                Vector128<ushort> wide = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref at)).AsByte());
                left = Vector128.WidenLower(wide).AsInt32();
                right = Vector128.WidenUpper(wide).AsInt32();
            }
            else if (step == 2)
            {
                Vector128<ushort> wide = Vector128.LoadUnsafe(ref at).AsUInt16() & Vector128.Create((ushort)0xFF);
                left = Vector128.WidenLower(wide).AsInt32();
                right = Vector128.WidenUpper(wide).AsInt32();
            }
            else
            {
                left = Vector128.LoadUnsafe(ref at).AsInt32() & Vector128.Create(0xFF);
                right = Vector128.LoadUnsafe(ref at, 16).AsInt32() & Vector128.Create(0xFF);
            }
            var leftSamples = (Vector128.ConvertToSingle(left) - offset) * scale + bias;
            var rightSamples = (Vector128.ConvertToSingle(right) - offset) * scale + bias;
            // No NaN reaches here, so the native min and max match Math.Clamp.
            Vector128.MinNative(Vector128.MaxNative(leftSamples, low), high).StoreUnsafe(ref dest, (nuint)(row * 8));
            Vector128.MinNative(Vector128.MaxNative(rightSamples, low), high).StoreUnsafe(ref dest, (nuint)(row * 8 + 4));
            at = ref Unsafe.Add(ref at, stride);
        }
    }
}
