using Fmp4Streamer.H264.Decoding;

namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>
/// The vector interpolation kernels against a plain per-sample implementation of H.264 8.4.2.2 (coordinates clamped
/// sample by sample), over every fraction, block size and vectors reaching far outside the reference's border.
/// </summary>
public class InterPredictionTests
{
    [Test]
    public void MatchesThePerSampleFiltersForEveryFractionAndVector()
    {
        var random = new Random(7);
        var reference = new DecodedPicture(64, 48);
        foreach (Plane plane in new[] { reference.Luma, reference.Cb, reference.Cr })
        {
            for (int y = 0; y < plane.Height; y++)
            {
                for (int x = 0; x < plane.Width; x++) plane.Data[plane.IndexOf(x, y)] = (byte)random.Next(256);
            }
            plane.ExtendEdges();
        }
        var prediction = new InterPrediction();
        var slow = new PerSample();
        int[] sizes = [16, 8, 4];
        int mismatches = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            int w = sizes[random.Next(3)], h = sizes[random.Next(3)];
            int x = random.Next(64 / w) * w, y = random.Next(48 / h) * h;
            // Mostly near the picture, some far beyond the 32-sample border.
            int range = trial % 4 == 0 ? 2000 : 200;
            int mvx = random.Next(-range, range), mvy = random.Next(-range, range);
            byte[] fast = new byte[16 * 16], expected = new byte[16 * 16];
            prediction.Luma(reference.Luma, x, y, mvx, mvy, w, h, fast, 0, 16);
            slow.Luma(reference.Luma, x, y, mvx, mvy, w, h, expected, 0, 16);
            if (!fast.AsSpan().SequenceEqual(expected)) mismatches++;
            Array.Clear(fast);
            Array.Clear(expected);
            prediction.Chroma(reference.Cb, x / 2, y / 2, mvx, mvy, w / 2, h / 2, fast, 0, 16);
            slow.Chroma(reference.Cb, x / 2, y / 2, mvx, mvy, w / 2, h / 2, expected, 0, 16);
            if (!fast.AsSpan().SequenceEqual(expected)) mismatches++;
        }
        Assert.That(mismatches, Is.EqualTo(0));
    }

    private static byte Clip(int value) => (byte)Math.Clamp(value, 0, 255);

    /// <summary>The straightforward filters: a clamped window of integers, then each sample by its letter in Figure 8-4.</summary>
    private sealed class PerSample
    {
        private const int MaxWindow = 21;  // 16 + 5 filter taps
        private readonly int[] _window = new int[MaxWindow * MaxWindow];
        private readonly int[] _b1 = new int[MaxWindow * MaxWindow];

        /// <summary>
        /// Predicts a <paramref name="w"/>x<paramref name="h"/> luma block whose top-left sample is at
        /// (<paramref name="x"/>, <paramref name="y"/>) in the picture, moved by the quarter-sample vector (mvx, mvy).
        /// </summary>
        public void Luma(Plane reference, int x, int y, int mvx, int mvy, int w, int h, byte[] dst, int dstOffset, int dstStride)
        {
            int xInt = x + (mvx >> 2), yInt = y + (mvy >> 2);
            int xFrac = mvx & 3, yFrac = mvy & 3;
            int ww = w + 5, wh = h + 5;
            Gather(reference, xInt - 2, yInt - 2, ww, wh, _window);
            int[] s = _window;

            if (xFrac == 0 && yFrac == 0)
            {
                for (int j = 0; j < h; j++)
                {
                    for (int i = 0; i < w; i++) dst[dstOffset + j * dstStride + i] = (byte)s[(j + 2) * ww + i + 2];
                }
                return;
            }

            // Horizontal intermediates b1 for every window row (needed by b, s and j).
            int[] b1 = _b1;
            if (xFrac != 0)
            {
                for (int j = 0; j < wh; j++)
                {
                    int row = j * ww;
                    for (int i = 0; i < w; i++)
                    {
                        int o = row + i;
                        b1[j * w + i] = s[o] - 5 * s[o + 1] + 20 * s[o + 2] + 20 * s[o + 3] - 5 * s[o + 4] + s[o + 5];
                    }
                }
            }

            for (int j = 0; j < h; j++)
            {
                for (int i = 0; i < w; i++)
                {
                    int value;
                    switch (xFrac | (yFrac << 2))
                    {
                        case 1: value = (G(s, ww, i, j) + B(b1, w, i, j) + 1) >> 1; break;                    // a
                        case 2: value = B(b1, w, i, j); break;                                                  // b
                        case 3: value = (G(s, ww, i + 1, j) + B(b1, w, i, j) + 1) >> 1; break;                // c
                        case 4: value = (G(s, ww, i, j) + H(s, ww, i, j) + 1) >> 1; break;                    // d
                        case 8: value = H(s, ww, i, j); break;                                                  // h
                        case 12: value = (G(s, ww, i, j + 1) + H(s, ww, i, j) + 1) >> 1; break;               // n
                        case 5: value = (B(b1, w, i, j) + H(s, ww, i, j) + 1) >> 1; break;                    // e
                        case 7: value = (B(b1, w, i, j) + H(s, ww, i + 1, j) + 1) >> 1; break;                // g
                        case 13: value = (H(s, ww, i, j) + B(b1, w, i, j + 1) + 1) >> 1; break;               // p
                        case 15: value = (H(s, ww, i + 1, j) + B(b1, w, i, j + 1) + 1) >> 1; break;           // r
                        case 6: value = (B(b1, w, i, j) + J(b1, w, i, j) + 1) >> 1; break;                    // f
                        case 10: value = J(b1, w, i, j); break;                                                 // j
                        case 14: value = (B(b1, w, i, j + 1) + J(b1, w, i, j) + 1) >> 1; break;               // q
                        case 9: value = (H(s, ww, i, j) + J(b1, w, i, j) + 1) >> 1; break;                    // i
                        default: value = (H(s, ww, i + 1, j) + J(b1, w, i, j) + 1) >> 1; break;               // k (11)
                    }
                    dst[dstOffset + j * dstStride + i] = (byte)value;
                }
            }
        }

        // G: the integer sample at block position (i, j); B: horizontal half sample right of it; H: vertical half sample
        // below it; J: the centre half sample (from the horizontal intermediates, 8-241).
        private static int G(int[] s, int ww, int i, int j) => s[(j + 2) * ww + i + 2];

        private static int B(int[] b1, int w, int i, int j) => Clip((b1[(j + 2) * w + i] + 16) >> 5);

        private static int H(int[] s, int ww, int i, int j)
        {
            int o = j * ww + i + 2;
            int h1 = s[o] - 5 * s[o + ww] + 20 * s[o + 2 * ww] + 20 * s[o + 3 * ww] - 5 * s[o + 4 * ww] + s[o + 5 * ww];
            return Clip((h1 + 16) >> 5);
        }

        private static int J(int[] b1, int w, int i, int j)
        {
            int o = j * w + i;
            int j1 = b1[o] - 5 * b1[o + w] + 20 * b1[o + 2 * w] + 20 * b1[o + 3 * w] - 5 * b1[o + 4 * w] + b1[o + 5 * w];
            return Clip((j1 + 512) >> 10);
        }

        /// <summary>A 4:2:0 chroma block: (x, y) in chroma samples, the vector in luma quarter samples (eighth chroma samples).</summary>
        public void Chroma(Plane reference, int x, int y, int mvx, int mvy, int w, int h, byte[] dst, int dstOffset, int dstStride)
        {
            int xInt = x + (mvx >> 3), yInt = y + (mvy >> 3);
            int xFrac = mvx & 7, yFrac = mvy & 7;
            int ww = w + 1;
            Gather(reference, xInt, yInt, ww, h + 1, _window);
            int[] s = _window;
            int wa = (8 - xFrac) * (8 - yFrac), wb = xFrac * (8 - yFrac), wc = (8 - xFrac) * yFrac, wd = xFrac * yFrac;
            for (int j = 0; j < h; j++)
            {
                for (int i = 0; i < w; i++)
                {
                    int o = j * ww + i;
                    dst[dstOffset + j * dstStride + i] = (byte)((wa * s[o] + wb * s[o + 1] + wc * s[o + ww] + wd * s[o + ww + 1] + 32) >> 6);
                }
            }
        }

        /// <summary>Copies a window of reference samples, coordinates clamped into the picture.</summary>
        private static void Gather(Plane p, int x0, int y0, int w, int h, int[] window)
        {
            byte[] data = p.Data;
            int maxX = p.Width - 1, maxY = p.Height - 1;
            bool inside = x0 >= 0 && y0 >= 0 && x0 + w - 1 <= maxX && y0 + h - 1 <= maxY;
            for (int j = 0; j < h; j++)
            {
                int row = p.Origin + (inside ? y0 + j : Math.Clamp(y0 + j, 0, maxY)) * p.Stride;
                if (inside)
                {
                    for (int i = 0; i < w; i++) window[j * w + i] = data[row + x0 + i];
                }
                else
                {
                    for (int i = 0; i < w; i++) window[j * w + i] = data[row + Math.Clamp(x0 + i, 0, maxX)];
                }
            }
        }
    }
}
