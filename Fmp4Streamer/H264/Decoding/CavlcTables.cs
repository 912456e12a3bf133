namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The CAVLC code tables of H.264 9.2 as (length, code) pairs: coeff_token (Table 9-5) for the four nC ranges and
/// chroma DC, total_zeros (Tables 9-7, 9-8, 9-9a) and run_before (Table 9-10); built into lookup tables once.
/// </summary>
public static class CavlcTables
{
    /// <summary>coeff_token for 0&lt;=nC&lt;2, 2&lt;=nC&lt;4, 4&lt;=nC&lt;8, 8&lt;=nC; value TotalCoeff &lt;&lt; 2 | TrailingOnes.</summary>
    public static readonly VlcTable[] CoeffToken = new VlcTable[4];

    /// <summary>coeff_token for chroma DC of 4:2:0 (nC == -1).</summary>
    public static readonly VlcTable ChromaDcCoeffToken;

    /// <summary>total_zeros of 4x4 blocks, by TotalCoeff - 1 (1..15).</summary>
    public static readonly VlcTable[] TotalZeros = new VlcTable[15];

    /// <summary>total_zeros of 4:2:0 chroma DC, by TotalCoeff - 1 (1..3).</summary>
    public static readonly VlcTable[] ChromaDcTotalZeros = new VlcTable[3];

    /// <summary>run_before by min(zerosLeft, 7) - 1.</summary>
    public static readonly VlcTable[] RunBefore = new VlcTable[7];

    // Table 9-5, indexed TotalCoeff * 4 + TrailingOnes; length 0 marks a combination that does not exist.
    private static ReadOnlySpan<byte> CoeffTokenLengths =>
    [
        // 0 <= nC < 2
        1, 0, 0, 0, 6, 2, 0, 0, 8, 6, 3, 0, 9, 8, 7, 5, 10, 9, 8, 6, 11, 10, 9, 7, 13, 11, 10, 8, 13, 13, 11, 9,
        13, 13, 13, 10, 14, 14, 13, 11, 14, 14, 14, 13, 15, 15, 14, 14, 15, 15, 15, 14, 16, 15, 15, 15,
        16, 16, 16, 15, 16, 16, 16, 16, 16, 16, 16, 16,
        // 2 <= nC < 4
        2, 0, 0, 0, 6, 2, 0, 0, 6, 5, 3, 0, 7, 6, 6, 4, 8, 6, 6, 4, 8, 7, 7, 5, 9, 8, 8, 6, 11, 9, 9, 6,
        11, 11, 11, 7, 12, 11, 11, 9, 12, 12, 12, 11, 12, 12, 12, 11, 13, 13, 13, 12, 13, 13, 13, 13,
        13, 14, 13, 13, 14, 14, 14, 13, 14, 14, 14, 14,
        // 4 <= nC < 8
        4, 0, 0, 0, 6, 4, 0, 0, 6, 5, 4, 0, 6, 5, 5, 4, 7, 5, 5, 4, 7, 5, 5, 4, 7, 6, 6, 4, 7, 6, 6, 4,
        8, 7, 7, 5, 8, 8, 7, 6, 9, 8, 8, 7, 9, 9, 8, 8, 9, 9, 9, 8, 10, 9, 9, 9,
        10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
        // 8 <= nC: a 6-bit fixed-length code
        6, 0, 0, 0, 6, 6, 0, 0, 6, 6, 6, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
        6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
        6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    ];

    private static ReadOnlySpan<byte> CoeffTokenCodes =>
    [
        1, 0, 0, 0, 5, 1, 0, 0, 7, 4, 1, 0, 7, 6, 5, 3, 7, 6, 5, 3, 7, 6, 5, 4, 15, 6, 5, 4, 11, 14, 5, 4,
        8, 10, 13, 4, 15, 14, 9, 4, 11, 10, 13, 12, 15, 14, 9, 12, 11, 10, 13, 8, 15, 1, 9, 12,
        11, 14, 13, 8, 7, 10, 9, 12, 4, 6, 5, 8,

        3, 0, 0, 0, 11, 2, 0, 0, 7, 7, 3, 0, 7, 10, 9, 5, 7, 6, 5, 4, 4, 6, 5, 6, 7, 6, 5, 8, 15, 6, 5, 4,
        11, 14, 13, 4, 15, 10, 9, 4, 11, 14, 13, 12, 8, 10, 9, 8, 15, 14, 13, 12, 11, 10, 9, 12,
        7, 11, 6, 8, 9, 8, 10, 1, 7, 6, 5, 4,

        15, 0, 0, 0, 15, 14, 0, 0, 11, 15, 13, 0, 8, 12, 14, 12, 15, 10, 11, 11, 11, 8, 9, 10, 9, 14, 13, 9,
        8, 10, 9, 8, 15, 14, 13, 13, 11, 14, 10, 12, 15, 10, 13, 12, 11, 14, 9, 12, 8, 10, 13, 8,
        13, 7, 9, 12, 9, 12, 11, 10, 5, 8, 7, 6, 1, 4, 3, 2,

        3, 0, 0, 0, 0, 1, 0, 0, 4, 5, 6, 0, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
        24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
        48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
    ];

