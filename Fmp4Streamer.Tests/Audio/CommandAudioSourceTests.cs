using Fmp4Streamer.Audio;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Tests.Audio;

/// <summary>Raw S16LE from a real command's pipe: whole frames only, a split frame completed by the next read.</summary>
public class CommandAudioSourceTests
{
    private sealed class Sink : IPcmSink
    {
        public readonly List<short> Samples = new();
        public readonly List<int> CallSizes = new();
        public int Discontinuities;
        public void OnPcm(ReadOnlySpan<short> samples, long firstSampleUs)
        {
            Samples.AddRange(samples.ToArray());
            CallSizes.Add(samples.Length);
        }
        public void OnPcmDiscontinuity(string reason) => Discontinuities++;
    }

    [Test]
    public void StereoFramesSplitAcrossWritesArriveWholeAndTheEndIsADiscontinuity()
    {
        using var loop = new EventLoop();
        var sink = new Sink();
        // Two stereo frames (1,2) and (3,-1), the second cut after one byte by a pause between the writes.
        var source = new CommandAudioSource(loop, "test", @"printf '\001\000\002\000\003'; sleep 0.2; printf '\000\377\377'", 48000, 2);
        try
        {
            source.Start(sink);
            var until = DateTime.UtcNow.AddSeconds(5);
            while (sink.Discontinuities == 0 && DateTime.UtcNow < until) loop.RunOnce(10);
            Assert.That(sink.Discontinuities, Is.EqualTo(1), "the command's end is a break in the samples");
            Assert.That(sink.Samples, Is.EqualTo(new short[] { 1, 2, 3, -1 }));
            Assert.That(sink.CallSizes, Is.EqualTo(new[] { 2, 2 }), "each delivery holds whole frames only");
        }
        finally { source.Dispose(); }
    }
}
