namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The vectors of a B macroblock's partitions (H.264 8.4.1), in partition order so later partitions predict from
/// earlier ones: a direct partition by direct prediction, any other per list it uses by prediction plus difference;
/// everything stored in the grid, a list a partition does not use as index -1.
/// </summary>
public sealed class BMotionDerivation
{
    private readonly DirectPrediction _direct = new();

    /// <summary>B_Skip and B_Direct_16x16: the whole macroblock by direct prediction. False for a missing reference.</summary>
    public bool DeriveDirect(MotionVectorPredictor predictor, InterContext inter, MacroblockGrid grid, int mbX, int mbY)
    {
        _direct.BeginMacroblock();
        return _direct.Derive(predictor, inter, grid, mbX, mbY, 0xF);
    }

    /// <summary>B mb_type 1..22 as parsed into <paramref name="mb"/>. False for a missing reference.</summary>
    public bool Derive(MacroblockData mb, MotionVectorPredictor predictor, InterContext inter, MacroblockGrid grid, int mbX, int mbY)
    {
        _direct.BeginMacroblock();
        for (int p = 0; p < mb.PartCount; p++)
        {
            int bx = mb.PartX[p], by = mb.PartY[p], bw = mb.PartW[p], bh = mb.PartH[p];
            int use = mb.PartUse[p];
            if (use == 0)
            {
                if (!_direct.Derive(predictor, inter, grid, mbX, mbY, 1 << ((by >> 1) * 2 + (bx >> 1)))) return false;
                continue;
            }
            for (int list = 0; list < 2; list++)
            {
                if ((use & (1 << list)) == 0)
                {
                    predictor.StoreList(list, bx, by, bw, bh, -1, MotionField.NoPicture, 0, 0);
                    continue;
                }
                int refIdx = list == 0 ? mb.PartRef[p] : mb.PartRefL1[p];
                DecodedPicture? reference = (list == 0 ? inter.List0 : inter.List1)[refIdx];
                if (reference == null) return false;
                predictor.Predict(list, bx, by, bw, bh, refIdx, mb.PartShape, out int mvpX, out int mvpY);
                int mvdX = list == 0 ? mb.PartMvdX[p] : mb.PartMvdL1X[p];
                int mvdY = list == 0 ? mb.PartMvdY[p] : mb.PartMvdL1Y[p];
                // 16-bit like every decoder's vector fields; wrapping only affects streams outside 8-bit levels.
                predictor.StoreList(list, bx, by, bw, bh, refIdx, reference.Id, (short)(mvpX + mvdX), (short)(mvpY + mvdY));
            }
        }
        return true;
    }

    /// <summary>Bit k set when 8x8 quarter k of <paramref name="mb"/> is a direct partition.</summary>
    public static byte DirectQuarters(MacroblockData mb)
    {
        if (mb.Kind == MacroblockKind.BDirect16x16) return 0xF;
        int mask = 0;
        for (int p = 0; p < mb.PartCount; p++)
        {
            if (mb.PartUse[p] == 0) mask |= 1 << ((mb.PartY[p] >> 1) * 2 + (mb.PartX[p] >> 1));
        }
        return (byte)mask;
    }
}