    // Table 9-5, nC == -1, indexed TotalCoeff * 4 + TrailingOnes.
    private static ReadOnlySpan<byte> ChromaDcLengths => [2, 0, 0, 0, 6, 1, 0, 0, 6, 6, 3, 0, 6, 7, 7, 6, 6, 8, 8, 7];
    private static ReadOnlySpan<byte> ChromaDcCodes => [1, 0, 0, 0, 7, 1, 0, 0, 4, 6, 1, 0, 3, 3, 2, 5, 2, 3, 2, 0];

    // Tables 9-7 and 9-8: row TotalCoeff - 1, column total_zeros (16 - TotalCoeff + 1 entries used).
    private static ReadOnlySpan<byte> TotalZerosLengths =>
    [
        1, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 9,
        3, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 6, 6, 6, 6, 0,
        4, 3, 3, 3, 4, 4, 3, 3, 4, 5, 5, 6, 5, 6, 0, 0,
        5, 3, 4, 4, 3, 3, 3, 4, 3, 4, 5, 5, 5, 0, 0, 0,
        4, 4, 4, 3, 3, 3, 3, 3, 4, 5, 4, 5, 0, 0, 0, 0,
        6, 5, 3, 3, 3, 3, 3, 3, 4, 3, 6, 0, 0, 0, 0, 0,
        6, 5, 3, 3, 3, 2, 3, 4, 3, 6, 0, 0, 0, 0, 0, 0,
        6, 4, 5, 3, 2, 2, 3, 3, 6, 0, 0, 0, 0, 0, 0, 0,
        6, 6, 4, 2, 2, 3, 2, 5, 0, 0, 0, 0, 0, 0, 0, 0,
        5, 5, 3, 2, 2, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        4, 4, 3, 3, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        4, 4, 2, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        3, 3, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    private static ReadOnlySpan<byte> TotalZerosCodes =>
    [
        1, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 1,
        7, 6, 5, 4, 3, 5, 4, 3, 2, 3, 2, 3, 2, 1, 0, 0,
        5, 7, 6, 5, 4, 3, 4, 3, 2, 3, 2, 1, 1, 0, 0, 0,
        3, 7, 5, 4, 6, 5, 4, 3, 3, 2, 2, 1, 0, 0, 0, 0,
        5, 4, 3, 7, 6, 5, 4, 3, 2, 1, 1, 0, 0, 0, 0, 0,
        1, 1, 7, 6, 5, 4, 3, 2, 1, 1, 0, 0, 0, 0, 0, 0,
        1, 1, 5, 4, 3, 3, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0,
        1, 1, 1, 3, 3, 2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 0, 1, 3, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 0, 1, 3, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 1, 1, 2, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    // Table 9-9a: row TotalCoeff - 1, column total_zeros.
    private static ReadOnlySpan<byte> ChromaDcTotalZerosLengths => [1, 2, 3, 3, 1, 2, 2, 0, 1, 1, 0, 0];
    private static ReadOnlySpan<byte> ChromaDcTotalZerosCodes => [1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0];

    // Table 9-10: row min(zerosLeft, 7) - 1, column run_before.
    private static ReadOnlySpan<byte> RunBeforeLengths =>
    [
        1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        2, 2, 2, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        2, 2, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        2, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0,
        3, 3, 3, 3, 3, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ];

    private static ReadOnlySpan<byte> RunBeforeCodes =>
    [
        1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        3, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        3, 2, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        3, 0, 1, 3, 2, 5, 4, 0, 0, 0, 0, 0, 0, 0, 0,
        7, 6, 5, 4, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ];

    static CavlcTables()
    {
        Span<ushort> codes = stackalloc ushort[68];
        Span<short> values = stackalloc short[68];
        for (int i = 0; i < 68; i++) values[i] = (short)i; // TotalCoeff * 4 + TrailingOnes is the value itself
        for (int t = 0; t < 4; t++)
        {
            Widen(CoeffTokenCodes.Slice(t * 68, 68), codes);
            CoeffToken[t] = new VlcTable(8, CoeffTokenLengths.Slice(t * 68, 68), codes, values);
        }
        Widen(ChromaDcCodes, codes.Slice(0, 20));
        ChromaDcCoeffToken = new VlcTable(8, ChromaDcLengths, codes.Slice(0, 20), values.Slice(0, 20));

        for (int i = 0; i < 15; i++)
        {
            Widen(TotalZerosCodes.Slice(i * 16, 16), codes.Slice(0, 16));
            TotalZeros[i] = new VlcTable(9, TotalZerosLengths.Slice(i * 16, 16), codes.Slice(0, 16), values.Slice(0, 16));
        }
        for (int i = 0; i < 3; i++)
        {
            Widen(ChromaDcTotalZerosCodes.Slice(i * 4, 4), codes.Slice(0, 4));
            ChromaDcTotalZeros[i] = new VlcTable(3, ChromaDcTotalZerosLengths.Slice(i * 4, 4), codes.Slice(0, 4), values.Slice(0, 4));
        }
        for (int i = 0; i < 7; i++)
        {
            Widen(RunBeforeCodes.Slice(i * 15, 15), codes.Slice(0, 15));
            RunBefore[i] = new VlcTable(i < 6 ? 3 : 6, RunBeforeLengths.Slice(i * 15, 15), codes.Slice(0, 15), values.Slice(0, 15));
        }
    }

    private static void Widen(ReadOnlySpan<byte> source, Span<ushort> destination)
    {
        for (int i = 0; i < source.Length; i++) destination[i] = source[i];
    }
}
