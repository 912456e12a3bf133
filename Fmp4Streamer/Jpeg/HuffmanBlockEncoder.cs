using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fmp4Streamer.Jpeg;

/// <summary>
/// Codes one block's quantised coefficients (T.81 F.1.2): the DC as a difference from the previous block's of the same
/// component, then runs of zeros and values in zig-zag order. The nonzero coefficients are found from a 64-bit mask
/// built with vector compares in the transform's layout and carried into zig-zag order a byte at a time through
/// tables, so a block costs its nonzero values, not its 63 slots, and the coefficients are never reordered.
/// </summary>
public static class HuffmanBlockEncoder
{
    // Position in the transform's column-major layout [u * 8 + v] of each zig-zag position.
    private static readonly byte[] s_zigZagToColumnMajor = BuildZigZagToColumnMajor();

    // For each column-major row r (8 positions) and each pattern of its nonzero bits: the same bits at their zig-zag positions.
    private static readonly ulong[] s_rowBitsToZigZag = BuildRowBitsToZigZag();

    /// <param name="coefficients">Quantised, in the transform's column-major layout.</param>
    public static void Encode(ReadOnlySpan<short> coefficients, HuffmanCode dc, HuffmanCode ac, ref int previousDc, ref JpegBitWriter bits)
    {
        if (coefficients.Length < 64) throw new ArgumentException("an 8x8 block has 64 coefficients", nameof(coefficients));
        ref short source = ref MemoryMarshal.GetReference(coefficients);
        ref byte order = ref MemoryMarshal.GetArrayDataReference(s_zigZagToColumnMajor);

        int difference = source - previousDc;
        previousDc = source;
        int category = Category(difference);
        bits.Write(((uint)dc.Code(category) << category) | MagnitudeBits(difference, category), dc.Length(category) + category);

        ulong remaining = ZigZagNonzeroMask(coefficients) & ~1UL;
        int last = 0;
        while (remaining != 0)
        {
            int n = BitOperations.TrailingZeroCount(remaining);
            remaining &= remaining - 1;
            int zeros = n - last - 1;
            last = n;
            while (zeros >= 16)
            {
                bits.Write(ac.Code(0xF0), ac.Length(0xF0)); // sixteen zeros (ZRL)
                zeros -= 16;
            }
            int value = Unsafe.Add(ref source, Unsafe.Add(ref order, n));
            int size = Category(value);
            int symbol = (zeros << 4) | size;
            bits.Write(((uint)ac.Code(symbol) << size) | MagnitudeBits(value, size), ac.Length(symbol) + size);
        }
        if (last != 63) bits.Write(ac.Code(0x00), ac.Length(0x00)); // end of block
    }

    /// <summary>Bit n set when zig-zag coefficient n is not zero.</summary>
    internal static ulong ZigZagNonzeroMask(ReadOnlySpan<short> coefficients)
    {
        ulong columnMajor = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref short at = ref MemoryMarshal.GetReference(coefficients);
            ulong zeros = 0;
            for (int i = 0; i < 4; i++)
            {
                var low = Vector128.Equals(Vector128.LoadUnsafe(ref at, (nuint)(16 * i)), Vector128<short>.Zero);
                var high = Vector128.Equals(Vector128.LoadUnsafe(ref at, (nuint)(16 * i + 8)), Vector128<short>.Zero);
                zeros |= (ulong)Vector128.Narrow(low, high).ExtractMostSignificantBits() << (16 * i);
            }
            columnMajor = ~zeros;
        }
        else
        {
            for (int i = 0; i < 64; i++) columnMajor |= (coefficients[i] != 0 ? 1UL : 0UL) << i;
        }
        ref ulong table = ref MemoryMarshal.GetArrayDataReference(s_rowBitsToZigZag);
        ulong mask = 0;
        for (int row = 0; row < 8; row++) mask |= Unsafe.Add(ref table, row * 256 + (int)((columnMajor >> (8 * row)) & 0xFF));
        return mask;
    }

    /// <summary>The number of bits of |value| (T.81 Table F.1/F.2's SSSS); 0 for 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Category(int value) => 32 - BitOperations.LeadingZeroCount((uint)Math.Abs(value));

    /// <summary>A positive value as is; a negative one as value − 1 in its low bits (T.81 F.1.2.1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint MagnitudeBits(int value, int size) => (uint)(value + (value >> 31)) & ((1u << size) - 1);

    private static byte[] BuildZigZagToColumnMajor()
    {
        var order = new byte[64];
        var zigZag = JpegTables.ZigZag;
        for (int n = 0; n < 64; n++) order[n] = (byte)(zigZag[n] % 8 * 8 + zigZag[n] / 8);
        return order;
    }

    private static ulong[] BuildRowBitsToZigZag()
    {
        var zigZagOf = new int[64];
        for (int n = 0; n < 64; n++) zigZagOf[s_zigZagToColumnMajor[n]] = n;
        var table = new ulong[8 * 256];
        for (int row = 0; row < 8; row++)
            for (int pattern = 0; pattern < 256; pattern++)
                for (int bit = 0; bit < 8; bit++)
                    if ((pattern >> bit & 1) != 0) table[row * 256 + pattern] |= 1UL << zigZagOf[row * 8 + bit];
        return table;
    }
}
