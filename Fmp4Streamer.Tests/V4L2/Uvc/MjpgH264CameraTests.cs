using Fmp4Streamer.Tests.TestSupport;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Tests.V4L2.Simulated;
using Fmp4Streamer.V4L2;
using Fmp4Streamer.V4L2.Uvc;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.Tests.V4L2.Uvc;

/// <summary>
/// capture_format = MJPGH264 through CameraSource on the production EventLoop: a simulated C920 behind uvcvideo
/// delivers MJPG frames with the H.264 in APP4 segments; the sink must receive exactly the encoded access units.
/// </summary>
public class MjpgH264CameraTests
{
    private FakeSysfs _sysfs = null!;
    private SimulatedUvcDriver _uvc = null!;
    private EventLoop _loop = null!;
    private RecordingSink _sink = null!;

    private SimulatedV4l2Driver Driver => _uvc.Inner;
    private SimXuControl Commit => _uvc.Control(SimulatedUvcDriver.H264Unit, UvcH264Extension.VideoConfigCommit);

    [SetUp]
    public void SetUp()
    {
        _sysfs = new FakeSysfs(FakeSysfs.C920());
        _uvc = new SimulatedUvcDriver(new SimulatedV4l2Driver(FakeSysfs.ByIdPath) { BufferSize = 512 * 1024 });
        _uvc.AddH264Unit();
        _uvc.AddLedUnit();
        _loop = new EventLoop();
        _sink = new RecordingSink();
    }

    [TearDown]
    public void TearDown()
    {
        _loop.Dispose();
        _uvc.Dispose();
        _sysfs.Dispose();
    }

