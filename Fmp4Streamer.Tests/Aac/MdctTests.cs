using Fmp4Streamer.Aac;

namespace Fmp4Streamer.Tests.Aac;

public class MdctTests
{
    [TestCase(256)]
    [TestCase(2048)]
    public void FastTransformEqualsTheDefinition(int length)
    {
        var random = new Random(length);
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(random.NextDouble() * 2 - 1) * 1000;
        var fast = new float[length / 2];
        new Mdct(length).Forward(x, fast);
        double n0 = (length / 2 + 1) / 2.0, worst = 0, largest = 0;
        for (int k = 0; k < length / 2; k++)
        {
            double sum = 0;
            for (int n = 0; n < length; n++) sum += x[n] * Math.Cos(2 * Math.PI / length * (n + n0) * (k + 0.5));
            sum *= 2;
            worst = Math.Max(worst, Math.Abs(sum - fast[k]));
            largest = Math.Max(largest, Math.Abs(sum));
        }
        Assert.That(worst / largest, Is.LessThan(1e-4));
    }

    [TestCase(WindowShape.Sine, 2048)]
    [TestCase(WindowShape.KaiserBesselDerived, 2048)]
    [TestCase(WindowShape.Sine, 256)]
    [TestCase(WindowShape.KaiserBesselDerived, 256)]
    public void WindowHalvesMeetThePrincenBradleyCondition(int shape, int length)
    {
        float[] rise = WindowShape.Rising(shape, length);
        // The rising half squared plus the falling half squared is 1, so overlap-add restores the signal.
        for (int n = 0; n < rise.Length; n++)
            Assert.That(rise[n] * rise[n] + rise[rise.Length - 1 - n] * rise[rise.Length - 1 - n], Is.EqualTo(1).Within(1e-5));
        Assert.That(rise[0], Is.LessThan(shape == WindowShape.Sine ? 0.01 : 0.001));
    }

    [Test]
    public void ScalefactorBandsCoverTheSpectrum()
    {
        foreach (int rate in new[] { 48000, 44100, 32000, 16000 })
        {
            var bands = ScalefactorBands.For(rate);
            Assert.That(bands.LongOffsets[^1], Is.EqualTo(1024), $"{rate}");
            Assert.That(bands.ShortOffsets[^1], Is.EqualTo(128), $"{rate}");
        }
        Assert.That(ScalefactorBands.For(48000).LongBandCount, Is.EqualTo(49));
        Assert.That(ScalefactorBands.For(32000).LongBandCount, Is.EqualTo(51));
        Assert.That(ScalefactorBands.For(16000).LongBandCount, Is.EqualTo(43));
        Assert.That(ScalefactorBands.For(16000).ShortBandCount, Is.EqualTo(15));
    }

    [Test]
    public void HuffmanCodebooksArePrefixFree()
    {
        for (int cb = 1; cb <= 11; cb++) AssertPrefixFree(HuffmanTables.SpectralLengths(cb).ToArray(), HuffmanTables.SpectralCodes(cb).ToArray().Select(c => (uint)c).ToArray(), $"codebook {cb}");
        AssertPrefixFree(HuffmanTables.ScalefactorLengths.ToArray(), HuffmanTables.ScalefactorCodes.ToArray(), "scalefactors");
    }

    // A complete prefix code: Kraft sum exactly 1 and no code is a prefix of another.
    private static void AssertPrefixFree(byte[] lengths, uint[] codes, string what)
    {
        Assert.That(lengths, Has.Length.EqualTo(codes.Length), what);
        double kraft = lengths.Sum(l => Math.Pow(2, -l));
        Assert.That(kraft, Is.EqualTo(1).Within(1e-12), what);
        for (int i = 0; i < codes.Length; i++)
        {
            Assert.That(codes[i] >> lengths[i], Is.Zero, what);
            for (int j = 0; j < codes.Length; j++)
                if (i != j && lengths[i] <= lengths[j])
                    Assert.That(codes[j] >> (lengths[j] - lengths[i]), Is.Not.EqualTo(codes[i]), $"{what}: {i} prefixes {j}");
        }
    }
}
