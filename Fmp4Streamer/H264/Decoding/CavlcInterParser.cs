namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// mb_pred() and sub_mb_pred() of CAVLC P macroblocks (H.264 7.3.5.1, 7.3.5.2): partitions, list 0 reference
/// indices and motion vector differences, into a <see cref="MacroblockData"/>'s partition table.
/// </summary>
public static class CavlcInterParser
{
    public const int P8x8Ref0 = 4;

    /// <summary>Parses P mb_type 0..4 (Table 7-13). False on a syntax error or an out-of-range reference index.</summary>
    public static bool ParseP(RbspReader r, int mbType, int numRefActive, MacroblockData mb)
    {
        mb.Kind = MacroblockKind.Inter;
        mb.AllowsTransform8x8 = true;
        if (mbType < 3)
        {
            int parts = mbType == 0 ? 1 : 2;
            mb.PartShape = mbType;
            mb.PartCount = parts;
            for (int p = 0; p < parts; p++)
            {
                mb.PartX[p] = mbType == 2 ? p * 2 : 0;
                mb.PartY[p] = mbType == 1 ? p * 2 : 0;
                mb.PartW[p] = mbType == 2 ? 2 : 4;
                mb.PartH[p] = mbType == 1 ? 2 : 4;
            }
            for (int p = 0; p < parts; p++)
            {
                if (!ReadRef(r, numRefActive, out mb.PartRef[p])) return false;
            }
            for (int p = 0; p < parts; p++)
            {
                mb.PartMvdX[p] = r.ReadSe();
                mb.PartMvdY[p] = r.ReadSe();
            }
            return !r.Overrun;
        }

        mb.PartShape = 0;
        Span<int> subTypes = stackalloc int[4];
        Span<int> refs = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            uint subType = r.ReadUe();
            if (subType > 3) return false;
            subTypes[i] = (int)subType;
            if (subType != 0) mb.AllowsTransform8x8 = false;
        }
        for (int i = 0; i < 4; i++)
        {
            refs[i] = 0;
            if (mbType != P8x8Ref0 && !ReadRef(r, numRefActive, out refs[i])) return false;
        }
        int count = SubMacroblockLayout.Fill(mb, subTypes, refs);
        for (int p = 0; p < count; p++)
        {
            mb.PartMvdX[p] = r.ReadSe();
            mb.PartMvdY[p] = r.ReadSe();
        }
        return !r.Overrun;
    }

    private static bool ReadRef(RbspReader r, int numRefActive, out int refIdx)
    {
        refIdx = numRefActive > 1 ? (int)r.ReadTe(numRefActive - 1) : 0;
        return refIdx < numRefActive && !r.Overrun;
    }
}
