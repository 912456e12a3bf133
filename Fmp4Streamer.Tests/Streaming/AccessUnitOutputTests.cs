using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Streaming;

/// <summary>Outputs of access units on the hub: key-frame start, holding the source, sleeping after the grace.</summary>
public class AccessUnitOutputTests
{
    private sealed class RecordingOutput : IAccessUnitOutput
    {
        public readonly List<bool> Keys = new();
        public int Discontinuities;
        public int SpsLength;
        public void OnAccessUnit(in AccessUnit unit)
        {
            Keys.Add(unit.IsKeyFrame);
            SpsLength = unit.Sps.Length;
        }
        public void OnDiscontinuity() => Discontinuities++;
    }

    private readonly TestPatternUnits _units = new();

    private void Push(ManualVideoSource source, bool key) => _units.Push(source.Sink!, key);

    [Test]
    public void An_attached_output_starts_at_a_key_frame_and_does_not_wake_the_source()
    {
        using var loop = new EventLoop(new ManualClock());
        var source = new ManualVideoSource();
        var hub = new StreamHub(loop, source, new StreamHubOptions { Name = "t", AutoSleep = false });
        hub.Open();
        var output = new RecordingOutput();
        Push(source, key: true);
        hub.AttachOutput(output);
        Assert.That(hub.SubscriberCount, Is.EqualTo(0), "attaching is not watching");
        Push(source, key: false);
        Push(source, key: true);
        Push(source, key: false);
        Assert.That(output.Keys, Is.EqualTo(new[] { true, false }));
        Assert.That(output.SpsLength, Is.GreaterThan(0), "the stream's SPS comes with every unit");
        hub.DetachOutput(output);
        Push(source, key: true);
        Assert.That(output.Keys, Has.Count.EqualTo(2));
    }

    [Test]
    public void Holding_wakes_the_source_and_releasing_lets_it_sleep_after_the_grace()
    {
        var clock = new ManualClock();
        using var loop = new EventLoop(clock);
        var source = new ManualVideoSource();
        var hub = new StreamHub(loop, source, new StreamHubOptions { Name = "t", AutoSleep = true, SleepGraceUs = 1_000_000 });
        hub.Open();
        var output = new RecordingOutput();
        hub.AttachOutput(output);
        Assert.That(source.Starts, Is.EqualTo(0));
        hub.HoldSource(output);
        Assert.That(source.Starts, Is.EqualTo(1), "a holding output wakes the source");
        Assert.That(hub.SubscriberCount, Is.EqualTo(1));
        Push(source, key: false); // no key frame yet: the output waits and the hub asks again after its retry interval
        clock.Advance(1_100_000);
        Push(source, key: false);
        Assert.That(source.KeyFrameRequests, Is.GreaterThanOrEqualTo(1));
        Push(source, key: true);
        Assert.That(output.Keys, Is.EqualTo(new[] { true }));

        hub.ReleaseSource(output);
        loop.AdvanceAndRun(clock, 900_000);
        Assert.That(source.Stops, Is.EqualTo(0), "the grace has not passed");
        loop.AdvanceAndRun(clock, 200_000);
        Assert.That(source.Stops, Is.EqualTo(1), "asleep after the grace");
        Assert.That(output.Discontinuities, Is.EqualTo(1), "the output learns that its units cannot be continued");

        hub.HoldSource(output);
        Assert.That(source.Starts, Is.EqualTo(2));
        Push(source, key: false);
        Assert.That(output.Keys, Has.Count.EqualTo(1), "after a discontinuity the output starts at a key frame again");
    }
}
