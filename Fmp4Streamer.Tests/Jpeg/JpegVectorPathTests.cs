using System.Runtime.Intrinsics;
using Fmp4Streamer.Jpeg;

namespace Fmp4Streamer.Tests.Jpeg;

/// <summary>
/// The vector path (loading, DCT, quantisation) against the scalar one. They do the same float operations in the same
/// order, so the quantised coefficients are identical, not merely within ±1; these tests hold them to that.
/// </summary>
public class JpegVectorPathTests
{
    [Test]
    public void TheDctMatchesTheDefinitionOnBothPaths([Values] bool vectorised)
    {
        var random = new Random(7);
        var block = new float[64];
        var input = new double[64];
        for (int i = 0; i < 64; i++) block[i] = (float)(input[i] = random.Next(-128, 128));
        ForwardDct.Transform(block, vectorised);
        for (int v = 0; v < 8; v++)
            for (int u = 0; u < 8; u++)
            {
                double sum = 0;
                for (int y = 0; y < 8; y++)
                    for (int x = 0; x < 8; x++)
                        sum += input[y * 8 + x] * Math.Cos((2 * x + 1) * u * Math.PI / 16) * Math.Cos((2 * y + 1) * v * Math.PI / 16);
                double expected = 0.25 * (u == 0 ? Math.Sqrt(0.5) : 1) * (v == 0 ? Math.Sqrt(0.5) : 1) * sum;
                // The transform leaves out 1 / (8 · Scale(u) · Scale(v)) and writes column-major.
                double actual = block[u * 8 + v] / (8 * ForwardDct.Scale(u) * ForwardDct.Scale(v));
                Assert.That(actual, Is.EqualTo(expected).Within(0.01), $"F({u},{v})");
            }
    }

    [Test]
    public void TheVectorPathGivesTheScalarPathsCoefficientsExactly()
    {
        Assume.That(ForwardDct.IsVectorised, "no vector hardware: only the scalar path runs here");
        var random = new Random(11);
        var plane = new byte[64 * 3 * 40];
        var scalarSamples = new float[64];
        var vectorSamples = new float[64];
        var scalarCoefficients = new short[64];
        var vectorCoefficients = new short[64];
        int compared = 0;
        foreach (int quality in new[] { 10, 50, 85, 100 })
        {
            var table = new QuantizationTable(JpegTables.LuminanceQuantization, quality);
            foreach (var range in new[] { SampleRange.FullRange, SampleRange.LimitedLuma, SampleRange.LimitedChroma })
                for (int step = 1; step <= 4; step *= 2)
                    for (int trial = 0; trial < 50; trial++)
                    {
                        // Noise, flat blocks and extremes (0 and 255 clamp in the limited ranges).
                        for (int i = 0; i < plane.Length; i++)
                            plane[i] = trial % 5 == 0 ? (byte)(trial * 7) : trial % 5 == 1 ? (byte)(random.Next(2) * 255) : (byte)random.Next(256);
                        int stride = 8 * step + 8;
                        BlockLoader.Load(plane, stride, step, 8 * step, 8, 0, 0, range, scalarSamples, vectorised: false);
                        BlockLoader.Load(plane, stride, step, 8 * step, 8, 0, 0, range, vectorSamples, vectorised: true);
                        Assert.That(vectorSamples, Is.EqualTo(scalarSamples), "loaded samples");
                        ForwardDct.Transform(scalarSamples, vectorised: false);
                        ForwardDct.Transform(vectorSamples, vectorised: true);
                        Quantizer.Quantize(scalarSamples, table.ScaledReciprocals, scalarCoefficients, vectorised: false);
                        Quantizer.Quantize(vectorSamples, table.ScaledReciprocals, vectorCoefficients, vectorised: true);
                        Assert.That(vectorCoefficients, Is.EqualTo(scalarCoefficients), $"q{quality} step {step} trial {trial}");
                        compared++;
                    }
        }
        TestContext.Out.WriteLine($"{compared} blocks: vector and scalar coefficients identical");
    }

