using Fmp4Streamer.Mp4;

namespace Fmp4Streamer.Tests.Mp4;

public class CompositionOffsetEstimatorTests
{
    // x264 with 3 B-frames and b-pyramid, in decoding order: I0 P4 B2 b1 b3 P8 B6 b5 b7 (display index, POC = 2x).
    private static readonly int[] s_pyramid = [0, 4, 2, 1, 3, 8, 6, 5, 7];

    [Test]
    public void PyramidGetsOffsetsOfDisplayMinusDecodePlusDepth()
    {
        var e = new CompositionOffsetEstimator();
        e.Reset(reorderDepth: 2);
        var offsets = s_pyramid.Select((k, n) => e.Next(2 * k, n == 0, 3000)).ToArray();
        // Presentation = decode (n x 3000) + offset = (k + 2.5) x 3000: display order, 2.5 frames after decode time
        // (the reorder depth and half a frame of margin for jitter).
        Assert.That(offsets, Is.EqualTo(new[] { 7500, 16500, 7500, 1500, 4500, 16500, 7500, 1500, 4500 }));
    }

    [Test]
    public void NoReorderingMeansNoOffsets()
    {
        var e = new CompositionOffsetEstimator();
        e.Reset(reorderDepth: 0);
        Assert.That(s_pyramid.Select((k, n) => e.Next(2 * k, n == 0, 3000)), Is.All.Zero);
    }

    /// <summary>
    /// Random GOPs of x264-like structures (0 to 3 B-frames, pyramid or not, IDR every few groups), durations
    /// jittered by up to ±25 % as pipe arrival times are: presentation times strictly increase in display order and
    /// never come before decode times.
    /// </summary>
    [TestCase(1, 1, false)]
    [TestCase(2, 2, true)]
    [TestCase(3, 2, true)]
    [TestCase(4, 3, false)]
    [TestCase(5, 1, false, 1)]
    public void PresentationFollowsDisplayOrderUnderJitter(int seed, int depth, bool pyramid, int pocStep = 2)
    {
        var random = new Random(seed);
        var e = new CompositionOffsetEstimator();
        e.Reset(depth);
        var frames = new List<(long Epoch, int Display, long Decode, long Presentation)>();
        long decodeTime = 0;
        int epoch = 0;
        for (int gop = 0; gop < 60; gop++)
        {
            bool idr = gop % 7 == 0;
            if (idr) epoch++;
            int display = idr ? 0 : frames[^1].Epoch == epoch ? frames.Where(f => f.Epoch == epoch).Max(f => f.Display) + 1 : 0;
            int bCount = depth == 1 ? random.Next(2) : random.Next(depth + 2);
            var order = idr ? new List<int> { 0 } : DecodeOrder(display, bCount, pyramid && depth >= 2);
            foreach (int k in order)
            {
                uint duration = (uint)(3000 + random.Next(-750, 751));
                int offset = e.Next(pocStep * k, idr && k == 0, duration);
                frames.Add((epoch, k, decodeTime, decodeTime + offset));
                decodeTime += duration;
            }
        }
        var byDisplay = frames.OrderBy(f => f.Epoch).ThenBy(f => f.Display).ToList();
        for (int i = 1; i < byDisplay.Count; i++)
            Assert.That(byDisplay[i].Presentation, Is.GreaterThan(byDisplay[i - 1].Presentation), $"frame {i} in display order");
        Assert.That(frames.All(f => f.Presentation >= f.Decode), Is.True, "presented before decoded");
    }

    /// <summary>An anchor at first + b, then the b B-frames before it (middle first for a pyramid).</summary>
    private static List<int> DecodeOrder(int first, int b, bool pyramid)
    {
        var order = new List<int> { first + b };
        if (pyramid && b >= 3)
        {
            int middle = first + b / 2;
            order.Add(middle);
            for (int k = first; k < first + b; k++) if (k != middle) order.Add(k);
        }
        else
        {
            for (int k = first; k < first + b; k++) order.Add(k);
        }
        return order;
    }

    [Test]
    public void AStreamCountingOnePerFrameIsFollowed()
    {
        var e = new CompositionOffsetEstimator();
        e.Reset(1);
        // I0 P2 B1 P4 B3 with a count step of 1: the first odd difference lowers the step.
        int[] decode = [0, 2, 1, 4, 3, 6, 5];
        var presentation = decode.Select((k, n) => (k, t: n * 3000L + e.Next(k, n == 0, 3000))).OrderBy(p => p.k).Select(p => p.t).ToList();
        Assert.That(e.Step, Is.EqualTo(1));
        Assert.That(presentation.Skip(2), Is.Ordered.Ascending);
    }

    [Test]
    public void NextAllocatesNothing()
    {
        var e = new CompositionOffsetEstimator();
        e.Reset(2);
        long bytes = TestSupport.AllocationProbe.MinimumBytes(3, () =>
        {
            for (int i = 0; i < 10_000; i++) e.Next(2 * s_pyramid[i % 9] + 16 * (i / 9), i % 90 == 0, 3000);
        });
        Assert.That(bytes, Is.Zero);
    }
}
