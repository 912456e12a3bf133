namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// residual_block_cabac() (H.264 7.3.5.3.3, 9.3.2.3, 9.3.3.1.3): coded_block_flag, the significance map and the
/// levels of one block, as non-zero levels with their scan positions. Returns the number of non-zero coefficients.
/// </summary>
public static class CabacResidualReader
{
    public const int LumaDc = 0, LumaAc = 1, Luma4x4 = 2, ChromaDc = 3, ChromaAc = 4, Luma8x8 = 5;

    private static ReadOnlySpan<byte> CodedBlockFlagBase => [85, 89, 93, 97, 101];
    private static ReadOnlySpan<short> SignificantBase => [105, 120, 134, 149, 152, 402];
    private static ReadOnlySpan<short> LastBase => [166, 181, 195, 210, 213, 417];
    private static ReadOnlySpan<short> AbsBase => [227, 237, 247, 257, 266, 426];

    // Table 9-43, frame coded 8x8 blocks: ctxIdxInc of significant_coeff_flag and last_significant_coeff_flag.
    private static ReadOnlySpan<byte> Significant8x8 =>
    [
        0, 1, 2, 3, 4, 5, 5, 4, 4, 3, 3, 4, 4, 4, 5, 5, 4, 4, 4, 4, 3, 3, 6, 7, 7, 7, 8, 9, 10, 9, 8, 7,
        7, 6, 11, 12, 13, 11, 6, 7, 8, 9, 14, 10, 9, 8, 6, 11, 12, 13, 11, 6, 9, 14, 10, 9, 11, 12, 13, 11, 14, 10, 12,
    ];

    private static ReadOnlySpan<byte> Identity => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
    private static ReadOnlySpan<byte> ChromaDcInc => [0, 1, 2];

    private static ReadOnlySpan<byte> Last8x8 =>
    [
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
        3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8,
    ];

    /// <summary>
    /// Reads one block of category <paramref name="cat"/>; <paramref name="cbfInc"/> is coded_block_flag's ctxIdxInc
    /// (ignored for 8x8 blocks, whose flag is not coded in 4:2:0 streams).
    /// </summary>
    public static int Read(CabacDecoder cabac, int cat, int cbfInc, int maxNumCoeff, Span<int> levels, Span<byte> positions)
    {
        if (cat != Luma8x8 && cabac.DecodeDecision(CodedBlockFlagBase[cat] + cbfInc) == 0) return 0;

        int sigBase = SignificantBase[cat], lastBase = LastBase[cat];
        // ctxIdxInc by scan position (9.3.3.1.3): the position itself, capped for chroma DC, from Table 9-43 for 8x8.
        ReadOnlySpan<byte> sigInc = cat == Luma8x8 ? Significant8x8 : cat == ChromaDc ? ChromaDcInc : Identity;
        ReadOnlySpan<byte> lastInc = cat == Luma8x8 ? Last8x8 : cat == ChromaDc ? ChromaDcInc : Identity;
        int count = 0;
        int i = 0;
        int end = Math.Min(maxNumCoeff, sigInc.Length + 1) - 1;
        for (; i < end; i++)
        {
            if (cabac.DecodeDecision(sigBase + sigInc[i]) == 0) continue;
            positions[count++] = (byte)i;
            if (cabac.DecodeDecision(lastBase + lastInc[i]) != 0) break;
        }
        if (i == maxNumCoeff - 1) positions[count++] = (byte)i;   // the last coefficient, inferred significant

        int absBase = AbsBase[cat];
        int gt1 = 0, eq1 = 0;
        int maxGt1Inc = cat == ChromaDc ? 3 : 4;
        for (int k = count - 1; k >= 0; k--)
        {
            int absMinus1 = 0;
            if (cabac.DecodeDecision(absBase + (gt1 != 0 ? 0 : Math.Min(4, 1 + eq1))) != 0)
            {
                int ctx = absBase + 5 + Math.Min(maxGt1Inc, gt1);
                absMinus1 = 1;
                while (absMinus1 < 14 && cabac.DecodeDecision(ctx) != 0) absMinus1++;
                if (absMinus1 == 14)
                {
                    // UEG0 suffix: Exp-Golomb order 0 in bypass bins.
                    int k0 = 0;
                    while (k0 < 24 && cabac.DecodeBypass() != 0)
                    {
                        absMinus1 += 1 << k0;
                        k0++;
                    }
                    while (k0-- > 0) absMinus1 += cabac.DecodeBypass() << k0;
                }
            }
            if (absMinus1 == 0) eq1++;
            else gt1++;
            int level = absMinus1 + 1;
            levels[k] = cabac.DecodeBypass() != 0 ? -level : level;
        }
        return count;
    }
}
