namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// mb_pred() and sub_mb_pred() of CAVLC P and B macroblocks (H.264 7.3.5.1, 7.3.5.2): partitions, reference indices
/// and motion vector differences of each list, into a <see cref="MacroblockData"/>'s partition table.
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
            SubMacroblockLayout.FillLarge(mb, mbType);
            for (int p = 0; p < mb.PartCount; p++)
            {
                if (!ReadRef(r, numRefActive, out mb.PartRef[p])) return false;
            }
            for (int p = 0; p < mb.PartCount; p++)
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

    /// <summary>
    /// Parses B mb_type 1..22 (Table 7-14; B_Direct_16x16 has no prediction syntax). False on a syntax error or an
    /// out-of-range reference index.
    /// </summary>
    public static bool ParseB(RbspReader r, int mbType, int numRefL0, int numRefL1, bool direct8x8Inference, MacroblockData mb)
    {
        mb.Kind = MacroblockKind.Inter;
        mb.AllowsTransform8x8 = true;
        if (mbType != BMacroblockTypes.B8x8)
        {
            SubMacroblockLayout.FillLarge(mb, BMacroblockTypes.Shape(mbType));
            for (int p = 0; p < mb.PartCount; p++) mb.PartUse[p] = BMacroblockTypes.Use(mbType, p);
            for (int p = 0; p < mb.PartCount; p++)
            {
                mb.PartRef[p] = 0;
                if ((mb.PartUse[p] & BMacroblockTypes.UseL0) != 0 && !ReadRef(r, numRefL0, out mb.PartRef[p])) return false;
            }
            for (int p = 0; p < mb.PartCount; p++)
            {
                mb.PartRefL1[p] = 0;
                if ((mb.PartUse[p] & BMacroblockTypes.UseL1) != 0 && !ReadRef(r, numRefL1, out mb.PartRefL1[p])) return false;
            }
        }
        else
        {
            mb.PartShape = 0;
            Span<int> subTypes = stackalloc int[4];
            Span<int> refsL0 = stackalloc int[4];
            Span<int> refsL1 = stackalloc int[4];
            for (int i = 0; i < 4; i++)
            {
                uint subType = r.ReadUe();
                if (subType >= BMacroblockTypes.SubTypeCount) return false;
                subTypes[i] = (int)subType;
                if (!BMacroblockTypes.SubAllowsTransform8x8((int)subType, direct8x8Inference)) mb.AllowsTransform8x8 = false;
            }
            for (int i = 0; i < 4; i++)
            {
                refsL0[i] = 0;
                if ((BMacroblockTypes.SubUse(subTypes[i]) & BMacroblockTypes.UseL0) != 0 && !ReadRef(r, numRefL0, out refsL0[i])) return false;
            }
            for (int i = 0; i < 4; i++)
            {
                refsL1[i] = 0;
                if ((BMacroblockTypes.SubUse(subTypes[i]) & BMacroblockTypes.UseL1) != 0 && !ReadRef(r, numRefL1, out refsL1[i])) return false;
            }
            SubMacroblockLayout.FillB(mb, subTypes, refsL0, refsL1);
        }
        for (int p = 0; p < mb.PartCount; p++)
        {
            bool used = (mb.PartUse[p] & BMacroblockTypes.UseL0) != 0;
            mb.PartMvdX[p] = used ? r.ReadSe() : 0;
            mb.PartMvdY[p] = used ? r.ReadSe() : 0;
        }
        for (int p = 0; p < mb.PartCount; p++)
        {
            bool used = (mb.PartUse[p] & BMacroblockTypes.UseL1) != 0;
            mb.PartMvdL1X[p] = used ? r.ReadSe() : 0;
            mb.PartMvdL1Y[p] = used ? r.ReadSe() : 0;
        }
        return !r.Overrun;
    }

    private static bool ReadRef(RbspReader r, int numRefActive, out int refIdx)
    {
        refIdx = numRefActive > 1 ? (int)r.ReadTe(numRefActive - 1) : 0;
        return refIdx < numRefActive && !r.Overrun;
    }
}
