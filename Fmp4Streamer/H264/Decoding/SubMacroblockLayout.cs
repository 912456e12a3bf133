namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The partitions of a P_8x8 or B_8x8 macroblock in syntax order (7.3.5.2, Tables 7-17 and 7-18): each 8x8 quarter
/// split by its sub_mb_type into 8x8, 8x4, 4x8 or 4x4, in 4x4-block units. Shared by the CAVLC and CABAC parsers,
/// which then read one motion vector difference per partition and list in this order.
/// </summary>
internal static class SubMacroblockLayout
{
    /// <summary>P_8x8: sub_mb_type 0..3 per quarter. Returns the partition count written to <paramref name="mb"/>.</summary>
    public static int Fill(MacroblockData mb, ReadOnlySpan<int> subTypes, ReadOnlySpan<int> refs)
    {
        int count = 0;
        for (int i = 0; i < 4; i++)
        {
            int subType = subTypes[i];
            int w = subType is 0 or 1 ? 2 : 1;
            int h = subType is 0 or 2 ? 2 : 1;
            count = Add(mb, count, i, w, h, BMacroblockTypes.UseL0, refs[i], 0);
        }
        mb.PartCount = count;
        return count;
    }

    /// <summary>
    /// B_8x8: sub_mb_type 0..12 per quarter; a direct quarter (0) is one 8x8 partition with no list, derived later.
    /// </summary>
    public static int FillB(MacroblockData mb, ReadOnlySpan<int> subTypes, ReadOnlySpan<int> refsL0, ReadOnlySpan<int> refsL1)
    {
        int count = 0;
        for (int i = 0; i < 4; i++)
        {
            int subType = subTypes[i];
            count = subType == BMacroblockTypes.SubDirect8x8
                ? Add(mb, count, i, 2, 2, 0, 0, 0)
                : Add(mb, count, i, BMacroblockTypes.SubWidth(subType), BMacroblockTypes.SubHeight(subType),
                    BMacroblockTypes.SubUse(subType), refsL0[i], refsL1[i]);
        }
        mb.PartCount = count;
        return count;
    }

    private static int Add(MacroblockData mb, int count, int quarter, int w, int h, int use, int refL0, int refL1)
    {
        int x0 = (quarter & 1) * 2, y0 = (quarter >> 1) * 2;
        for (int y = 0; y < 2; y += h)
        {
            for (int x = 0; x < 2; x += w)
            {
                mb.PartX[count] = x0 + x;
                mb.PartY[count] = y0 + y;
                mb.PartW[count] = w;
                mb.PartH[count] = h;
                mb.PartUse[count] = use;
                mb.PartRef[count] = refL0;
                mb.PartRefL1[count] = refL1;
                count++;
            }
        }
        return count;
    }

    /// <summary>
    /// The 16x16, 16x8 and 8x16 partitions of P mb_type 0..2 (shape 0, 1, 2) or B mb_type 1..21, without their
    /// reference indices.
    /// </summary>
    public static void FillLarge(MacroblockData mb, int shape)
    {
        int parts = shape == 0 ? 1 : 2;
        mb.PartShape = shape;
        mb.PartCount = parts;
        for (int p = 0; p < parts; p++)
        {
            mb.PartX[p] = shape == 2 ? p * 2 : 0;
            mb.PartY[p] = shape == 1 ? p * 2 : 0;
            mb.PartW[p] = shape == 2 ? 2 : 4;
            mb.PartH[p] = shape == 1 ? 2 : 4;
            mb.PartUse[p] = BMacroblockTypes.UseL0;
        }
    }
}
