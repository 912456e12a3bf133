using Fmp4Streamer.Tests.TestSupport;
using Fmp4Streamer.Linux;
using Fmp4Streamer.V4L2;
using static Fmp4Streamer.Linux.Native.videodev2;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.V4L2;

/// <summary>The camera source on the production EventLoop, with the simulated driver's eventfd as the device fd.</summary>
public class CameraSourceTests : SimulatedDriverTest
{
    private static readonly byte[] Idr = { 0, 0, 0, 1, 0x67, 0x64, 0, 0, 0, 1, 0x68, 0xee, 0, 0, 0, 1, 0x65, 0x88 };
    private static readonly byte[] Slice = { 0, 0, 0, 1, 0x41, 0x9a };

    private EventLoop _loop = null!;
    private RecordingSink _sink = null!;

    [SetUp]
    public void SetUp()
    {
        _loop = new EventLoop();
        _sink = new RecordingSink();
    }

    [TearDown]
    public void TearDown() => _loop.Dispose();

    private CameraOptions Options(params ControlSetting[] controls) =>
        new(Driver.Path, 1280, 720, 30, "H264", controls)
        {
            RetryInitial = TimeSpan.FromMilliseconds(20),
            RetryMax = TimeSpan.FromMilliseconds(80),
            FrameTimeout = TimeSpan.FromSeconds(5),
        };

    private void RunUntil(Func<bool> condition, string what, int maxMs = 3000)
    {
        long end = MonotonicClock.NowUs + maxMs * 1000L;
        while (!condition())
        {
            if (MonotonicClock.NowUs > end) Assert.Fail("timed out waiting for " + what);
            _loop.RunOnce(10);
        }
    }

    private void AssertReleased()
    {
        Assert.That(Driver.OpenFdCount, Is.EqualTo(0), "open fds");
        Assert.That(Driver.LiveMappingCount, Is.EqualTo(0), "live mappings");
    }

    [Test]
    public void StreamsAccessUnitsWithTheirCaptureTimes()
    {
        using var camera = new CameraSource(_loop, Driver, Options(new ControlSetting("brightness", "99", "c:2")));
        camera.Start(_sink);
        Assert.That(Driver.Streaming, Is.True);
        Assert.That(Driver.Current, Is.EqualTo((V4L2_PIX_FMT_H264, 1280, 720, 30)));
        Assert.That(Driver.Control("Brightness").Value, Is.EqualTo(99));
        Assert.That(Driver.IoctlLog.Count(n => n == "VIDIOC_G_EXT_CTRLS"), Is.EqualTo(1), "only the read-back of the one setting");
        Assert.That(Driver.OpenFdCount, Is.EqualTo(1 + 4), "device + exported dmabufs");
        Driver.Feed(Idr, 5_000_000, V4L2_BUF_FLAG_KEYFRAME);
        Driver.Feed(Slice, 5_033_333);
        RunUntil(() => _sink.Units.Count == 2, "two access units");
        Assert.That(_sink.Units[0].Data, Is.EqualTo(Idr));
        Assert.That(_sink.Units[1].Data, Is.EqualTo(Slice));
        Assert.That(_sink.Units.ConvertAll(u => u.TimestampUs), Is.EqualTo(new[] { 5_000_000L, 5_033_333L }));
        Assert.That(camera.FramesDelivered, Is.EqualTo(2));
        Assert.That(_sink.Interruptions, Is.Empty);
    }

    [Test]
    public void V4l2LoopbackIsReRegisteredWithTheLoopAfterEachDrain()
    {
        Driver.Driver = "v4l2 loopback";
        using var camera = new CameraSource(_loop, Driver, Options());
        camera.Start(_sink);
        for (int i = 0; i < 5; i++)
        {
            Driver.Feed(Slice, i);
            RunUntil(() => _sink.Units.Count == i + 1, "frame " + i);
        }
        camera.Stop();
        AssertReleased();
    }

    [Test]
    public void StopReleasesTheDeviceAndStartReappliesControls()
    {
        using var camera = new CameraSource(_loop, Driver, Options(new ControlSetting("brightness", "99", "c:2")));
        camera.Start(_sink);
        camera.Stop();
        Assert.That(Driver.Streaming, Is.False);
        AssertReleased();
        Driver.Control("Brightness").Value = 128; // the driver forgot it while closed
        camera.Start(_sink);
        Assert.That(Driver.Control("Brightness").Value, Is.EqualTo(99));
        Driver.Feed(Idr, 1);
        RunUntil(() => _sink.Units.Count == 1, "a frame after restart");
        camera.Dispose();
        AssertReleased();
    }

