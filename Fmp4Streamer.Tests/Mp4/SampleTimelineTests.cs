using Fmp4Streamer.Mp4;

namespace Fmp4Streamer.Tests.Mp4;

public class SampleTimelineTests
{
    /// <summary>A step: a capture time in µs (0 = none), or <see cref="Reset"/>, with the expected result.</summary>
    public readonly record struct Step(long CaptureTimeUs, ulong DecodeTime, uint Duration)
    {
        public const long Reset = -1;
    }

    private static Step S(long us, ulong decode, uint duration) => new(us, decode, duration);

    private static IEnumerable<TestCaseData> Cases()
    {
        // Spec 4.5 vector, at 90 kHz. The first frame lasts 1/fps (3000) instead of 1 tick; after it every
        // duration is the gap to the previous capture time, cumulatively rounded from the first.
        yield return new TestCaseData(Timescales.Video, 30, new[]
        {
            S(100_000_000, 0, 3000),
            S(100_033_333, 3000, 3000),  // 2999.97
            S(100_066_700, 6000, 3003),  // end at 3000 + 6003
            S(100_100_000, 9003, 2997),  // end at 3000 + 9000: the early frame is absorbed, no drift
            S(100_166_667, 12000, 6000), // a dropped frame: twice as long
            S(101_000_000, 18000, 75000),
        }).SetName("Spec vector at 90 kHz");

        // The same timestamps at the original's 15000 timescale. The original gave (0,1) (1,499) (500,500)
        // (1000,500) (1500,1000) (2500,12500); ours starts with 1/fps instead of 1 tick and rounds ties up.
        yield return new TestCaseData(15000u, 30, new[]
        {
            S(100_000_000, 0, 500),
            S(100_033_333, 500, 500),   // 499.995
            S(100_066_700, 1000, 501),  // 1000.5 rounds up
            S(100_100_000, 1501, 499),
            S(100_166_667, 2000, 1000),
            S(101_000_000, 3000, 12500),
        }).SetName("Spec vector at 15 kHz");

        yield return new TestCaseData(Timescales.Video, 30, new[]
        {
            S(0, 0, 3000), S(0, 3000, 3000), S(0, 6000, 3000),
        }).SetName("No timestamps: nominal durations");

        yield return new TestCaseData(Timescales.Video, 30, new[]
        {
            S(1_000_000, 0, 3000),
            S(0, 3000, 3000),           // no timestamp
            S(1_100_000, 6000, 3000),   // nothing to measure against: nominal, new anchor
            S(1_133_333, 9000, 3000),
        }).SetName("Missing timestamp in the middle");

        yield return new TestCaseData(Timescales.Video, 30, new[]
        {
            S(1_000_000, 0, 3000),
            S(1_033_333, 3000, 3000),
            S(1_000_000, 6000, 3000),   // backwards: nominal, decode time keeps going
            S(1_033_333, 9000, 3000),   // measured from the new anchor
        }).SetName("Timestamp going backwards");

        yield return new TestCaseData(Timescales.Video, 30, new[]
        {
            S(1_000_000, 0, 3000),
            S(1_033_333, 3000, 3000),
            S(3_033_334, 6000, 3000),   // 2.000001 s later: a stall
            S(3_066_667, 9000, 3000),
        }).SetName("Gap over 2 s");

        yield return new TestCaseData(Timescales.Video, 30, new[]
        {
            S(1_000_000, 0, 3000),
            S(1_033_333, 3000, 3000),
            S(3_033_333, 6000, 180000), // exactly 2 s is still a frame
        }).SetName("Gap of exactly 2 s");

        yield return new TestCaseData(Timescales.Video, 30, new[]
        {
            S(1_000_000, 0, 3000),
            S(1_033_333, 3000, 3000),
            S(1_033_333, 6000, 1),      // same timestamp: one tick, never zero
            S(1_066_667, 6001, 2999),   // back on the capture clock
        }).SetName("Equal timestamps");

        yield return new TestCaseData(Timescales.Video, 30, new[]
        {
            S(5_000_000, 0, 3000),
            S(5_033_333, 3000, 3000),
            S(Step.Reset, 0, 0),
            S(500_000, 6000, 3000),     // new clock base: continues where the timeline ended
            S(533_333, 9000, 3000),
            S(Step.Reset, 0, 0),
            S(533_333 + 40_000, 12000, 3000), // even a plausible gap is not measured across a reset
        }).SetName("Reset after a restarted source");

        yield return new TestCaseData(Timescales.Video, 7, new[]
        {
            S(0, 0, 12857), S(0, 12857, 12857),
        }).SetName("Nominal duration rounds to nearest");

        yield return new TestCaseData(Timescales.Video, 25, new[]
        {
            S(long.MaxValue / 2, 0, 3600),
            S(long.MaxValue / 2 + 40_000, 3600, 3600),
        }).SetName("Huge timestamps do not overflow");
    }

