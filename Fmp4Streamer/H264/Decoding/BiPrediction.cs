namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Combines a list 0 and a list 1 prediction of one block into the picture (H.264 8.4.2.3): the rounded average
/// (8-273), or the weighted sum with log2 denominator, two weights and one offset (8-301, explicit and implicit).
/// </summary>
public static class BiPrediction
{
    public static void Average(byte[] p0, byte[] p1, int srcStride, int w, int h, byte[] dst, int dstOffset, int dstStride)
    {
        for (int j = 0; j < h; j++)
        {
            int s = j * srcStride, d = dstOffset + j * dstStride;
            for (int i = 0; i < w; i++) dst[d + i] = (byte)((p0[s + i] + p1[s + i] + 1) >> 1);
        }
    }

    public static void Weighted(byte[] p0, byte[] p1, int srcStride, int w, int h, byte[] dst, int dstOffset, int dstStride,
        int logWd, int w0, int w1, int offset)
    {
        int round = 1 << logWd, shift = logWd + 1;
        for (int j = 0; j < h; j++)
        {
            int s = j * srcStride, d = dstOffset + j * dstStride;
            for (int i = 0; i < w; i++)
            {
                dst[d + i] = InverseTransform.Clip(((p0[s + i] * w0 + p1[s + i] * w1 + round) >> shift) + offset);
            }
        }
    }
}
