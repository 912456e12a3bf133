using Fmp4Streamer.Audio;
using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.Alsa;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Audio;

/// <summary>The test pattern's sound and flash mark the same instants; with sound, a frame allocates nothing.</summary>
public class TestToneAndFlashTests
{
    [Test]
    public void TheToneBurstsAtEveryFullSecondStampedWithItsIdealTime()
    {
        var clock = new ManualClock();
        using var loop = new EventLoop(clock);
        var tone = new TestToneSource(loop, 48000, 2);
        var sink = new PcmCollector();
        long start = clock.NowUs;
        tone.Start(sink);
        loop.AdvanceAndRun(clock, 2_100_000, stepUs: 7_000); // late, uneven wake-ups
        Assert.That(sink.FirstUs[0], Is.EqualTo(start));
        for (int i = 1; i < sink.FirstUs.Count; i++)
            Assert.That(sink.FirstUs[i], Is.EqualTo(start + sink.Offsets[i] * 1_000_000 / 48000), "period " + i);
        var onsets = new List<long>();
        for (int n = 0; n < sink.Left.Count; n++)
            if (sink.Left[n] != 0 && (n == 0 || sink.Left[n - 1] == 0 && (n < 2 || sink.Left[n - 2] == 0))) onsets.Add(n);
        Assert.That(onsets, Is.EqualTo(new long[] { 1, 48001, 96001 }), "sin(0) is 0: the burst's first loud sample is the second");
        Assert.That(sink.Left.Count, Is.EqualTo(210 * 480));
    }

    [Test]
    public void TheFlashWhitensTheCounterRowRightOfTheDigits()
    {
        var encoder = new TestPatternEncoder(320, 240, 30);
        var output = new byte[encoder.MaxFrameSize];
        var painter = new TestPatternPainter(320, 240);
        encoder.EncodeFrame(0, 0, true, output, flash: true);
        int x = painter.FlashLeft + 8, y = painter.FlashTop + 8;
        Assert.That(encoder.Picture.Y[y * encoder.Picture.Width + x], Is.EqualTo(235));
        encoder.EncodeFrame(1, 0, false, output);
        Assert.That(encoder.Picture.Y[y * encoder.Picture.Width + x], Is.EqualTo(16));
    }

    [Test]
    public void AFrameWithSoundAllocatesNothing()
    {
        using var rec = new AvRecording(AudioMuxingTests.BurstAac()) { Keep = false };
        rec.RunUntil(2);
        double until = 2;
        long bytes = AllocationProbe.MinimumBytes(5, () => rec.RunUntil(until += 1));
        Assert.That(bytes, Is.Zero);
        Assert.That(rec.Hub.Audio!.UnitsEncoded, Is.GreaterThan(250));
        Assert.That(rec.Hub.Audio.UnitsDropped, Is.EqualTo(1), "only the priming unit, which starts before the first picture");
    }

    private sealed class PcmCollector : IPcmSink
    {
        public readonly List<long> FirstUs = new();
        public readonly List<long> Offsets = new();
        public readonly List<short> Left = new();
        public void OnPcm(ReadOnlySpan<short> samples, long firstSampleUs)
        {
            FirstUs.Add(firstSampleUs);
            Offsets.Add(Left.Count);
            for (int i = 0; i < samples.Length; i += 2) Left.Add(samples[i]);
        }
        public void OnPcmDiscontinuity(string reason) { }
    }
}