    [TestCase(640, 480)]
    [TestCase(1366, 762)]
    [TestCase(34, 18)]
    public void WholePicturesAreByteIdenticalOnBothPaths(int width, int height)
    {
        Assume.That(ForwardDct.IsVectorised, "no vector hardware: only the scalar path runs here");
        var random = new Random(width);
        var yuyv = new byte[width * 2 * height];
        var nv12 = new byte[width * height * 3 / 2 + width];
        // Smooth gradients with noise, like a camera picture; limited range and full range.
        for (int i = 0; i < yuyv.Length; i++) yuyv[i] = (byte)Math.Clamp(16 + (i / 2 % width) * 200 / width + random.Next(-6, 7), 0, 255);
        for (int i = 0; i < nv12.Length; i++) nv12[i] = (byte)Math.Clamp(16 + (i % width) * 200 / width + random.Next(-6, 7), 0, 255);
        foreach (bool fullRange in new[] { false, true })
        {
            foreach (bool packed in new[] { true, false })
            {
                PictureView Make() => packed
                    ? PictureView.Yuyv(width, height, yuyv, width * 2, fullRange)
                    : PictureView.Nv12(width, height, nv12.AsSpan(0, width * height), width, nv12.AsSpan(width * height), width, fullRange);
                var scalar = new byte[JpegEncoder.SuggestedBufferSize(width, height)];
                var vector = new byte[scalar.Length];
                var scalarEncoder = new JpegEncoder(85, vectorised: false);
                var vectorEncoder = new JpegEncoder(85);
                Assert.That(vectorEncoder.IsVectorised, Is.True);
                Assert.That(scalarEncoder.IsVectorised, Is.False);
                int scalarLength = scalarEncoder.Encode(Make(), scalar);
                int vectorLength = vectorEncoder.Encode(Make(), vector);
                Assert.That(scalarLength, Is.GreaterThan(0));
                Assert.That(vector.AsSpan(0, vectorLength).SequenceEqual(scalar.AsSpan(0, scalarLength)), Is.True, $"identical JPEG bytes ({(packed ? "YUYV" : "NV12")}, full range {fullRange})");
            }
        }
    }

    [Test]
    public void EncodingPackedAndSemiPlanarPicturesAllocatesNothing([Values] bool packed)
    {
        const int width = 640, height = 480;
        var frame = new byte[width * height * 2];
        new Random(3).NextBytes(frame);
        var encoder = new JpegEncoder(85);
        var dest = new byte[JpegEncoder.SuggestedBufferSize(width, height)];
        void EncodeOnce()
        {
            var view = packed
                ? PictureView.Yuyv(width, height, frame, width * 2)
                : PictureView.Nv12(width, height, frame.AsSpan(0, width * height), width, frame.AsSpan(width * height, width * height / 2), width);
            if (encoder.Encode(view, dest) < 0) Assert.Fail("did not fit");
        }
        EncodeOnce();
        Assert.That(TestSupport.AllocationProbe.MinimumBytes(5, () => { for (int i = 0; i < 4; i++) EncodeOnce(); }), Is.Zero);
    }

    [Test]
    public void BothTransposesTurnRowsIntoColumns()
    {
        var rows = new Vector128<float>[4];
        for (int r = 0; r < 4; r++) rows[r] = Vector128.Create(r * 4f, r * 4 + 1, r * 4 + 2, r * 4 + 3);
        var a = (Vector128<float>[])rows.Clone();
        var b = (Vector128<float>[])rows.Clone();
        ForwardDct.Transpose4x4(ref a[0], ref a[1], ref a[2], ref a[3]);
        ForwardDct.Transpose4x4Portable(ref b[0], ref b[1], ref b[2], ref b[3]);
        for (int c = 0; c < 4; c++)
        {
            var expected = Vector128.Create(c, 4f + c, 8f + c, 12f + c);
            Assert.That(a[c], Is.EqualTo(expected), $"column {c}");
            Assert.That(b[c], Is.EqualTo(expected), $"column {c}, portable");
        }
    }
}
