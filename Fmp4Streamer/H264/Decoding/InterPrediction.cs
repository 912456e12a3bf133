using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Fractional sample interpolation (H.264 8.4.2.2): luma quarter samples with the 6-tap filter, chroma eighth
/// samples bilinear, reading reference samples with their coordinates clamped to the picture (8-228, 8-229) so any
/// motion vector is safe; then optional explicit weighting (8.4.2.3.2).
/// </summary>
public sealed class InterPrediction
{
    private const int EdgeStride = 32;
    private const int EdgeRows = 24;                                 // 16 + 5 filter taps, and one spare
    private readonly byte[] _edge = new byte[EdgeStride * EdgeRows];   // the window of a vector pointing outside the border
    private readonly byte[] _half = new byte[16 * 16];
    private readonly byte[] _quarter = new byte[16 * 16];
    private readonly short[] _rows = new short[16 * 21];

    /// <summary>
    /// Predicts a <paramref name="w"/>x<paramref name="h"/> luma block whose top-left sample is at
    /// (<paramref name="x"/>, <paramref name="y"/>) in the picture, moved by the quarter-sample vector (mvx, mvy).
    /// The reference's border must hold copies of its edge samples (<see cref="Plane.ExtendEdges"/>).
    /// </summary>
    public void Luma(Plane reference, int x, int y, int mvx, int mvy, int w, int h, byte[] dst, int dstOffset, int dstStride)
    {
        int xInt = x + (mvx >> 2), yInt = y + (mvy >> 2);
        int xFrac = mvx & 3, yFrac = mvy & 3;
        ref byte src = ref Window(reference, xInt, yInt, 2, Math.Max(w, 8) + 3, 2, h + 4, out nint ss);
        ref byte d = ref dst[dstOffset];
        nint ds = dstStride;
        ref byte half = ref MemoryMarshal.GetArrayDataReference(_half);
        ref byte quarter = ref MemoryMarshal.GetArrayDataReference(_quarter);
        // Letters as in Figure 8-4: G integer, b/s horizontal half (rows y, y+1), h/m vertical half (columns x, x+1), j centre.
        switch (xFrac | (yFrac << 2))
        {
            case 0:
                InterpolationKernels.Copy(ref src, ss, ref d, ds, w, h);
                break;
            case 2:   // b
                InterpolationKernels.HalfH(ref src, ss, ref d, ds, w, h);
                break;
            case 8:   // h
                InterpolationKernels.HalfV(ref src, ss, ref d, ds, w, h);
                break;
            case 10:  // j
                InterpolationKernels.HalfHV(ref src, ss, ref d, ds, w, h, _rows);
                break;
            case 1:   // a = (G + b + 1) >> 1
            case 3:   // c = (G right + b + 1) >> 1
                InterpolationKernels.HalfH(ref src, ss, ref half, 16, w, h);
                InterpolationKernels.Average(ref Unsafe.Add(ref src, xFrac >> 1), ss, ref half, 16, ref d, ds, w, h);
                break;
            case 4:   // d = (G + h + 1) >> 1
            case 12:  // n = (G below + h + 1) >> 1
                InterpolationKernels.HalfV(ref src, ss, ref half, 16, w, h);
                InterpolationKernels.Average(ref Unsafe.Add(ref src, (yFrac >> 1) * ss), ss, ref half, 16, ref d, ds, w, h);
                break;
            case 5:   // e = (b + h + 1) >> 1
            case 7:   // g = (b + m + 1) >> 1
            case 13:  // p = (s + h + 1) >> 1
            case 15:  // r = (s + m + 1) >> 1
                InterpolationKernels.HalfH(ref Unsafe.Add(ref src, (yFrac >> 1) * ss), ss, ref half, 16, w, h);
                InterpolationKernels.HalfV(ref Unsafe.Add(ref src, xFrac >> 1), ss, ref quarter, 16, w, h);
                InterpolationKernels.Average(ref half, 16, ref quarter, 16, ref d, ds, w, h);
                break;
            case 6:   // f = (b + j + 1) >> 1
            case 14:  // q = (s + j + 1) >> 1
                InterpolationKernels.HalfHV(ref src, ss, ref quarter, 16, w, h, _rows);
                InterpolationKernels.HalfH(ref Unsafe.Add(ref src, (yFrac >> 1) * ss), ss, ref half, 16, w, h);
                InterpolationKernels.Average(ref half, 16, ref quarter, 16, ref d, ds, w, h);
                break;
            default:  // 9: i = (h + j + 1) >> 1, 11: k = (m + j + 1) >> 1
                InterpolationKernels.HalfHV(ref src, ss, ref quarter, 16, w, h, _rows);
                InterpolationKernels.HalfV(ref Unsafe.Add(ref src, xFrac >> 1), ss, ref half, 16, w, h);
                InterpolationKernels.Average(ref half, 16, ref quarter, 16, ref d, ds, w, h);
                break;
        }
    }

    /// <summary>A 4:2:0 chroma block: (x, y) in chroma samples, the vector in luma quarter samples (eighth chroma samples).</summary>
    public void Chroma(Plane reference, int x, int y, int mvx, int mvy, int w, int h, byte[] dst, int dstOffset, int dstStride)
    {
        int xInt = x + (mvx >> 3), yInt = y + (mvy >> 3);
        ref byte src = ref Window(reference, xInt, yInt, 0, 9, 0, h + 1, out nint ss);
        InterpolationKernels.Chroma(ref src, ss, ref dst[dstOffset], dstStride, w, h, mvx & 7, mvy & 7);
    }

    /// <summary>
    /// The reference sample (x, y), with <paramref name="left"/> columns before it to <paramref name="right"/> after
    /// and <paramref name="top"/> rows above to <paramref name="bottom"/> below readable: in the plane itself when that
    /// window lies within its extended border, otherwise in a copy made with the coordinates clamped into the
    /// picture (8-228, 8-229), so that any motion vector is safe.
    /// </summary>
    private ref byte Window(Plane p, int x, int y, int left, int right, int top, int bottom, out nint stride)
    {
        int pad = p.Padding;
        if (x - left >= -pad && x + right < p.Width + pad && y - top >= -pad && y + bottom < p.Height + pad)
        {
            stride = p.Stride;
            return ref p.Data[p.IndexOf(x, y)];
        }
        byte[] data = p.Data;
        int maxX = p.Width - 1, maxY = p.Height - 1;
        for (int j = 0; j < top + bottom; j++)
        {
            int row = p.Origin + Math.Clamp(y - top + j, 0, maxY) * p.Stride;
            for (int i = 0; i < EdgeStride; i++) _edge[j * EdgeStride + i] = data[row + Math.Clamp(x - left + i, 0, maxX)];
        }
        stride = EdgeStride;
        return ref _edge[top * EdgeStride + left];
    }

    /// <summary>Explicit weighting of one predicted block in place (8-270), 8-bit samples.</summary>
    public static void Weight(byte[] dst, int offset, int stride, int w, int h, int logWd, int weight, int o)
    {
        int round = logWd >= 1 ? 1 << (logWd - 1) : 0;
        for (int j = 0; j < h; j++)
        {
            int row = offset + j * stride;
            for (int i = 0; i < w; i++)
            {
                int v = logWd >= 1 ? ((dst[row + i] * weight + round) >> logWd) + o : dst[row + i] * weight + o;
                dst[row + i] = InverseTransform.Clip(v);
            }
        }
    }
}
