namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The inter macroblock and sub-macroblock types of B slices (H.264 Tables 7-14 and 7-18): partition shape and, per
/// partition, which lists predict it. A prediction use is a bit mask: 1 list 0, 2 list 1, 3 both (bi-prediction).
/// </summary>
public static class BMacroblockTypes
{
    public const int Direct16x16 = 0;
    public const int B8x8 = 22;

    /// <summary>mb_type values from here on are intra, numbered as in an I slice after subtracting this.</summary>
    public const int IntraOffset = 23;

    public const int SubDirect8x8 = 0;
    public const int SubTypeCount = 13;

    public const int UseL0 = 1;
    public const int UseL1 = 2;

    // mb_type 4..21 in pairs (16x8, then 8x16) for these partition uses: L0_L0, L1_L1, L0_L1, L1_L0, L0_Bi, L1_Bi,
    // Bi_L0, Bi_L1, Bi_Bi.
    private static ReadOnlySpan<byte> FirstUse => [1, 2, 1, 2, 1, 2, 3, 3, 3];
    private static ReadOnlySpan<byte> SecondUse => [1, 2, 2, 1, 3, 3, 1, 2, 3];

    /// <summary>Partition shape as <see cref="MacroblockData.PartShape"/> uses it: 0 one 16x16, 1 two 16x8, 2 two 8x16.</summary>
    public static int Shape(int mbType) => mbType is >= 4 and <= 21 ? ((mbType & 1) == 0 ? 1 : 2) : 0;

    /// <summary>Number of partitions of mb_type 1..21.</summary>
    public static int PartitionCount(int mbType) => mbType <= 3 ? 1 : 2;

    /// <summary>Lists used by partition <paramref name="part"/> (0 or 1) of mb_type 1..21.</summary>
    public static int Use(int mbType, int part)
    {
        if (mbType <= 3) return mbType;
        int pair = (mbType - 4) >> 1;
        return part == 0 ? FirstUse[pair] : SecondUse[pair];
    }

    // sub_mb_type 1..12: B_L0_8x8, B_L1_8x8, B_Bi_8x8, B_L0_8x4, B_L0_4x8, B_L1_8x4, B_L1_4x8, B_Bi_8x4, B_Bi_4x8,
    // B_L0_4x4, B_L1_4x4, B_Bi_4x4 (sub_mb_type 0 is B_Direct_8x8).
    private static ReadOnlySpan<byte> SubUseTable => [0, 1, 2, 3, 1, 1, 2, 2, 3, 3, 1, 2, 3];
    private static ReadOnlySpan<byte> SubWidthTable => [1, 2, 2, 2, 2, 1, 2, 1, 2, 1, 1, 1, 1];
    private static ReadOnlySpan<byte> SubHeightTable => [1, 2, 2, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1];

    /// <summary>Lists used by sub_mb_type 1..12; 0 for direct.</summary>
    public static int SubUse(int subType) => SubUseTable[subType];

    /// <summary>Sub-partition width and height in 4x4 blocks (direct 8x8 is predicted per 4x4 block).</summary>
    public static int SubWidth(int subType) => SubWidthTable[subType];
    public static int SubHeight(int subType) => SubHeightTable[subType];

    /// <summary>
    /// False when a B_8x8 quarter of this sub_mb_type keeps transform_size_8x8_flag out (7.3.5): split below 8x8, or
    /// direct without direct_8x8_inference_flag.
    /// </summary>
    public static bool SubAllowsTransform8x8(int subType, bool direct8x8Inference) =>
        subType == SubDirect8x8 ? direct8x8Inference : SubWidthTable[subType] == 2 && SubHeightTable[subType] == 2;
}
