using System.Buffers.Binary;

namespace Fmp4Streamer.H264.Decoding;

/// <summary>Intra_16x16 luma prediction (H.264 8.3.3) and 4:2:0 chroma prediction (8.3.4), into the picture.</summary>
public static class Intra16x16Prediction
{
    public const int Vertical = 0;
    public const int Horizontal = 1;
    public const int Dc = 2;
    public const int Plane = 3;

    /// <summary>Chroma modes (intra_chroma_pred_mode) are numbered differently from luma.</summary>
    public const int ChromaDc = 0;
    public const int ChromaHorizontal = 1;
    public const int ChromaVertical = 2;
    public const int ChromaPlane = 3;

    public static void PredictLuma(int mode, byte[] p, int offset, int stride, bool left, bool top)
    {
        int above = offset - stride;
        switch (mode)
        {
            case Vertical:
                for (int y = 0; y < 16; y++) Array.Copy(p, above, p, offset + y * stride, 16);
                break;
            case Horizontal:
                for (int y = 0; y < 16; y++) p.AsSpan(offset + y * stride, 16).Fill(p[offset + y * stride - 1]);
                break;
            case Dc:
            {
                int sumTop = 0, sumLeft = 0;
                for (int i = 0; i < 16; i++)
                {
                    sumTop += p[above + i];
                    sumLeft += p[offset + i * stride - 1];
                }
                int dc = top && left ? (sumTop + sumLeft + 16) >> 5
                    : left ? (sumLeft + 8) >> 4
                    : top ? (sumTop + 8) >> 4
                    : 128;
                for (int y = 0; y < 16; y++) p.AsSpan(offset + y * stride, 16).Fill((byte)dc);
                break;
            }
            default:
                PlanePrediction(p, offset, stride, 16);
                break;
        }
    }

    /// <summary>One 8x8 chroma block of a 4:2:0 macroblock.</summary>
    public static void PredictChroma(int mode, byte[] p, int offset, int stride, bool left, bool top)
    {
        int above = offset - stride;
        switch (mode)
        {
            case ChromaDc:
                // 8.3.4.1-3: each 4x4 block averages its own neighbours, preferring top or left by its position.
                for (int by = 0; by < 2; by++)
                {
                    for (int bx = 0; bx < 2; bx++)
                    {
                        int sumTop = 0, sumLeft = 0;
                        for (int i = 0; i < 4; i++)
                        {
                            sumTop += p[above + bx * 4 + i];
                            sumLeft += p[offset + (by * 4 + i) * stride - 1];
                        }
                        int dc;
                        if (bx == by)
                        {
                            dc = top && left ? (sumTop + sumLeft + 4) >> 3
                                : left ? (sumLeft + 2) >> 2
                                : top ? (sumTop + 2) >> 2
                                : 128;
                        }
                        else if (bx == 1)
                        {
                            dc = top ? (sumTop + 2) >> 2 : left ? (sumLeft + 2) >> 2 : 128;
                        }
                        else
                        {
                            dc = left ? (sumLeft + 2) >> 2 : top ? (sumTop + 2) >> 2 : 128;
                        }
                        int o = offset + by * 4 * stride + bx * 4;
                        uint four = (uint)dc * 0x01010101u;
                        for (int y = 0; y < 4; y++) BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(o + y * stride, 4), four);
                    }
                }
                break;
            case ChromaHorizontal:
                for (int y = 0; y < 8; y++)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(offset + y * stride, 8), p[offset + y * stride - 1] * 0x0101010101010101UL);
                }
                break;
            case ChromaVertical:
                for (int y = 0; y < 8; y++) Array.Copy(p, above, p, offset + y * stride, 8);
                break;
            default:
                PlanePrediction(p, offset, stride, 8);
                break;
        }
    }

    /// <summary>8.3.3.4 (size 16) and 8.3.4.4 for 4:2:0 (size 8).</summary>
    private static void PlanePrediction(byte[] p, int offset, int stride, int size)
    {
        int half = size / 2;
        int above = offset - stride;
        int h = 0, v = 0;
        for (int i = 0; i < half; i++)
        {
            // p[half + i, -1] - p[half - 2 - i, -1], where index -1 is the top-left corner sample.
            h += (i + 1) * (p[above + half + i] - p[above + half - 2 - i]);
            v += (i + 1) * (p[offset + (half + i) * stride - 1] - p[offset + (half - 2 - i) * stride - 1]);
        }
        int a = 16 * (p[offset + (size - 1) * stride - 1] + p[above + size - 1]);
        int b, c;
        if (size == 16)
        {
            b = (5 * h + 32) >> 6;
            c = (5 * v + 32) >> 6;
        }
        else
        {
            b = (34 * h + 32) >> 6;
            c = (34 * v + 32) >> 6;
        }
        int center = half - 1;
        for (int y = 0; y < size; y++)
        {
            int row = offset + y * stride;
            int baseValue = a + c * (y - center) + 16;
            for (int x = 0; x < size; x++) p[row + x] = InverseTransform.Clip((baseValue + b * (x - center)) >> 5);
        }
    }
}