    [TestCase(19, TestName = "ENODEV")]
    [TestCase(5, TestName = "EIO")]
    public void RecoversFromAnErrorMidStream(int errno)
    {
        using var camera = new CameraSource(_loop, Driver, Options());
        camera.Start(_sink);
        Driver.Feed(Idr, 1);
        RunUntil(() => _sink.Units.Count == 1, "first frame");
        Driver.InjectDequeueError(errno);
        RunUntil(() => _sink.Interruptions.Count == 1, "interruption");
        Assert.That(_sink.Interruptions[0], Does.Contain(LinuxError.Name(errno)));
        RunUntil(() => Driver.OpenCount == 2 && Driver.Streaming, "reopen");
        Assert.That(Driver.OpenFdCount, Is.EqualTo(1 + 4), "the first open's fds were all closed");
        Assert.That(Driver.LiveMappingCount, Is.EqualTo(4));
        Driver.Feed(Idr, 2);
        RunUntil(() => _sink.Units.Count == 2, "frames flow again");
    }

    [Test]
    public void DeviceUnpluggedMidStreamThenBackRecoversWithoutLeaks()
    {
        using var camera = new CameraSource(_loop, Driver, Options());
        camera.Start(_sink);
        Driver.Feed(Idr, 1);
        RunUntil(() => _sink.Units.Count == 1, "first frame");
        Driver.Unplug();
        RunUntil(() => _sink.Interruptions.Count == 1, "interruption");
        AssertReleased();
        Assert.That(camera.IsWaitingForDevice, Is.True);
        int attempts = Driver.OpenAttempts;
        RunUntil(() => Driver.OpenAttempts >= attempts + 2, "retries while unplugged");
        Assert.That(_sink.Interruptions, Has.Count.EqualTo(1), "the sink hears once per outage");
        Driver.Replug();
        RunUntil(() => Driver.Streaming, "reopen after replug");
        Driver.Feed(Idr, 2);
        RunUntil(() => _sink.Units.Count == 2, "frames after replug");
        Assert.That(Driver.OpenFdCount, Is.EqualTo(1 + 4));
        Assert.That(Driver.LiveMappingCount, Is.EqualTo(4));
        camera.Stop();
        AssertReleased();
    }

    [Test]
    public void DeviceMissingAtStartIsWaitedFor()
    {
        Driver.Present = false;
        using var camera = new CameraSource(_loop, Driver, Options());
        Assert.That(camera.Probe(), Is.False);
        camera.Start(_sink);
        Assert.That(_sink.Interruptions, Has.Count.EqualTo(1));
        Assert.That(_sink.Interruptions[0], Does.StartWith("open /dev/video-sim: ENOENT"));
        Driver.Replug();
        RunUntil(() => Driver.Streaming, "open once present");
        Driver.Feed(Idr, 1);
        RunUntil(() => _sink.Units.Count == 1, "first frame");
    }

    [Test]
    public void ADeviceThatStopsDeliveringIsRestarted()
    {
        using var camera = new CameraSource(_loop, Driver, Options() with { FrameTimeout = TimeSpan.FromMilliseconds(100) });
        camera.Start(_sink);
        Driver.Feed(Idr, 1);
        RunUntil(() => _sink.Units.Count == 1, "first frame");
        RunUntil(() => Driver.OpenCount == 2 && Driver.Streaming, "restart after silence");
        Assert.That(_sink.Interruptions, Has.Count.EqualTo(1));
        Assert.That(_sink.Interruptions[0], Does.Contain("delivered no frame"));
        Driver.Feed(Idr, 2);
        RunUntil(() => _sink.Units.Count == 2, "frames after restart");
    }

    [Test]
    public void SpuriousWakeupsAreNotErrors()
    {
        using var camera = new CameraSource(_loop, Driver, Options());
        camera.Start(_sink);
        Driver.SpuriousWakeup();
        _loop.RunOnce(10);
        Driver.InjectDequeueError(LibC.EAGAIN);
        _loop.RunOnce(10);
        Assert.That(_sink.Interruptions, Is.Empty);
        Assert.That(camera.IsStreaming, Is.True);
        Assert.That(Driver.OpenCount, Is.EqualTo(1));
    }

    [Test]
    public void KeyFrameRequestsPressForceKeyFrame()
    {
        using var camera = new CameraSource(_loop, Driver, Options());
        camera.RequestKeyFrame(); // not streaming: nothing to do
        camera.Start(_sink);
        camera.RequestKeyFrame();
        Assert.That(Driver.Control(V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME).Writes, Is.EqualTo(1));
    }

    [Test]
    public void StopFromInsideTheSinkUnmapsAfterTheFrame()
    {
        using var camera = new CameraSource(_loop, Driver, Options());
        _sink.OnUnit = () => camera.Stop();
        camera.Start(_sink);
        Driver.Feed(Idr, 1);
        Driver.Feed(Slice, 2);
        RunUntil(() => _sink.Units.Count == 1, "first frame");
        _loop.RunOnce(10);
        Assert.That(_sink.Units, Has.Count.EqualTo(1));
        AssertReleased();
    }

