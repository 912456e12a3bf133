using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Streaming;

public class StreamHubTests
{
    private sealed class RecordingSubscriber : IFragmentSubscriber
    {
        public readonly List<(bool Key, ulong DecodeTime, InitSegment Init)> Received = new();
        public int Resets;
        public bool Record = true;
        public int Count;
        public void OnFragment(SharedFragment fragment)
        {
            Count++;
            if (Record) Received.Add((fragment.IsKeyFrame, fragment.DecodeTime, fragment.Init));
            else { fragment.Retain(); fragment.Release(); }
        }
        public void OnStreamReset() => Resets++;
    }

    private static (EventLoop Loop, ManualVideoSource Source, StreamHub Hub) Create(bool autoSleep = true, long graceUs = 1000, ManualClock? clock = null)
    {
        var loop = clock is null ? new EventLoop() : new EventLoop(clock);
        var source = new ManualVideoSource();
        var hub = new StreamHub(loop, source, new StreamHubOptions { Name = "test", AutoSleep = autoSleep, SleepGraceUs = graceUs });
        return (loop, source, hub);
    }

    [Test]
    public void ASubscriberStartsAtAKeyFrameWithTheInitSegment()
    {
        var (loop, source, hub) = Create();
        using var _ = loop;
        var frames = new TestPatternUnits();
        var sub = new RecordingSubscriber();
        hub.Subscribe(sub);
        Assert.That(source.Starts, Is.EqualTo(1), "the first subscriber wakes the source");
        frames.Push(source.Sink!, key: true);
        frames.Push(source.Sink!, key: false);
        frames.Push(source.Sink!, key: false);

        var late = new RecordingSubscriber();
        hub.Subscribe(late);
        Assert.That(source.KeyFrameRequests, Is.EqualTo(1), "a joiner asks a running source for a key frame");
        frames.Push(source.Sink!, key: false);
        frames.Push(source.Sink!, key: true);
        frames.Push(source.Sink!, key: false);

        Assert.That(sub.Received.Select(r => r.Key), Is.EqualTo(new[] { true, false, false, false, true, false }));
        Assert.That(late.Received.Select(r => r.Key), Is.EqualTo(new[] { true, false }));
        Assert.That(sub.Received[0].Init.Width, Is.EqualTo(320));
        Assert.That(sub.Received[0].Init.Codecs, Does.StartWith("avc1.42"));
        var times = sub.Received.Select(r => r.DecodeTime).ToList();
        Assert.That(times, Is.Ordered.Ascending);
        Assert.That(times.Distinct().Count(), Is.EqualTo(times.Count));
        Assert.That(hub.OutstandingFragments, Is.EqualTo(0));
    }

    [TestCase(0)]
    [TestCase(90)]
    [TestCase(180)]
    [TestCase(270)]
    public void TheInitSegmentsDisplaySizeIsWhatItsTkhdShows(int rotation)
    {
        using var loop = new EventLoop();
        var source = new ManualVideoSource();
        var hub = new StreamHub(loop, source, new StreamHubOptions { Name = "test", Rotation = rotation });
        var sub = new RecordingSubscriber();
        hub.Subscribe(sub);
        new TestPatternUnits(320, 240).Push(source.Sink!, key: true);
        var init = sub.Received[0].Init;

        // tkhd v0: the matrix {a b u, c d v, x y w} at 48 (16.16), width and height at 84 and 88 (14496-12 8.3.2).
        var tkhd = Fmp4Streamer.Tests.Mp4.BoxWalker.Find(init.Bytes, "moov/trak/tkhd");
        int At(int offset) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(init.Bytes.AsSpan(tkhd.Offset + offset));
        long a = At(48) >> 16, b = At(52) >> 16, c = At(60) >> 16, d = At(64) >> 16;
        long width = At(84) >> 16, height = At(88) >> 16;
        Assert.That((width, height), Is.EqualTo((320L, 240L)), "tkhd keeps the picture's size");
        Assert.That((init.DisplayWidth, init.DisplayHeight), Is.EqualTo((Math.Abs(width * a + height * c), Math.Abs(width * b + height * d))));
        Assert.That(init.Rotation, Is.EqualTo(rotation));
    }

    [TestCase(0, 640, 480)]
    [TestCase(90, 480, 640)]
    [TestCase(180, 640, 480)]
    [TestCase(270, 480, 640)]
    public void TheConfiguredSizeBeforeTheFirstFrameIsTheDisplayedOne(int rotation, int width, int height)
    {
        using var loop = new EventLoop();
        var hub = new StreamHub(loop, new ManualVideoSource(), new StreamHubOptions { Name = "test", Rotation = rotation, ConfiguredWidth = 640, ConfiguredHeight = 480 });
        Assert.That((hub.ConfiguredWidth, hub.ConfiguredHeight), Is.EqualTo((width, height)));
    }

