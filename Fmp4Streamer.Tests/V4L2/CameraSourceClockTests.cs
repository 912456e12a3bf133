using Fmp4Streamer.Linux;
using Fmp4Streamer.Tests.TestSupport;
using Fmp4Streamer.V4L2;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.Tests.V4L2;

/// <summary>The camera's watchdog and retry back-off on a loop whose clock the test moves: no sleeping.</summary>
public class CameraSourceClockTests : SimulatedDriverTest
{
    private static readonly byte[] Idr = { 0, 0, 0, 1, 0x67, 0x64, 0, 0, 0, 1, 0x68, 0xee, 0, 0, 0, 1, 0x65, 0x88 };

    private ManualClock _clock = null!;
    private EventLoop _loop = null!;
    private RecordingSink _sink = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new ManualClock();
        _loop = new EventLoop(_clock);
        _sink = new RecordingSink();
    }

    [TearDown]
    public void TearDown() => _loop.Dispose();

    private CameraOptions Options() =>
        new(Driver.Path, 1280, 720, 30, "H264", Array.Empty<ControlSetting>())
        {
            RetryInitial = TimeSpan.FromMilliseconds(100),
            RetryMax = TimeSpan.FromMilliseconds(800),
            FrameTimeout = TimeSpan.FromSeconds(5),
        };

    private void Advance(long ms) => _loop.AdvanceAndRun(_clock, ms * 1000, stepUs: 1000);

    private void FeedFrame()
    {
        Driver.Feed(Idr, _clock.NowUs, V4L2_BUF_FLAG_KEYFRAME);
        _loop.RunOnce(0);
    }

    [Test]
    public void TheWatchdogChecksAgainAfterAFirstCheckFoundFrames()
    {
        using var camera = new CameraSource(_loop, Driver, Options());
        camera.Start(_sink);
        Advance(3000);
        FeedFrame(); // the last frame, at 3 s
        Advance(2500); // first check at 5 s: 2 s of silence, within the timeout
        Assert.That(Driver.OpenCount, Is.EqualTo(1), "no restart while frames came within the timeout");
        Advance(2400); // 7.9 s: 4.9 s of silence
        Assert.That(Driver.OpenCount, Is.EqualTo(1));
        Assert.That(_sink.Interruptions, Is.Empty);
        Advance(200); // 8.1 s: 5 s of silence passed at 8 s
        Assert.That(_sink.Interruptions, Has.Count.EqualTo(1), "the second check found 5 s of silence");
        Assert.That(_sink.Interruptions[0], Does.Contain("delivered no frame for 5000 ms"));
    }

    [Test]
    public void TheRetryDelayDoublesUpToItsMaximum()
    {
        using var camera = new CameraSource(_loop, Driver, Options());
        Driver.Present = false;
        camera.Start(_sink);
        var attempts = new List<long>();
        long start = _clock.NowUs;
        int seen = Driver.OpenAttempts;
        for (int ms = 0; ms < 3000; ms++)
        {
            Advance(1);
            if (Driver.OpenAttempts != seen) attempts.Add((_clock.NowUs - start) / 1000);
            seen = Driver.OpenAttempts;
        }
        // 100, +200, +400, +800, +800...
        Assert.That(attempts, Is.EqualTo(new long[] { 100, 300, 700, 1500, 2300 }));
        Assert.That(_sink.Interruptions, Has.Count.EqualTo(1));
    }

    [Test]
    public void TheRetryDelayStartsOverAfterTheDeviceRecovered()
    {
        using var camera = new CameraSource(_loop, Driver, Options());
        Driver.Present = false;
        camera.Start(_sink);
        Advance(3000); // back-off at its 800 ms maximum
        Driver.Replug();
        Advance(800);
        Assert.That(Driver.Streaming, Is.True);
        FeedFrame(); // streaming again

        Driver.Unplug();
        _loop.RunOnce(0);
        Assert.That(_sink.Interruptions, Has.Count.EqualTo(2));
        int attempts = Driver.OpenAttempts;
        Advance(100);
        Assert.That(Driver.OpenAttempts, Is.EqualTo(attempts + 1), "the first retry after a recovery comes after retry_initial again");
    }
}
