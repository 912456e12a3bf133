namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Implicit bi-prediction weights (weighted_bipred_idc 2, H.264 8.4.2.3.1): per pair of list 0 and list 1 pictures,
/// weights from their picture order distances to the current picture, equal weights where that is not meaningful.
/// </summary>
internal static class ImplicitWeights
{
    public static void Compute(InterContext inter)
    {
        for (int i = 0; i < inter.NumRefActive; i++)
        {
            for (int j = 0; j < inter.NumRefActiveL1; j++)
            {
                inter.ImplicitWeightL0[i * InterContext.MaxReferences + j] = (short)WeightL0(inter.CurrentPoc, inter.List0[i], inter.List1[j]);
            }
        }
    }

    private static int WeightL0(int currentPoc, DecodedPicture? picture0, DecodedPicture? picture1)
    {
        if (picture0 == null || picture1 == null || picture1.IsLongTermReference) return 32;
        int td = Math.Clamp(picture1.PicOrderCnt - picture0.PicOrderCnt, -128, 127);
        if (td == 0 || picture0.IsLongTermReference) return 32;
        int w1 = TemporalDirect.DistScaleFactor(currentPoc, picture0, picture1) >> 2;
        return w1 is < -64 or > 128 ? 32 : 64 - w1;
    }
}
