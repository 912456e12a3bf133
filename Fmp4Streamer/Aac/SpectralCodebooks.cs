namespace Fmp4Streamer.Aac;

/// <summary>
/// Costs and codes of the spectral Huffman codebooks (ISO/IEC 14496-3, 4.6.3): 1-4 code four values at a time,
/// 5-11 two; 1, 2, 5, 6 are signed, the others code magnitudes followed by one sign bit per non-zero value;
/// codebook 11 codes 16 as an escape followed by an escape sequence for the magnitude.
/// </summary>
internal static class SpectralCodebooks
{
    public const int Count = 12; // 0 is ZERO_HCB: a band of zeros, nothing sent
    public const int Escape = 11;
    public const int Infeasible = 1 << 24;

    private static ReadOnlySpan<byte> LargestValue => [0, 1, 1, 2, 2, 4, 4, 7, 7, 12, 12, 16];

    /// <summary>Per codebook and tuple index: code length plus sign bits (escape sequences not included).</summary>
    private static readonly byte[][] s_costs = BuildCosts();

    private static byte[][] BuildCosts()
    {
        var costs = new byte[Count][];
        costs[0] = [];
        for (int cb = 1; cb < Count; cb++)
        {
            ReadOnlySpan<byte> lengths = HuffmanTables.SpectralLengths(cb);
            costs[cb] = new byte[lengths.Length];
            for (int index = 0; index < lengths.Length; index++)
            {
                int signs = 0;
                if (!IsSigned(cb))
                {
                    int modulo = Modulo(cb), remaining = index;
                    for (int j = 0; j < Dimension(cb); j++, remaining /= modulo)
                        if (remaining % modulo != 0) signs++;
                }
                costs[cb][index] = (byte)(lengths[index] + signs);
            }
        }
        return costs;
    }

    public static bool IsSigned(int cb) => cb is 1 or 2 or 5 or 6;
    public static int Dimension(int cb) => cb < 5 ? 4 : 2;
    private static int Modulo(int cb) => cb switch { 1 or 2 or 3 or 4 => 3, 5 or 6 => 9, 7 or 8 => 8, 9 or 10 => 13, _ => 17 };

    /// <summary>Fills <paramref name="costs"/> (12 values) with the bits each codebook needs for the band.</summary>
    public static void BandCosts(ReadOnlySpan<int> q, int largest, Span<int> costs)
    {
        if (largest == 0)
        {
            costs[0] = 0;
            for (int cb = 1; cb < Count; cb++) costs[cb] = q.Length / Dimension(cb) * s_costs[cb][Index(cb, 0, 0, 0, 0)];
            return;
        }
        costs[0] = Infeasible;
        // Only the two smallest codebook pairs that hold the band are tried: a larger one never wins by more than
        // a few bits, and costing all eleven doubles the rate loop's time.
        int tried = 0;
        for (int cb = 1; cb < Count; cb++)
        {
            bool fits = largest <= LargestValue[cb] || cb == Escape;
            costs[cb] = fits && tried < 4 ? Cost(q, cb) : Infeasible;
            if (fits) tried++;
        }
    }

    private static int Index(int cb, int a, int b, int c, int d) => cb switch
    {
        1 or 2 => 27 * (a + 1) + 9 * (b + 1) + 3 * (c + 1) + d + 1,
        3 or 4 => 27 * Math.Abs(a) + 9 * Math.Abs(b) + 3 * Math.Abs(c) + Math.Abs(d),
        5 or 6 => 9 * (a + 4) + b + 4,
        7 or 8 => 8 * Math.Abs(a) + Math.Abs(b),
        9 or 10 => 13 * Math.Abs(a) + Math.Abs(b),
        _ => 17 * Math.Min(Math.Abs(a), 16) + Math.Min(Math.Abs(b), 16),
    };

    private static int Cost(ReadOnlySpan<int> q, int cb)
    {
        byte[] table = s_costs[cb];
        int bits = 0;
        switch (cb)
        {
            case 1 or 2:
                for (int i = 0; i < q.Length; i += 4) bits += table[27 * (q[i] + 1) + 9 * (q[i + 1] + 1) + 3 * (q[i + 2] + 1) + q[i + 3] + 1];
                break;
            case 3 or 4:
                for (int i = 0; i < q.Length; i += 4)
                    bits += table[27 * Math.Abs(q[i]) + 9 * Math.Abs(q[i + 1]) + 3 * Math.Abs(q[i + 2]) + Math.Abs(q[i + 3])];
                break;
            case 5 or 6:
                for (int i = 0; i < q.Length; i += 2) bits += table[9 * (q[i] + 4) + q[i + 1] + 4];
                break;
            case 7 or 8:
                for (int i = 0; i < q.Length; i += 2) bits += table[8 * Math.Abs(q[i]) + Math.Abs(q[i + 1])];
                break;
            case 9 or 10:
                for (int i = 0; i < q.Length; i += 2) bits += table[13 * Math.Abs(q[i]) + Math.Abs(q[i + 1])];
                break;
            default:
                for (int i = 0; i < q.Length; i += 2)
                {
                    int a = Math.Abs(q[i]), b = Math.Abs(q[i + 1]);
                    bits += table[17 * Math.Min(a, 16) + Math.Min(b, 16)] + EscapeBits(a) + EscapeBits(b);
                }
                break;
        }
        return bits;
    }

    // An escape sequence for 2^N <= v < 2^(N+1): N - 4 ones, a zero, then v - 2^N in N bits.
    private static int EscapeBits(int v) => v < 16 ? 0 : 2 * System.Numerics.BitOperations.Log2((uint)v) - 3;

    /// <summary>Writes a band's values with codebook <paramref name="cb"/> (not 0).</summary>
    public static void Write(ref BitWriter writer, ReadOnlySpan<int> q, int cb)
    {
        ReadOnlySpan<byte> lengths = HuffmanTables.SpectralLengths(cb);
        ReadOnlySpan<ushort> codes = HuffmanTables.SpectralCodes(cb);
        int dimension = Dimension(cb);
        bool signed = IsSigned(cb);
        for (int i = 0; i < q.Length; i += dimension)
        {
            int index = dimension == 4 ? Index(cb, q[i], q[i + 1], q[i + 2], q[i + 3]) : Index(cb, q[i], q[i + 1], 0, 0);
            writer.Write(codes[index], lengths[index]);
            if (signed) continue;
            for (int j = 0; j < dimension; j++)
                if (q[i + j] != 0) writer.Write(q[i + j] < 0 ? 1u : 0u, 1);
            if (cb != Escape) continue;
            for (int j = 0; j < 2; j++)
            {
                int v = Math.Abs(q[i + j]);
                if (v < 16) continue;
                int n = System.Numerics.BitOperations.Log2((uint)v);
                writer.Write((1u << (n - 4 + 1)) - 2, n - 4 + 1); // N - 4 ones and a zero
                writer.Write((uint)(v - (1 << n)), n);
            }
        }
    }
}
