using Fmp4Streamer.Mp4;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Streaming;

/// <summary>Pipe arrival times smoothed onto the frame period without drifting from the source's real rate.</summary>
public class FrameClockTests
{
    private const long Start = 5_000_000_000;

    /// <summary>Arrival of frame n of a source with the given true period, late by up to the jitter (seeded).</summary>
    private static long[] Arrivals(double periodUs, int frames, int earlyUs, int lateUs, int seed = 7)
    {
        var random = new Random(seed);
        var arrivals = new long[frames];
        for (int i = 0; i < frames; i++) arrivals[i] = Start + (long)(i * periodUs) + random.Next(-earlyUs, lateUs + 1);
        return arrivals;
    }

    /// <summary>Durations in 90 kHz ticks, through the same timeline the hub uses.</summary>
    private static List<long> Durations(FrameClock clock, long[] arrivals, int fps, List<long>? stamps = null)
    {
        var timeline = new SampleTimeline(Timescales.Video, fps);
        var durations = new List<long>();
        foreach (long arrival in arrivals)
        {
            long stamp = clock.Next(arrival);
            stamps?.Add(stamp);
            durations.Add(timeline.Next(stamp).Duration);
        }
        return durations;
    }

    private static IEnumerable<TestCaseData> JitterCases()
    {
        // x264 through a pipe at 30 fps measured 2,700 to 3,850 ticks between arrivals: 3.3 ms early to 9.4 ms late.
        yield return new TestCaseData(30, 3_300, 9_400, 3000).SetName("30 fps, pipe jitter as measured");
        yield return new TestCaseData(25, 5_000, 5_000, 3600).SetName("25 fps, ±5 ms");
        yield return new TestCaseData(24, 1_000, 15_000, 3750).SetName("24 fps, up to 15 ms late");
        yield return new TestCaseData(60, 2_000, 4_000, 1500).SetName("60 fps, jitter of a quarter frame");
    }

    [TestCaseSource(nameof(JitterCases))]
    public void JitteredArrivalsGiveTheNominalDurationWithinATick(int fps, int earlyUs, int lateUs, int nominalTicks)
    {
        var clock = new FrameClock(fps);
        var durations = Durations(clock, Arrivals(1_000_000.0 / fps, 3_000, earlyUs, lateUs), fps);
        Assert.That(durations.Min(), Is.GreaterThanOrEqualTo(nominalTicks - 1));
        Assert.That(durations.Max(), Is.LessThanOrEqualTo(nominalTicks + 1));
        Assert.That(clock.Reanchors, Is.Zero);
    }

    private static IEnumerable<TestCaseData> RateCases()
    {
        yield return new TestCaseData(30.0, 30000.0 / 1001, 3003.0).SetName("configured 30, really 29.97");
        yield return new TestCaseData(25.0, 25.0, 3600.0).SetName("configured 25, really 25");
        yield return new TestCaseData(30.0, 25.0, 3600.0).SetName("configured 30, really 25 (no VUI timing)");
        yield return new TestCaseData(25.0, 30.0, 3000.0).SetName("configured 25, really 30 (no VUI timing)");
        yield return new TestCaseData(30.0, 30.03, 90000 / 30.03).SetName("a camera clock 0.1 % fast");
    }

    [TestCaseSource(nameof(RateCases))]
    public void TheSourcesRealRateIsFollowedWithoutDriftOverTenMinutes(double configuredFps, double realFps, double realTicks)
    {
        var clock = new FrameClock(configuredFps);
        int frames = (int)(600 * realFps);
        var arrivals = Arrivals(1_000_000 / realFps, frames, 3_300, 9_400);
        var stamps = new List<long>();
        var durations = Durations(clock, arrivals, (int)configuredFps, stamps);

        // Over the last minute: the mean duration is the real one, and the stamps stay with the arrivals (no drift).
        int minute = (int)(60 * realFps);
        double meanTicks = durations.Skip(frames - minute).Average();
        Assert.That(meanTicks, Is.EqualTo(realTicks).Within(0.05));
        for (int i = frames - minute; i < frames; i++)
            Assert.That(Math.Abs(stamps[i] - arrivals[i]), Is.LessThan(30_000), $"frame {i} drifted");
        Assert.That(durations.Skip(frames - minute).Max() - durations.Skip(frames - minute).Min(), Is.LessThanOrEqualTo(3));
    }

