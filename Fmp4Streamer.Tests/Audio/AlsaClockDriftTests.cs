using Fmp4Streamer.Alsa;
using Fmp4Streamer.Audio;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Tests.Alsa;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Audio;

/// <summary>
/// A sound card whose clock runs apart from the monotonic clock, over ten simulated minutes: the ALSA source's
/// capture times placed by the <see cref="AudioClock"/> (as the audio track places them) stay on each sample's true
/// capture time, where counting samples at the nominal rate would drift by the card's error (180 ms at 300 ppm).
/// </summary>
public class AlsaClockDriftTests
{
    /// <summary>Places each chunk as the audio track does and keeps the worst distance from the true capture time.</summary>
    private sealed class PlacingSink(int rate, long startUs, double drift) : IPcmSink
    {
        private readonly AudioClock _clock = new(rate);
        private long _frames;
        public double WorstUs, LastUs;
        public long Chunks, Breaks;

        public void OnPcm(ReadOnlySpan<short> samples, long firstSampleUs)
        {
            Assert.That(samples[0], Is.EqualTo((short)(_frames & 0x7FFF)), "no frame lost or repeated");
            long placed = _clock.Place(samples.Length, firstSampleUs);
            // The card captured its frame n at n / (rate · (1 + drift)) seconds of the monotonic clock after the start.
            double truth = startUs + _frames * 1e6 / rate / (1 + drift);
            LastUs = placed - truth;
            // The first second settles the correction's filter.
            if (_frames >= rate) WorstUs = Math.Max(WorstUs, Math.Abs(LastUs));
            _frames += samples.Length;
            Chunks++;
        }

        public void OnPcmDiscontinuity(string reason) => Breaks++;
    }

    [TestCase(300e-6)]
    [TestCase(-300e-6)]
    [TestCase(50e-6)]
    public void TheOffsetStaysBoundedOverTenMinutesOfADriftingCard(double drift)
    {
        var clock = new ManualClock();
        using var loop = new EventLoop(clock);
        var device = new SimulatedPcmDevice(clock) { Drift = drift };
        using var source = new AlsaCaptureSource(loop, device, AlsaDeviceName.TryParse("hw:1,0", out _)!, 48000, 1, "/nonexistent");
        var sink = new PlacingSink(48000, clock.NowUs, drift);
        source.Start(sink);
        // Ten minutes, the loop waking every 7 ms (not in step with the 21.3 ms periods).
        loop.AdvanceAndRun(clock, 600_000_000, stepUs: 7_000);
        TestContext.Out.WriteLine($"{drift * 1e6:F0} ppm: {sink.Chunks} chunks, worst {sink.WorstUs / 1000:F2} ms, at the end {sink.LastUs / 1000:F2} ms");
        Assert.That(sink.Chunks, Is.GreaterThan(27_000), "ten minutes of periods");
        Assert.That(sink.Breaks, Is.Zero);
        // One period's worth of the filter's lag at most: the correction follows the drift, it does not accumulate it.
        Assert.That(sink.WorstUs, Is.LessThan(2_000), "worst offset (µs)");
        Assert.That(Math.Abs(sink.LastUs), Is.LessThan(1_000), "offset after ten minutes (µs)");
    }
}