    [Test]
    public void TheSourceSleepsAfterTheGracePeriodAndWakesForTheNextClient()
    {
        var clock = new ManualClock();
        var (loop, source, hub) = Create(graceUs: 10_000_000, clock: clock);
        using var _ = loop;
        var sub = new RecordingSubscriber();
        hub.Subscribe(sub);
        hub.Unsubscribe(sub);
        loop.AdvanceAndRun(clock, 9_999_999);
        Assert.That(source.Stops, Is.EqualTo(0), "not before the grace period");
        Assert.That(hub.IsSourceRunning, Is.True);
        loop.AdvanceAndRun(clock, 1);
        Assert.That(source.Stops, Is.EqualTo(1), "stopped when the grace period ends");
        Assert.That(hub.IsSourceRunning, Is.False);
        hub.Subscribe(sub);
        Assert.That(source.Starts, Is.EqualTo(2));
    }

    [Test]
    public void AClientReturningWithinTheGracePeriodKeepsTheSourceAwake()
    {
        var clock = new ManualClock();
        var (loop, source, hub) = Create(graceUs: 10_000_000, clock: clock);
        using var _ = loop;
        var sub = new RecordingSubscriber();
        hub.Subscribe(sub);
        hub.Unsubscribe(sub);
        loop.AdvanceAndRun(clock, 6_000_000);
        hub.Subscribe(sub);
        loop.AdvanceAndRun(clock, 60_000_000, stepUs: 1_000_000);
        Assert.That((source.Starts, source.Stops), Is.EqualTo((1, 0)), "watched again: the grace period's end does not stop it");
        // Leaving again starts a whole new grace period.
        hub.Unsubscribe(sub);
        loop.AdvanceAndRun(clock, 9_000_000);
        Assert.That(source.Stops, Is.EqualTo(0));
        loop.AdvanceAndRun(clock, 1_000_000);
        Assert.That(source.Stops, Is.EqualTo(1));
    }

    [Test]
    public void WithoutAutoSleepTheSourceRunsFromTheStart()
    {
        var (loop, source, hub) = Create(autoSleep: false);
        using var _ = loop;
        hub.Open();
        Assert.That(source.Starts, Is.EqualTo(1));
    }

    [Test]
    public void AfterAnInterruptionClientsResumeAtAKeyFrame()
    {
        var (loop, source, hub) = Create();
        using var _ = loop;
        var frames = new TestPatternUnits();
        var sub = new RecordingSubscriber();
        hub.Subscribe(sub);
        frames.Push(source.Sink!, key: true);
        frames.Push(source.Sink!, key: false);
        hub.OnSourceInterrupted("unplugged");
        frames.Push(source.Sink!, key: false);
        frames.Push(source.Sink!, key: true);
        Assert.That(sub.Received.Select(r => r.Key), Is.EqualTo(new[] { true, false, true }));
    }

    [Test]
    public void NewParameterSetsEndActiveStreamsAndNewJoinersGetTheNewInit()
    {
        var (loop, source, hub) = Create();
        using var _ = loop;
        var small = new TestPatternUnits(320, 240);
        var large = new TestPatternUnits(640, 480);
        var sub = new RecordingSubscriber();
        hub.Subscribe(sub);
        small.Push(source.Sink!, key: true);
        large.Push(source.Sink!, key: true);
        Assert.That(sub.Resets, Is.EqualTo(1));
        Assert.That(hub.Init!.Width, Is.EqualTo(640));
        var next = new RecordingSubscriber();
        hub.Subscribe(next);
        large.Push(source.Sink!, key: true);
        Assert.That(next.Received[0].Init.Width, Is.EqualTo(640));
    }

