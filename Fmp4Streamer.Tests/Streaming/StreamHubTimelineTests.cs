using System.Buffers.Binary;
using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Mp4;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Streaming;

/// <summary>
/// The decode times and durations the hub writes into the fragment bytes themselves (not its bookkeeping fields):
/// each fragment starts where the previous one ended, and each lasts from the previous capture to its own.
/// </summary>
public class StreamHubTimelineTests
{
    private sealed class ByteRecorder : IFragmentSubscriber
    {
        public readonly List<byte[]> Fragments = new();
        public void OnFragment(SharedFragment fragment) => Fragments.Add(fragment.Span.ToArray());
        public void OnStreamReset() { }
    }

    [Test]
    public void EveryFragmentStartsWhereThePreviousEndedAndLastsItsCaptureGap()
    {
        using var loop = new EventLoop();
        var source = new ManualVideoSource();
        var hub = new StreamHub(loop, source, new StreamHubOptions { Name = "t", AutoSleep = false });
        var recorder = new ByteRecorder();
        hub.Open();
        hub.Subscribe(recorder);

        // Irregular gaps (ms): a timeline written one frame late or with the nominal duration shows up at once.
        long[] gapsMs = [33, 20, 50, 33, 41, 25, 60, 33];
        var encoder = new TestPatternEncoder(160, 128, 30);
        var buffer = new byte[encoder.MaxFrameSize];
        long captureUs = 5_000_000;
        var captures = new List<long>();
        for (int n = 0; n <= gapsMs.Length; n++)
        {
            if (n > 0) captureUs += gapsMs[n - 1] * 1000;
            captures.Add(captureUs);
            int length = encoder.EncodeFrame(n, 1_700_000_000_000 + n * 33, n == 0, buffer);
            source.Sink!.OnAccessUnit(buffer.AsSpan(0, length), captureUs);
        }

        Assert.That(recorder.Fragments, Has.Count.EqualTo(captures.Count));
        var (firstTime, _) = ReadTiming(recorder.Fragments[0]);
        for (int n = 1; n < recorder.Fragments.Count; n++)
        {
            var (previousTime, previousDuration) = ReadTiming(recorder.Fragments[n - 1]);
            var (time, duration) = ReadTiming(recorder.Fragments[n]);
            Assert.That(time, Is.EqualTo(previousTime + previousDuration), $"fragment {n} starts where {n - 1} ended");
            long gapTicks = (captures[n] - captures[n - 1]) * Timescales.Video / 1_000_000;
            Assert.That((long)duration, Is.EqualTo(gapTicks).Within(1), $"fragment {n} lasts its capture gap");
            Assert.That((long)(time - firstTime), Is.EqualTo((captures[n - 1] - captures[0]) * Timescales.Video / 1_000_000 + (long)ReadTiming(recorder.Fragments[0]).Duration).Within(1),
                $"fragment {n} starts at the previous frame's capture time");
        }
    }

    /// <summary>baseMediaDecodeTime and the single sample's duration, found by walking moof/traf/tfdt/trun.</summary>
    private static (ulong Time, uint Duration) ReadTiming(byte[] fragment)
    {
        var traf = Child(fragment, 8, (int)BinaryPrimitives.ReadUInt32BigEndian(fragment), "traf");
        int trafEnd = traf + (int)BinaryPrimitives.ReadUInt32BigEndian(fragment.AsSpan(traf));
        int tfdt = Child(fragment, traf + 8, trafEnd, "tfdt");
        ulong time = fragment[tfdt + 8] == 1
            ? BinaryPrimitives.ReadUInt64BigEndian(fragment.AsSpan(tfdt + 12))
            : BinaryPrimitives.ReadUInt32BigEndian(fragment.AsSpan(tfdt + 12));
        int trun = Child(fragment, traf + 8, trafEnd, "trun");
        uint flags = BinaryPrimitives.ReadUInt32BigEndian(fragment.AsSpan(trun + 8)) & 0xFFFFFF;
        Assert.That(flags & 0x100, Is.Not.Zero, "trun carries the sample duration");
        int at = trun + 16; // after the full box header and sample_count
        if ((flags & 0x1) != 0) at += 4; // data_offset
        if ((flags & 0x4) != 0) at += 4; // first_sample_flags
        return (time, BinaryPrimitives.ReadUInt32BigEndian(fragment.AsSpan(at)));
    }

    private static int Child(byte[] data, int start, int end, string type)
    {
        for (int at = start; at + 8 <= end;)
        {
            int size = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            if (System.Text.Encoding.ASCII.GetString(data, at + 4, 4) == type) return at;
            Assert.That(size, Is.GreaterThanOrEqualTo(8), "box size");
            at += size;
        }
        Assert.Fail("no " + type + " box");
        return -1;
    }
}