    private CameraOptions Options(string root, params ControlSetting[] controls) =>
        new(FakeSysfs.ByIdPath, 1280, 720, 30, "MJPGH264", controls)
        {
            SysfsRoot = root,
            RetryInitial = TimeSpan.FromMilliseconds(20),
            RetryMax = TimeSpan.FromMilliseconds(80),
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

    [Test]
    public void DeliversTheExactAccessUnitsMuxedIntoMjpg()
    {
        var units = MjpegH264DemuxerTests.AccessUnits();
        using var camera = new CameraSource(_loop, _uvc, Options(_sysfs.Root, new ControlSetting("uvcx_h264_profile", "Main", "c.conf:4")));
        camera.Start(_sink);
        Assert.That(Driver.Current, Is.EqualTo((V4L2_PIX_FMT_MJPEG, 640, 480, 30)), "MJPG captured small");
        var committed = SimulatedUvcDriver.Parse(Commit.Sets[^1]);
        Assert.That((committed.bStreamMuxOption, committed.wWidth, committed.wHeight, committed.wProfile),
            Is.EqualTo(((byte)3, (ushort)1280, (ushort)720, (ushort)0x4D00)));
        Assert.That(Commit.Sets, Has.Count.EqualTo(2), "at set-up and again before STREAMON");
        var log = Driver.IoctlLog;
        Assert.That(log.LastIndexOf("UVC SET_CUR 12/2"), Is.LessThan(log.IndexOf("VIDIOC_STREAMON")));
        Assert.That(log.IndexOf("UVC SET_CUR 12/2"), Is.LessThan(log.IndexOf("VIDIOC_S_FMT")), "XU before S_FMT (compatibility §2)");

        var builder = new MjpegH264FrameBuilder();
        for (int i = 0; i < units.Count; i++)
        {
            Driver.Feed(builder.Build(units[i]), 1_000_000 + i * 33_333L);
            RunUntil(() => _sink.Units.Count == i + 1, "access unit " + i);
        }
        Assert.That(_sink.Units.Select(u => u.Data), Is.EqualTo(units));
        Assert.That(_sink.Units.Select(u => u.TimestampUs), Is.EqualTo(Enumerable.Range(0, units.Count).Select(i => 1_000_000 + i * 33_333L)));
        Assert.That(camera.Description, Is.EqualTo(FakeSysfs.ByIdPath + " MJPGH264 1280x720@30"));
    }

    [Test]
    public void KeyFramesAreRequestedThroughThePictureTypeControl()
    {
        using var camera = new CameraSource(_loop, _uvc, Options(_sysfs.Root));
        camera.Start(_sink);
        camera.RequestKeyFrame();
        Assert.That(_uvc.Control(SimulatedUvcDriver.H264Unit, UvcH264Extension.PictureTypeControl).Sets.Single(), Is.EqualTo(new byte[] { 0, 0, 1, 0 }));
        Assert.That(Driver.Control(V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME).Writes, Is.Zero);
    }

    [Test]
    public void EveryStreamOnIsPrecededByACommit()
    {
        using var camera = new CameraSource(_loop, _uvc, Options(_sysfs.Root));
        camera.Start(_sink);
        camera.Stop();
        camera.Start(_sink);
        var log = Driver.IoctlLog;
        var streamOns = Enumerable.Range(0, log.Count).Where(i => log[i] == "VIDIOC_STREAMON").ToList();
        Assert.That(streamOns, Has.Count.EqualTo(2));
        foreach (int at in streamOns)
            Assert.That(log.Take(at).Last(l => l.StartsWith("UVC ") || l.StartsWith("VIDIOC_STREAM")), Is.EqualTo("UVC SET_CUR 12/2"));
    }

    [Test]
    public void ADamagedPayloadDropsOnlyThatFrame()
    {
        var units = MjpegH264DemuxerTests.AccessUnits();
        using var camera = new CameraSource(_loop, _uvc, Options(_sysfs.Root));
        camera.Start(_sink);
        byte[] damaged = new MjpegH264FrameBuilder { AdvertisedSize = 100_000 }.Build(units[1]);
        Driver.Feed(new MjpegH264FrameBuilder().Build(units[0]), 1);
        Driver.Feed(damaged, 2);
        Driver.Feed(new MjpegH264FrameBuilder().Build(units[2]), 3);
        RunUntil(() => _sink.Units.Count == 2, "the two good frames");
        Assert.That(_sink.Units.Select(u => u.Data), Is.EqualTo(new[] { units[0], units[2] }));
        Assert.That(camera.CorruptFrames, Is.EqualTo(1));
        Assert.That(_sink.Interruptions, Is.Empty);
    }

    [Test]
    public void ACameraWithoutTheUnitThatSendsPlainMjpgStopsWithAClearError()
    {
        using var plain = new FakeSysfs(FakeSysfs.DeviceAndConfig(FakeSysfs.VideoControl()));
        using var camera = new CameraSource(_loop, _uvc, Options(plain.Root));
        camera.Start(_sink);
        Assert.That(Commit.Sets, Is.Empty);
        byte[] plainJpeg = { 0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 1, 2, 0xFF, 0xDA, 0, 2, 9, 9, 0xFF, 0xD9 };
        for (int i = 0; i < 10; i++)
        {
            Driver.Feed(plainJpeg, i);
            _loop.RunOnce(10);
        }
        RunUntil(() => _sink.Interruptions.Count == 1, "the error");
        Assert.That(_sink.Interruptions[0], Is.EqualTo(FakeSysfs.ByIdPath + ": capture_format = MJPGH264, but its MJPG frames carry no H.264 payload " +
            "(no APP4 segments): the camera has no UVC H.264 extension unit to mux H.264 into MJPG; use capture_format = H264 or MJPG with an encoder"));
        Assert.That(_sink.Units, Is.Empty);
    }

    [Test]
    public void ACameraThatMuxesUnaskedIsUsedAsItComes()
    {
        var units = MjpegH264DemuxerTests.AccessUnits();
        using var plain = new FakeSysfs(FakeSysfs.DeviceAndConfig(FakeSysfs.VideoControl()));
        using var camera = new CameraSource(_loop, _uvc, Options(plain.Root));
        camera.Start(_sink);
        Driver.Feed(new MjpegH264FrameBuilder().Build(units[0]), 1);
        RunUntil(() => _sink.Units.Count == 1, "a frame");
        Assert.That(_sink.Units[0].Data, Is.EqualTo(units[0]));
    }

    [Test]
    public void DeliveringMuxedFramesAllocatesNothing()
    {
        var units = MjpegH264DemuxerTests.AccessUnits();
        var frames = units.ConvertAll(u => new MjpegH264FrameBuilder().Build(u));
        Driver.RecordIoctls = false;
        using var camera = new CameraSource(_loop, _uvc, Options(_sysfs.Root));
        var sink = new ByteCountingSink();
        camera.Start(sink);
        foreach (var f in frames) { Driver.Feed(f, 1); _loop.RunOnce(0); } // grows the stitch buffer
        long allocated = AllocationProbe.MinimumBytes(3, () =>
        {
            for (int pass = 0; pass < 5; pass++)
                foreach (var f in frames) { Driver.Feed(f, 2); _loop.RunOnce(0); }
        });
        Assert.That(sink.Bytes, Is.EqualTo(16L * units.Sum(u => u.Length)));
        Assert.That(allocated, Is.EqualTo(0));
    }

    private sealed class ByteCountingSink : Fmp4Streamer.Streaming.IAccessUnitSink
    {
        public long Bytes;
        public void OnAccessUnit(ReadOnlySpan<byte> annexB, long captureTimeUs) => Bytes += annexB.Length;
        public void OnSourceInterrupted(string reason) { }
    }
}
