using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Fmp4Streamer.H264;

/// <summary>
/// The twelve scaling lists of a sequence or a picture (H.264 7.3.2.1.1.1, 7.4.2.1.1): six 4x4 lists (Y, Cb, Cr
/// intra, then Y, Cb, Cr inter) and six 8x8 lists (Y intra, Y inter, Cb intra, Cb inter, Cr intra, Cr inter),
/// each in coded (zig-zag) order, fall-back rules already applied. A value type of fixed size: no allocation.
/// </summary>
public struct ScalingMatrix : IEquatable<ScalingMatrix>
{
    private const int ListCount = 12;
    private const int Size4x4 = 16;
    private const int Size8x8 = 64;
    private const int Offset8x8 = 6 * Size4x4;

    private ScalingValues _values;

    /// <summary>Flat_4x4_16 and Flat_8x8_16: every weight 16, what a stream without scaling matrices uses.</summary>
    public static ScalingMatrix Flat
    {
        get
        {
            var m = default(ScalingMatrix);
            ((Span<byte>)m._values).Fill(16);
            return m;
        }
    }

    /// <summary>4x4 list <paramref name="index"/> (0..5) in zig-zag order.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> List4x4(int index) => ((ReadOnlySpan<byte>)_values).Slice(index * Size4x4, Size4x4);

    /// <summary>8x8 list <paramref name="index"/> (0..5) in zig-zag order.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> List8x8(int index) => ((ReadOnlySpan<byte>)_values).Slice(Offset8x8 + index * Size8x8, Size8x8);

    /// <summary>Table 7-3 Default_4x4_Intra, in zig-zag order.</summary>
    public static ReadOnlySpan<byte> Default4x4Intra => [6, 13, 13, 20, 20, 20, 28, 28, 28, 28, 32, 32, 32, 37, 37, 42];

    /// <summary>Table 7-3 Default_4x4_Inter, in zig-zag order.</summary>
    public static ReadOnlySpan<byte> Default4x4Inter => [10, 14, 14, 20, 20, 20, 24, 24, 24, 24, 27, 27, 27, 30, 30, 34];

    /// <summary>Table 7-4 Default_8x8_Intra, in zig-zag order.</summary>
    public static ReadOnlySpan<byte> Default8x8Intra =>
    [
        6, 10, 10, 13, 11, 13, 16, 16, 16, 16, 18, 18, 18, 18, 18, 23,
        23, 23, 23, 23, 23, 25, 25, 25, 25, 25, 25, 25, 27, 27, 27, 27,
        27, 27, 27, 27, 29, 29, 29, 29, 29, 29, 29, 31, 31, 31, 31, 31,
        31, 33, 33, 33, 33, 33, 36, 36, 36, 36, 38, 38, 38, 40, 40, 42,
    ];

    /// <summary>Table 7-4 Default_8x8_Inter, in zig-zag order.</summary>
    public static ReadOnlySpan<byte> Default8x8Inter =>
    [
        9, 13, 13, 15, 13, 15, 17, 17, 17, 17, 19, 19, 19, 19, 19, 21,
        21, 21, 21, 21, 21, 22, 22, 22, 22, 22, 22, 22, 24, 24, 24, 24,
        24, 24, 24, 24, 25, 25, 25, 25, 25, 25, 25, 27, 27, 27, 27, 27,
        27, 28, 28, 28, 28, 28, 30, 30, 30, 30, 32, 32, 32, 33, 33, 35,
    ];

    /// <summary>
    /// Reads <paramref name="listCount"/> (6, 8 or 12) scaling_list_present_flag and scaling_list() entries. Lists
    /// coded as "use default" hold the default; absent lists are left empty and flagged absent in
    /// <paramref name="presentMask"/> (bit i for list i): <see cref="WithFallbacks"/> fills them.
    /// </summary>
    internal static bool TryReadCoded(ref BitReader r, int listCount, out ScalingMatrix coded, out int presentMask)
    {
        coded = default;
        presentMask = 0;
        Span<byte> values = coded._values;
        for (int i = 0; i < listCount; i++)
        {
            if (!r.ReadFlag()) continue;
            presentMask |= 1 << i;
            Span<byte> list = Slot(values, i);
            if (!TryReadList(ref r, list, out bool useDefault)) return false;
            if (useDefault) DefaultFor(i).CopyTo(list);
        }
        return !r.Failed;
    }

    /// <summary>
    /// Table 7-2: an absent list 0, 3, 6 or 7 takes the default (fall-back rule A) or the sequence's list (rule B,
    /// for a PPS whose SPS has a matrix); any other absent list copies the previous list of its kind (4x4: i-1,
    /// 8x8: i-2). Lists never coded (8x8 chroma outside 4:4:4) follow the same rule and are never used.
    /// </summary>
    public readonly ScalingMatrix WithFallbacks(int presentMask, bool ruleB, in ScalingMatrix sequence)
    {
        var result = this;
        Span<byte> values = result._values;
        for (int i = 0; i < ListCount; i++)
        {
            if ((presentMask & (1 << i)) != 0) continue;
            Span<byte> list = Slot(values, i);
            if (i is 0 or 3 or 6 or 7)
            {
                if (ruleB) (i < 6 ? sequence.List4x4(i) : sequence.List8x8(i - 6)).CopyTo(list);
                else DefaultFor(i).CopyTo(list);
            }
            else
            {
                Slot(values, i < 6 ? i - 1 : i - 2).CopyTo(list);
            }
        }
        return result;
    }

    private static Span<byte> Slot(Span<byte> values, int list) =>
        list < 6 ? values.Slice(list * Size4x4, Size4x4) : values.Slice(Offset8x8 + (list - 6) * Size8x8, Size8x8);

    private static ReadOnlySpan<byte> DefaultFor(int list) => list switch
    {
        < 3 => Default4x4Intra,
        < 6 => Default4x4Inter,
        _ => (list & 1) == 0 ? Default8x8Intra : Default8x8Inter,
    };

    /// <summary>scaling_list() (7.3.2.1.1.1): delta-coded values; a first next value of 0 means "use the default".</summary>
    private static bool TryReadList(ref BitReader r, scoped Span<byte> list, out bool useDefault)
    {
        useDefault = false;
        int last = 8, next = 8;
        for (int j = 0; j < list.Length; j++)
        {
            if (next != 0)
            {
                int delta = r.ReadSe();
                if (delta < -128 || delta > 127 || r.Failed) return false;
                next = (last + delta + 256) % 256;
                useDefault = j == 0 && next == 0;
            }
            list[j] = (byte)(next == 0 ? last : next);
            last = list[j];
        }
        return true;
    }

    public readonly bool Equals(ScalingMatrix other) =>
        ((ReadOnlySpan<byte>)_values).SequenceEqual((ReadOnlySpan<byte>)other._values);

    public override readonly bool Equals(object? obj) => obj is ScalingMatrix other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_values);
        return hash.ToHashCode();
    }

    [InlineArray(6 * Size4x4 + 6 * Size8x8)]
    private struct ScalingValues
    {
        private byte _first;
    }
}