    [Test]
    public void AStallThatLosesFramesReanchorsAndKeepsTheRate()
    {
        var clock = new FrameClock(30);
        var arrivals = Arrivals(1_000_000.0 / 30, 600, 3_300, 9_400);
        for (int i = 300; i < arrivals.Length; i++) arrivals[i] += 2_000_000; // the source stalled for 2 s, frames lost
        var stamps = new List<long>();
        var durations = Durations(clock, arrivals, 30, stamps);

        int anchored = 300 + FrameClock.MaxHeldLateFrames;
        Assert.That(clock.Reanchors, Is.EqualTo(1));
        Assert.That(durations.Skip(299).Take(FrameClock.MaxHeldLateFrames), Is.All.InRange(2999, 3001),
            "the first late frames are held on the grid, waiting for a burst that would repay the stall");
        Assert.That(stamps[anchored], Is.EqualTo(arrivals[anchored]), "frames keep coming at the source's pace: anchored on the arrival");
        Assert.That(clock.PeriodUs, Is.EqualTo(1_000_000.0 / 30).Within(20), "the period survives the stall");
        Assert.That(durations.Skip(anchored + 2).Min(), Is.GreaterThanOrEqualTo(2999));
        Assert.That(durations.Skip(anchored + 2).Max(), Is.LessThanOrEqualTo(3001));
    }

    /// <summary>
    /// ffmpeg <c>-re</c> or a busy machine starves the encoder for 1.2 s; the 36 frames it owes then arrive in one
    /// burst. They are the same content at the same pace, so the timeline goes on without a gap or a step back.
    /// </summary>
    [Test]
    public void AStallRepaidByABurstKeepsTheTimelineContinuous()
    {
        var clock = new FrameClock(30);
        var arrivals = Arrivals(1_000_000.0 / 30, 900, 3_300, 9_400);
        for (int i = 300; i < 336; i++) arrivals[i] = arrivals[336] - (336 - i) * 200; // 200 µs apart in the burst
        var stamps = new List<long>();
        var durations = Durations(clock, arrivals, 30, stamps);

        string around = string.Join(" ", durations.Skip(295).Take(60));
        Assert.That(clock.Reanchors, Is.Zero);
        // The burst's last frames, still a little late, nudge a few durations by under a millisecond.
        Assert.That(durations.Skip(1), Is.All.InRange(3000 - 90, 3000 + 90), around);
        Assert.That(durations.Skip(400), Is.All.InRange(2999, 3001), around);
        Assert.That(Math.Abs(stamps[^1] - arrivals[^1]), Is.LessThan(30_000), "back with the arrivals after the burst");
    }

    [Test]
    public void AnEncodersStartUpBurstDoesNotPullTheGridAhead()
    {
        var clock = new FrameClock(30);
        var arrivals = Arrivals(1_000_000.0 / 30, 900, 3_300, 9_400);
        for (int i = 1; i < 6; i++) arrivals[i] = arrivals[0]; // six frames in the first read
        for (int i = 6; i < arrivals.Length; i++) arrivals[i] -= 5 * 33_333;
        var durations = Durations(clock, arrivals, 30);
        Assert.That(durations.Skip(10).Min(), Is.GreaterThanOrEqualTo(2999), string.Join(" ", durations.Take(40)));
        Assert.That(durations.Skip(10).Max(), Is.LessThanOrEqualTo(3001), string.Join(" ", durations.Take(40)));
    }

    [Test]
    public void TheStreamsOwnRateReplacesTheConfiguredOne()
    {
        var clock = new FrameClock(30);
        clock.SetNominalRate(25);
        Assert.That(clock.PeriodUs, Is.EqualTo(40_000).Within(0.001));
        var durations = Durations(clock, Arrivals(40_000, 500, 3_300, 9_400), 30);
        Assert.That(durations.Skip(1).Min(), Is.GreaterThanOrEqualTo(3599));
        Assert.That(durations.Skip(1).Max(), Is.LessThanOrEqualTo(3601));
        clock.SetNominalRate(0); // nonsense from a broken VUI is ignored
        Assert.That(clock.NominalPeriodUs, Is.EqualTo(40_000).Within(0.001));
    }

    [Test]
    public void PlacingAFrameAllocatesNothing()
    {
        var clock = new FrameClock(30);
        var arrivals = Arrivals(1_000_000.0 / 30, 2_000, 3_300, 9_400);
        for (int i = 0; i < 1000; i++) clock.Next(arrivals[i]);
        long sink = 0;
        int next = 1000;
        long bytes = AllocationProbe.MinimumBytes(3, () => { for (int i = 0; i < 300; i++) sink += clock.Next(arrivals[next++]); });
        Assert.That(bytes, Is.Zero);
        Assert.That(sink, Is.Not.Zero);
    }
}
