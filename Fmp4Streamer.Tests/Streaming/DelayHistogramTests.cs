using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Tests.Streaming;

public class DelayHistogramTests
{
    [TestCase(0.5, 500)]
    [TestCase(0.99, 990)]
    [TestCase(1.0, 1000)]
    public void QuantilesOfAUniformRangeAreWithinTheBucketError(double q, long expected)
    {
        var h = new DelayHistogram();
        for (int i = 1; i <= 1000; i++) h.Record(i);
        long got = h.Quantile(q);
        Assert.That(got, Is.InRange(expected, expected * 1.13), "upper bucket bound within 1/8");
    }

    [Test]
    public void SmallValuesAreExactAndEmptyIsZero()
    {
        var h = new DelayHistogram();
        Assert.That(h.Quantile(0.5), Is.EqualTo(0));
        h.Record(3);
        Assert.That(h.Quantile(0.5), Is.EqualTo(3));
    }

    [Test]
    public void AQuantileAboveTheCeilingIsSaidToBeAboveIt()
    {
        var h = new DelayHistogram();
        for (int i = 0; i < 98; i++) h.Record(1000);
        h.Record(20_000_000);
        h.Record(long.MaxValue);
        Assert.That(h.Describe(0.5), Is.EqualTo("1023 us"));
        Assert.That(h.Quantile(0.99), Is.EqualTo(-1));
        Assert.That(h.Describe(0.99), Is.EqualTo("> 8388608 us"), "not the ceiling bucket's bound, 8388607");
        Assert.That(h.Overflow, Is.EqualTo(2));
    }

    [Test]
    public void RecordingAllocatesNothing()
    {
        var h = new DelayHistogram();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++) h.Record(i * 37L);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }
}