    [TestCaseSource(nameof(Cases))]
    public void Timeline(uint timescale, int fps, Step[] steps)
    {
        var timeline = new SampleTimeline(timescale, fps);
        for (int i = 0; i < steps.Length; i++)
        {
            if (steps[i].CaptureTimeUs == Step.Reset)
            {
                timeline.Reset();
                continue;
            }
            ulong expectedNext = timeline.NextDecodeTime;
            SampleTime t = timeline.Next(steps[i].CaptureTimeUs);
            Assert.That(t, Is.EqualTo(new SampleTime(steps[i].DecodeTime, steps[i].Duration)), $"step {i}");
            Assert.That(t.DecodeTime, Is.EqualTo(expectedNext), "decode time is where the timeline ended");
            Assert.That(timeline.NextDecodeTime, Is.EqualTo(t.DecodeTime + t.Duration));
        }
    }

    [Test]
    public void NoDriftOver100000FramesAt2997()
    {
        // 29.97 fps = 1001/30000 s = 3003 ticks at 90 kHz exactly; capture times rounded to whole µs.
        const long start = 123_456_789_012;
        var timeline = new SampleTimeline(Timescales.Video, 30);
        uint firstDuration = timeline.Next(start).Duration;
        Assert.That(firstDuration, Is.EqualTo(3000));
        long worst = 0;
        for (long n = 1; n < 100_000; n++)
        {
            long us = start + (n * 100_100 + 1) / 3; // n × 33366.67 µs, rounded
            SampleTime t = timeline.Next(us);
            // Frame n starts where frame n-1 was captured (+ the first frame's nominal length).
            long error = (long)t.DecodeTime - (firstDuration + (n - 1) * 3003);
            worst = Math.Max(worst, Math.Abs(error));
        }
        Assert.That(worst, Is.LessThan(1));
        Assert.That(timeline.NextDecodeTime, Is.EqualTo(3000 + 99_999ul * 3003));
    }

    [Test]
    public void JitteredCaptureStaysWithinOneTickOfTheCaptureClock()
    {
        var random = new Random(20261124);
        var timeline = new SampleTimeline(Timescales.Video, 30);
        const long start = 5_000_000;
        timeline.Next(start);
        long previous = start;
        for (int n = 1; n < 10_000; n++)
        {
            long us = start + n * 33_333L + random.Next(-3000, 3001);
            if (us <= previous) us = previous + 1;
            SampleTime t = timeline.Next(us);
            double exact = 3000 + (previous - start) * 0.09;
            Assert.That(Math.Abs(t.DecodeTime - exact), Is.LessThanOrEqualTo(0.5), $"frame {n}");
            previous = us;
        }
    }

    [Test]
    public void PlacingFramesAllocatesNothing()
    {
        var timeline = new SampleTimeline(Timescales.Video, 30);
        timeline.Next(1_000_000);
        ulong sum = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i <= 10_000; i++)
            sum += timeline.Next(i % 500 == 0 ? 0 : 1_000_000 + i * 33_333L).Duration;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
        Assert.That(sum, Is.GreaterThan(0ul));
    }

    [TestCase(0u, 30)]
    [TestCase(90000u, 0)]
    [TestCase(90000u, -1)]
    [TestCase(0x80000000u, 30)]
    public void InvalidConstructorArgumentsAreRejected(uint timescale, int fps) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampleTimeline(timescale, fps));
}