    [Test]
    public void MuxingAndFanOutAllocateNothingPerFrame()
    {
        var (loop, source, hub) = Create();
        using var _ = loop;
        var subscribers = new[] { new RecordingSubscriber { Record = false }, new RecordingSubscriber { Record = false }, new RecordingSubscriber { Record = false } };
        foreach (var s in subscribers) hub.Subscribe(s);
        // Pre-encode so that the encoder is not measured; the hub sees the same bytes a camera would give.
        var encoder = new TestPatternEncoder(320, 240, 30);
        var units = new List<byte[]>();
        var buffer = new byte[encoder.MaxFrameSize];
        for (int i = 0; i < 60; i++) units.Add(buffer.AsSpan(0, encoder.EncodeFrame(i, i, i % 30 == 0, buffer)).ToArray());
        for (int i = 0; i < 60; i++) source.Sink!.OnAccessUnit(units[i], 1 + i * 33_333); // warm-up: pool grows

        long next = 60;
        long allocated = AllocationProbe.MinimumBytes(3, () =>
        {
            for (int i = 0; i < 3000; i++, next++) source.Sink!.OnAccessUnit(units[(int)(next % 60)], 1 + next * 33_333L);
        });

        Assert.That(allocated, Is.EqualTo(0), "bytes allocated over 3000 frames to 3 subscribers");
        Assert.That(subscribers.Select(s => s.Count), Is.All.GreaterThanOrEqualTo(3000));
        Assert.That(hub.OutstandingFragments, Is.EqualTo(0));
    }
    /// <summary>A source that honours requests: its next frame is an IDR when one was asked for since the last.</summary>
    private static void PushHonouringRequests(ManualVideoSource source, TestPatternUnits frames, ref int served)
    {
        bool key = source.KeyFrameRequests > served;
        served = source.KeyFrameRequests;
        frames.Push(source.Sink!, key);
    }

    [Test]
    public void ClientsJoiningAndLeavingInALoopShareOneKeyFrameRequestPerInterval()
    {
        var (loop, source, hub) = Create();
        using var _ = loop;
        var frames = new TestPatternUnits();
        int served = 0;
        var viewer = new RecordingSubscriber();
        hub.Subscribe(viewer);
        frames.Push(source.Sink!, key: true);

        // A reconnect loop: 100 clients open and close the stream between frames, well within one retry interval.
        var churn = new RecordingSubscriber { Record = false };
        for (int i = 0; i < 100; i++)
        {
            hub.Subscribe(churn);
            PushHonouringRequests(source, frames, ref served);
            hub.Unsubscribe(churn);
        }

        Assert.That(source.KeyFrameRequests, Is.EqualTo(1), "joiners within the interval wait for the key frame already asked for");
        Assert.That(viewer.Received.Count(r => r.Key), Is.EqualTo(2), "the steady viewer saw one extra IDR, not a hundred");
        Assert.That(hub.OutstandingFragments, Is.EqualTo(0));
    }

    [Test]
    public void AJoinerInsideTheIntervalIsServedByTheRetryOnceItHasPassed()
    {
        var clock = new ManualClock();
        using var loop = new EventLoop(clock);
        var source = new ManualVideoSource();
        var hub = new StreamHub(loop, source, new StreamHubOptions { Name = "test", KeyFrameRetryUs = 30_000 });
        var frames = new TestPatternUnits();
        hub.Subscribe(new RecordingSubscriber());
        frames.Push(source.Sink!, key: true);
        hub.Subscribe(new RecordingSubscriber());
        Assert.That(source.KeyFrameRequests, Is.EqualTo(1));

        var late = new RecordingSubscriber();
        hub.Subscribe(late);
        frames.Push(source.Sink!, key: false);
        Assert.That(source.KeyFrameRequests, Is.EqualTo(1), "inside the interval the late joiner waits");
        loop.AdvanceAndRun(clock, 40_000);
        frames.Push(source.Sink!, key: false);
        Assert.That(source.KeyFrameRequests, Is.EqualTo(2), "a frame after the interval asks again for the waiting joiner");
        frames.Push(source.Sink!, key: true);
        Assert.That(late.Received.Select(r => r.Key), Is.EqualTo(new[] { true }));
    }

    [Test]
    public void TheStreamOwnsItsHlsSegmenterMadeAtFirstUseAndStoppedWithIt()
    {
        var (loop, source, hub) = Create();
        using var _ = loop;
        Assert.That(hub.HlsIfCreated, Is.Null, "nothing is segmented before an HLS request");
        var hls = hub.Hls;
        Assert.That(hub.Hls, Is.SameAs(hls), "one segmenter for every HLS client of the stream");
        Assert.That(hls.Stream, Is.SameAs(hub));
        hls.Touch();
        Assert.That((hls.IsActive, hub.SubscriberCount, source.Starts), Is.EqualTo((true, 1, 1)));
        hub.Close();
        Assert.That((hls.IsActive, hub.SubscriberCount, source.Stops), Is.EqualTo((false, 0, 1)), "closing the stream stops its segmenter");
    }
}
