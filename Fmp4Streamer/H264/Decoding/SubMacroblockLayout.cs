namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The partitions of a P_8x8 macroblock in syntax order (7.3.5.2, Table 7-18): each 8x8 quarter split by its
/// sub_mb_type into 8x8, 8x4, 4x8 or 4x4, in 4x4-block units. Shared by the CAVLC and CABAC parsers, which then
/// read one motion vector difference per partition in this order.
/// </summary>
internal static class SubMacroblockLayout
{
    /// <returns>The partition count written to <paramref name="mb"/>.</returns>
    public static int Fill(MacroblockData mb, ReadOnlySpan<int> subTypes, ReadOnlySpan<int> refs)
    {
        int count = 0;
        for (int i = 0; i < 4; i++)
        {
            int x0 = (i & 1) * 2, y0 = (i >> 1) * 2;
            int subType = subTypes[i];
            int w = subType is 0 or 1 ? 2 : 1;
            int h = subType is 0 or 2 ? 2 : 1;
            for (int y = 0; y < 2; y += h)
            {
                for (int x = 0; x < 2; x += w)
                {
                    mb.PartX[count] = x0 + x;
                    mb.PartY[count] = y0 + y;
                    mb.PartW[count] = w;
                    mb.PartH[count] = h;
                    mb.PartRef[count] = refs[i];
                    count++;
                }
            }
        }
        mb.PartCount = count;
        return count;
    }
}
