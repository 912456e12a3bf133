using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fmp4Streamer.Jpeg;

/// <summary>
/// Codes one block's quantised coefficients (T.81 F.1.2): the DC as a difference from the previous block's of the same
/// component, then runs of zeros and values in zig-zag order. The nonzero coefficients are found from a 64-bit mask
/// (one bit per zig-zag position, built with vector compares), so a block costs its nonzero values, not its 63 slots.
/// </summary>
public sealed class HuffmanBlockEncoder
{
    // Natural position of each zig-zag position in the transform's column-major layout [u * 8 + v].
    private static readonly byte[] s_zigZagToColumnMajor = BuildZigZagToColumnMajor();
    private readonly short[] _zigZag = new short[64];

    /// <param name="coefficients">Quantised, in the transform's column-major layout.</param>
    public void Encode(ReadOnlySpan<short> coefficients, HuffmanCode dc, HuffmanCode ac, ref int previousDc, ref JpegBitWriter bits)
    {
        if (coefficients.Length < 64) throw new ArgumentException("an 8x8 block has 64 coefficients", nameof(coefficients));
        var zigZag = _zigZag;
        ref short source = ref MemoryMarshal.GetReference(coefficients);
        ref byte order = ref MemoryMarshal.GetArrayDataReference(s_zigZagToColumnMajor);
        for (int n = 0; n < 64; n++) zigZag[n] = Unsafe.Add(ref source, Unsafe.Add(ref order, n));

        int difference = zigZag[0] - previousDc;
        previousDc = zigZag[0];
        int category = Category(difference);
        bits.Write(((uint)dc.Code(category) << category) | MagnitudeBits(difference, category), dc.Length(category) + category);

        ulong remaining = NonzeroMask(zigZag) & ~1UL;
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
            int value = zigZag[n];
            int size = Category(value);
            int symbol = (zeros << 4) | size;
            bits.Write(((uint)ac.Code(symbol) << size) | MagnitudeBits(value, size), ac.Length(symbol) + size);
        }
        if (last != 63) bits.Write(ac.Code(0x00), ac.Length(0x00)); // end of block
    }

    /// <summary>Bit n set when zig-zag coefficient n is not zero.</summary>
    private static ulong NonzeroMask(short[] zigZag)
    {
        if (!Vector128.IsHardwareAccelerated)
        {
            ulong mask = 0;
            for (int n = 0; n < 64; n++) mask |= (zigZag[n] != 0 ? 1UL : 0UL) << n;
            return mask;
        }
        ref short at = ref MemoryMarshal.GetArrayDataReference(zigZag);
        ulong zeros = 0;
        for (int i = 0; i < 4; i++)
        {
            var low = Vector128.Equals(Vector128.LoadUnsafe(ref at, (nuint)(16 * i)), Vector128<short>.Zero);
            var high = Vector128.Equals(Vector128.LoadUnsafe(ref at, (nuint)(16 * i + 8)), Vector128<short>.Zero);
            zeros |= (ulong)Vector128.Narrow(low, high).ExtractMostSignificantBits() << (16 * i);
        }
        return ~zeros;
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
}