    [Test]
    public void ProbeChecksConfigurationAndReleases()
    {
        using var ok = new CameraSource(_loop, Driver, Options());
        Assert.That(ok.Probe(), Is.True);
        AssertReleased();
        using var bad = new CameraSource(_loop, Driver, Options(new ControlSetting("brightness", "1000", "c:9")));
        var e = Assert.Throws<V4l2Exception>(() => bad.Probe());
        Assert.That(e!.Message, Is.EqualTo("c:9: brightness = 1000 is out of range; /dev/video-sim accepts 0 to 255"));
        AssertReleased();
        using var size = new CameraSource(_loop, Driver, Options() with { Width = 1920, Height = 1080 });
        Assert.That(() => size.Probe(), Throws.TypeOf<V4l2Exception>().With.Message.StartsWith("/dev/video-sim cannot capture H264 1920x1080"));
        AssertReleased();
    }

    [TestCase("YUYV")]
    [TestCase("MJPG")]
    [TestCase("JPEG")]
    public void FormatsThatNeedAnEncoderAreRefusedWithoutOne(string format)
    {
        var e = Assert.Throws<V4l2Exception>(() => new CameraSource(_loop, Driver, Options() with { PixelFormat = format }));
        Assert.That(e!.Message, Is.EqualTo(
            "/dev/video-sim: capture format is not H264 or MJPGH264, please add the V4L2 M2M encoder (or decoder) devices to the config" +
            " (MJPG, JPEG, YUYV and NV12 cameras serve pictures without one)"));
    }

    [TestCase("MJPG", Fmp4Streamer.Streaming.CameraFrameFormat.Mjpeg)]
    [TestCase("YUYV", Fmp4Streamer.Streaming.CameraFrameFormat.Yuyv)]
    public void APicturesOnlyCameraShowsItsFramesToThePictureSinkAndDeliversNoAccessUnits(string format,
        Fmp4Streamer.Streaming.CameraFrameFormat offered)
    {
        uint fourcc = FourCc.Parse(format);
        if (!Driver.Formats.Exists(f => f.FourCc == fourcc))
            Driver.Formats.Add(new Simulated.SimulatedV4l2Driver.SimFormat(fourcc, format, new[] { (640, 480) }));
        using var camera = new CameraSource(_loop, Driver, Options() with { PixelFormat = format, Width = 640, Height = 480, PicturesOnly = true });
        Assert.That((camera.PicturesOnly, camera.CameraFrameFormat), Is.EqualTo((true, (Fmp4Streamer.Streaming.CameraFrameFormat?)offered)));
        Assert.That(camera.Description, Does.EndWith("(pictures only)"));
        camera.Start(_sink);
        Assert.That(Driver.Current, Is.EqualTo((fourcc, 640, 480, 30)));
        Driver.Feed(Slice, 1_000);
        RunUntil(() => camera.FramesDelivered == 1, "a frame nobody looks at");
        var pictures = new FrameRecorder();
        camera.CameraFrameSink = pictures;
        byte[] second = { 0xFF, 0xD8, 1, 2, 3, 0xFF, 0xD9 };
        Driver.Feed(second, 2_000);
        RunUntil(() => pictures.Frames.Count == 1, "the frame shown to the picture sink");
        camera.RequestKeyFrame(); // no H264 here: nothing to ask the camera for
        Assert.That(pictures.Frames[0], Is.EqualTo((second, offered, 2_000L)));
        Assert.That(_sink.Units, Is.Empty, "no access units from a pictures-only camera");
        Assert.That(Driver.IoctlLog, Has.No.Member("VIDIOC_S_CTRL"), "no key-frame request");
        camera.Stop();
        AssertReleased();
    }

    private sealed class FrameRecorder : Fmp4Streamer.Streaming.ICameraFrameSink
    {
        public readonly List<(byte[] Data, Fmp4Streamer.Streaming.CameraFrameFormat Format, long TimestampUs)> Frames = new();
        public void OnCameraFrame(in Fmp4Streamer.Streaming.CameraFrame frame) =>
            Frames.Add((frame.Data.ToArray(), frame.Format, frame.CaptureTimeUs));
    }

    [Test]
    public void DeliveringAFrameAllocatesNothing()
    {
        Driver.RecordIoctls = false;
        using var camera = new CameraSource(_loop, Driver, Options());
        var sink = new CountingSink();
        camera.Start(sink);
        for (int i = 0; i < 20; i++) { Driver.Feed(Slice, i); _loop.RunOnce(0); }
        int sequence = 100;
        long allocated = AllocationProbe.MinimumBytes(3, () =>
        {
            for (int i = 0; i < 500; i++) { Driver.Feed(Slice, sequence++); _loop.RunOnce(0); }
        });
        Assert.That(sink.Count, Is.EqualTo(20 + 3 * 500));
        Assert.That(allocated, Is.EqualTo(0));
    }

    private sealed class CountingSink : Fmp4Streamer.Streaming.IAccessUnitSink
    {
        public int Count;
        public void OnAccessUnit(ReadOnlySpan<byte> annexB, long captureTimeUs) => Count++;
        public void OnSourceInterrupted(string reason) { }
    }
}
