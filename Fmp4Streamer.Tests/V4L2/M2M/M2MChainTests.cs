using Fmp4Streamer.Linux;
using Fmp4Streamer.Tests.V4L2.Simulated;
using Fmp4Streamer.V4L2;
using Fmp4Streamer.V4L2.M2M;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.Tests.V4L2.M2M;

/// <summary>
/// Camera → [decoder] → encoder chains on the production EventLoop, with the simulated camera and simulated M2M
/// codecs behind one seam: formats on both queues, MMAP copy versus DMABUF import, timestamps carried through, key
/// frames, stop commands, a decoder's source change, and nothing left open afterwards.
/// </summary>
public class M2MChainTests
{
    private const string EncoderPath = "/dev/video-enc";
    private const string DecoderPath = "/dev/video-dec";
    private static readonly byte[] Encoded = { 0, 0, 0, 1, 0x67, 0x64, 0, 0x1f, 0, 0, 0, 1, 0x68, 0xee, 0, 0, 0, 1, 0x65, 0x88, 0x84 };

    private EventLoop _loop = null!;
    private RecordingSink _sink = null!;
    private SimulatedV4l2Driver _camera = null!;
    private SimulatedM2MDevice _encoder = null!;
    private SimulatedM2MDevice _decoder = null!;
    private SimulatedLinuxIo _io = null!;

    public static IEnumerable<TestCaseData> Planarity()
    {
        yield return new TestCaseData(false).SetName("{m}(single-planar)");
        yield return new TestCaseData(true).SetName("{m}(multi-planar)");
    }

    private void Build(bool multiPlanar, string cameraFormat)
    {
        _loop = new EventLoop();
        _sink = new RecordingSink();
        _camera = new SimulatedV4l2Driver();
        _camera.Formats.Add(new SimulatedV4l2Driver.SimFormat(V4L2_PIX_FMT_YUYV, "YUYV 4:2:2", new[] { (640, 480) }));
        if (cameraFormat == "YUYV") _camera.BufferSize = 640 * 480 * 2;
        _encoder = new SimulatedM2MDevice(EncoderPath, M2MRole.Encoder, multiPlanar) { EncodedFrame = Encoded };
        _decoder = new SimulatedM2MDevice(DecoderPath, M2MRole.Decoder, multiPlanar);
        _io = new SimulatedLinuxIo(_camera, _encoder, _decoder);
    }

    [TearDown]
    public void TearDown()
    {
        _loop?.Dispose();
        _camera?.Dispose();
        _encoder?.Dispose();
        _decoder?.Dispose();
    }

    private CameraSource Source(string format, bool importIntoEncoder, bool withDecoder = false, bool importIntoDecoder = false) =>
        new(_loop, _io, new CameraOptions(_camera.Path, 640, 480, 30, format, Array.Empty<ControlSetting>())
        {
            RetryInitial = TimeSpan.FromMilliseconds(20),
            RetryMax = TimeSpan.FromMilliseconds(80),
            Encoder = new M2MStageOptions(EncoderPath, M2MRole.Encoder, withDecoder ? "NV12" : format, "H264", importIntoEncoder, Array.Empty<ControlSetting>()),
            Decoder = withDecoder ? new M2MStageOptions(DecoderPath, M2MRole.Decoder, format, "NV12", importIntoDecoder, Array.Empty<ControlSetting>()) : null,
        });

    private void RunUntil(Func<bool> condition, string what)
    {
        long end = MonotonicClock.NowUs + 3_000_000;
        while (!condition())
        {
            if (MonotonicClock.NowUs > end) Assert.Fail("timed out waiting for " + what);
            _loop.RunOnce(10);
        }
    }

    private static byte[] Frame(int n, int length = 4096)
    {
        var f = new byte[length];
        for (int i = 0; i < f.Length; i++) f[i] = (byte)(n * 31 + i);
        return f;
    }

    /// <summary>A JFIF MJPG frame: SOI, APP0 "JFIF", then a second APP0 further in, then filler.</summary>
    private static byte[] Jpeg(int n)
    {
        var f = Frame(n, 2048);
        byte[] head = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0 };
        head.CopyTo(f, 0);
        for (int i = head.Length; i < f.Length; i++) if (f[i] == 0xFF) f[i] = 0xFE;
        f[40] = 0xFF;
        f[41] = 0xE0;
        return f;
    }

    private sealed class TapRecorder : Fmp4Streamer.Streaming.ICameraFrameSink
    {
        public readonly List<(byte[] Data, Fmp4Streamer.Streaming.CameraFrameFormat Format, int Width, int Height, int Stride, long TimestampUs)> Frames = new();
        public void OnCameraFrame(in Fmp4Streamer.Streaming.CameraFrame frame) =>
            Frames.Add((frame.Data.ToArray(), frame.Format, frame.Width, frame.Height, frame.Stride, frame.CaptureTimeUs));
    }

    [Test]
    public void TheCamerasOwnFrameIsOfferedOnlyWhileASinkAsksAndStillReachesTheEncoder()
    {
        Build(false, "YUYV");
        using var source = Source("YUYV", importIntoEncoder: false);
        Assert.That(source.CameraFrameFormat, Is.EqualTo(Fmp4Streamer.Streaming.CameraFrameFormat.Yuyv));
        source.Start(_sink);
        long now = MonotonicClock.NowUs;
        _camera.Feed(Frame(1, 640 * 480 * 2), now - 3000);
        RunUntil(() => _sink.Units.Count == 1, "access unit 1");

        var tap = new TapRecorder();
        source.CameraFrameSink = tap;
        var second = Frame(2, 640 * 480 * 2);
        _camera.Feed(second, now - 2000);
        RunUntil(() => _sink.Units.Count == 2, "access unit 2");
        source.CameraFrameSink = null;
        _camera.Feed(Frame(3, 640 * 480 * 2), now - 1000);
        RunUntil(() => _sink.Units.Count == 3, "access unit 3");

        Assert.That(tap.Frames, Has.Count.EqualTo(1), "only the frame captured while the sink was set");
        var f = tap.Frames[0];
        Assert.That((f.Format, f.Width, f.Height, f.Stride, f.TimestampUs),
            Is.EqualTo((Fmp4Streamer.Streaming.CameraFrameFormat.Yuyv, 640, 480, 1280, now - 2000)));
        Assert.That(f.Data, Is.EqualTo(second));
        Assert.That(_encoder.Inputs.Select(i => i.Copied).ElementAt(1), Is.EqualTo(second), "the encoder got the tapped frame too");
    }

    [TestCaseSource(nameof(Planarity))]
    public void YuyvThroughAnEncoderCopiesEachFrameOnceAndCarriesTimestamps(bool multiPlanar)
    {
        Build(multiPlanar, "YUYV");
        using var source = Source("YUYV", importIntoEncoder: false);
        source.Start(_sink);
        Assert.That(_camera.Current, Is.EqualTo((V4L2_PIX_FMT_YUYV, 640, 480, 30)));
        Assert.That((_encoder.Output.FourCc, _encoder.Output.Width, _encoder.Output.Height), Is.EqualTo((V4L2_PIX_FMT_YUYV, 640, 480)));
        Assert.That(_encoder.Capture.FourCc, Is.EqualTo(V4L2_PIX_FMT_H264));
        Assert.That(_encoder.Output.Memory, Is.EqualTo(V4L2_MEMORY_MMAP));
        Assert.That(source.Encoder!.IsMultiPlanar, Is.EqualTo(multiPlanar));
        Assert.That(source.Encoder.OutputBufferCount, Is.EqualTo(6));

        long now = MonotonicClock.NowUs;
        var frames = new[] { Frame(1), Frame(2), Frame(3) };
        for (int i = 0; i < frames.Length; i++)
        {
            _camera.Feed(frames[i], now - 3000 + i * 1000);
            RunUntil(() => _sink.Units.Count == i + 1, $"access unit {i + 1}");
        }

        Assert.That(_sink.Units.Select(u => u.Data), Is.All.EqualTo(Encoded));
        Assert.That(_sink.Units.Select(u => u.TimestampUs), Is.EqualTo(new[] { now - 3000, now - 2000, now - 1000 }));
        Assert.That(_encoder.Inputs.Select(i => i.Copied), Is.EqualTo(frames), "the encoder read the camera's bytes from its own buffers");
        Assert.That(_encoder.Inputs.Select(i => i.ImportedFd), Is.All.EqualTo(-1));
        Assert.That(_camera.QueuedCount, Is.EqualTo(_camera.BufferCount), "camera buffers go back at once after the copy");
        Assert.That(source.FramesDelivered, Is.EqualTo(3));
    }

    [TestCaseSource(nameof(Planarity))]
    public void DmabufInputImportsTheCameraBufferAndHoldsItUntilTheEncoderReturnsIt(bool multiPlanar)
    {
        Build(multiPlanar, "YUYV");
        using var source = Source("YUYV", importIntoEncoder: true);
        source.Start(_sink);
        Assert.That(_encoder.Output.Memory, Is.EqualTo(V4L2_MEMORY_DMABUF));

        var fed = new List<int>();
        long now = MonotonicClock.NowUs;
        for (int i = 0; i < 4; i++)
        {
            int index = _camera.Feed(Frame(i), now - 5000 + i);
            fed.Add(index);
            RunUntil(() => _sink.Units.Count == i + 1, $"access unit {i + 1}");
        }

        Assert.That(_encoder.Inputs.Select(i => i.Copied), Is.All.Null, "no copy");
        var imported = _encoder.Inputs.Select(i => _io.Exported[i.ImportedFd]).ToList();
        Assert.That(imported.Select(e => e.Device), Is.All.SameAs(_camera), "the camera's exported buffers");
        Assert.That(imported.Select(e => (int)e.Index), Is.EqualTo(fed), "buffer by buffer");
        Assert.That(_sink.Units.Select(u => u.TimestampUs), Is.EqualTo(new[] { now - 5000, now - 4999, now - 4998, now - 4997 }));
        RunUntil(() => _camera.QueuedCount == _camera.BufferCount, "camera buffers back after the encoder released them");
    }

    [TestCaseSource(nameof(Planarity))]
    public void EachCameraBufferIsImportedIntoTheSameOutputBufferEveryTime(bool multiPlanar)
    {
        // So the driver keeps each OUTPUT buffer's dmabuf attachment instead of mapping a new one per frame.
        Build(multiPlanar, "YUYV");
        using var source = Source("YUYV", importIntoEncoder: true);
        source.Start(_sink);
        long now = MonotonicClock.NowUs;
        int fed = 0;
        // Rounds of one, two and three frames in flight, so OUTPUT buffers come back in changing groups.
        for (int round = 0; round < 9; round++)
        {
            _encoder.Paused = true;
            for (int k = 0; k <= round % 3; k++, fed++)
            {
                _camera.Feed(Frame(fed), now - 50_000 + fed);
                int queued = fed + 1 - _sink.Units.Count;
                RunUntil(() => _encoder.Output.Queued.Count == queued, "the import queued");
            }
            _encoder.Paused = false;
            _encoder.Kick();
            RunUntil(() => _sink.Units.Count == fed, $"access unit {fed}");
        }
        var pairs = _encoder.Inputs.Select(i => ((int)_io.Exported[i.ImportedFd].Index, i.OutputIndex)).Distinct().ToList();
        Assert.That(pairs.Select(p => p.Item1).Distinct().Count(), Is.GreaterThan(1), "several camera buffers took part");
        Assert.That(pairs.Select(p => p.Item1), Is.Unique, $"one OUTPUT buffer per camera buffer: {string.Join(", ", pairs)}");
    }

    [Test]
    public void AnImportedCameraBufferStaysHeldWhileTheEncoderStillReadsIt()
    {
        Build(true, "YUYV");
        using var source = Source("YUYV", importIntoEncoder: true);
        source.Start(_sink);
        _encoder.Paused = true; // the encoder has not read the OUTPUT buffer yet
        int before = _camera.BufferCount;
        _camera.Feed(Frame(1), MonotonicClock.NowUs);
        RunUntil(() => _encoder.Output.Queued.Count == 1, "the import queued on the encoder");
        _loop.RunOnce(0);
        Assert.That(_camera.QueuedCount, Is.EqualTo(before - 1), "held by the encoder, not requeued");
        _encoder.Paused = false;
        _encoder.Kick();
        RunUntil(() => _sink.Units.Count == 1, "the frame once the encoder ran");
        RunUntil(() => _camera.QueuedCount == before, "the camera buffer given back");
    }

    /// <summary>Pauses <paramref name="stage"/> and feeds <paramref name="frames"/>, each consumed by the chain before the next.</summary>
    private void FeedWhileBusy(SimulatedM2MDevice stage, IEnumerable<byte[]> frames)
    {
        stage.Paused = true;
        foreach (var f in frames)
        {
            _camera.Feed(f, MonotonicClock.NowUs);
            RunUntil(() => _camera.QueuedCount == _camera.BufferCount, "camera frame consumed");
        }
    }

    [Test]
    public void FramesArrivingWhileEveryOutputBufferIsBusyAreDroppedAndTheCameraKeepsItsBuffers()
    {
        Build(false, "YUYV");
        using var source = Source("YUYV", importIntoEncoder: false);
        source.Start(_sink);
        FeedWhileBusy(_encoder, Enumerable.Range(0, 8).Select(i => Frame(i)));
        Assert.That(source.Encoder!.DroppedInputs, Is.EqualTo(2), "6 OUTPUT buffers, 8 frames");
        Assert.That(_encoder.Output.Queued, Has.Count.EqualTo(6));

        _encoder.Paused = false;
        _encoder.Kick();
        RunUntil(() => _sink.Units.Count == 6, "the six queued frames encoded");
        _camera.Feed(Frame(9), MonotonicClock.NowUs);
        RunUntil(() => _sink.Units.Count == 7, "a new frame once OUTPUT buffers came back");
        Assert.That(_encoder.Inputs[^1].Copied, Is.EqualTo(Frame(9)));
    }

    /// <summary>An Annex-B access unit: one IDR or non-IDR slice NAL whose payload tells frames apart.</summary>
    private static byte[] H264Frame(int n, bool idr) =>
        [0, 0, 0, 1, (byte)(idr ? 0x65 : 0x41), 0x88, (byte)(n + 1), 0x10, (byte)(n * 7 + 3), 0x80];

    [Test]
    public void AnInterCodedDecoderInputSkipsToTheNextKeyFrameAfterADropAndAsksTheCameraForOne()
    {
        Build(false, "H264");
        _decoder.OutputFormats.Add(V4L2_PIX_FMT_H264);
        using var source = Source("H264", importIntoEncoder: true, withDecoder: true);
        source.Start(_sink);
        var forceKeyFrame = _camera.Control(V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME);
        int writesBefore = forceKeyFrame.Writes;

        // Six OUTPUT buffers take the IDR and five P frames; the 7th frame is lost, so the 8th (a P frame predicted
        // from it) must not reach the decoder either.
        FeedWhileBusy(_decoder, Enumerable.Range(0, 8).Select(i => H264Frame(i, idr: i == 0)));
        Assert.That(source.Decoder!.DroppedInputs, Is.EqualTo(2), "the lost frame and the P frame after it");
        Assert.That(forceKeyFrame.Writes - writesBefore, Is.EqualTo(1), "one key frame asked of the camera per loss");

        _decoder.Paused = false;
        _decoder.Kick();
        _camera.Feed(H264Frame(8, idr: false), MonotonicClock.NowUs);
        RunUntil(() => _camera.QueuedCount == _camera.BufferCount, "P frame 8 consumed");
        _camera.Feed(H264Frame(9, idr: true), MonotonicClock.NowUs);
        RunUntil(() => _decoder.Inputs.Count == 7, "the IDR after the loss decoded");
        Assert.That(source.Decoder.DroppedInputs, Is.EqualTo(3), "P frame 8 still depends on the lost frame");
        Assert.That(_decoder.Inputs[^1].Copied, Is.EqualTo(H264Frame(9, idr: true)));
        RunUntil(() => _decoder.Output.Queued.Count == 0 && _sink.Units.Count == 7, "the chain idle again");
        _camera.Feed(H264Frame(10, idr: false), MonotonicClock.NowUs);
        RunUntil(() => _decoder.Inputs.Count == 8, "P frames flow again after the IDR");
    }

    // MJPG frames stand alone; FWHT frames predict, but without key-frame flags the next key frame cannot be told, and
    // waiting for it would starve the decoder.
    [TestCase("MJPG")]
    [TestCase("FWHT")]
    public void ADecoderInputIsNotHeldBackAfterADropWhenItsKeyFramesCannotMatter(string format)
    {
        Build(false, format);
        uint fourcc = FourCc.Parse(format);
        if (!_camera.Formats.Exists(f => f.FourCc == fourcc)) _camera.Formats.Add(new SimulatedV4l2Driver.SimFormat(fourcc, format, new[] { (640, 480) }));
        if (!_decoder.OutputFormats.Contains(fourcc)) _decoder.OutputFormats.Add(fourcc);
        using var source = Source(format, importIntoEncoder: true, withDecoder: true);
        source.Start(_sink);
        var forceKeyFrame = _camera.Control(V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME);
        int writesBefore = forceKeyFrame.Writes;

        FeedWhileBusy(_decoder, Enumerable.Range(0, 7).Select(Jpeg));
        Assert.That(source.Decoder!.DroppedInputs, Is.EqualTo(1));

        _decoder.Paused = false;
        _decoder.Kick();
        _camera.Feed(Jpeg(7), MonotonicClock.NowUs);
        RunUntil(() => _decoder.Inputs.Count == 7, "the next frame decoded");
        Assert.That(forceKeyFrame.Writes, Is.EqualTo(writesBefore), "no key frame asked for");
    }

    [TestCaseSource(nameof(Planarity))]
    public void MjpgThroughDecoderAndEncoderPatchesApp0AndImportsTheDecodedFrames(bool multiPlanar)
    {
        Build(multiPlanar, "MJPG");
        using var source = Source("MJPG", importIntoEncoder: true, withDecoder: true);
        source.Start(_sink);
        Assert.That((_decoder.Output.FourCc, _decoder.Capture.FourCc), Is.EqualTo((V4L2_PIX_FMT_MJPEG, V4L2_PIX_FMT_NV12)));
        Assert.That(_decoder.Output.SizeImage, Is.EqualTo(_camera.BufferSize), "decoder input sizeimage from the camera's");
        Assert.That(_encoder.Output.FourCc, Is.EqualTo(V4L2_PIX_FMT_NV12));
        Assert.That(_decoder.SourceChangeSubscribed, Is.True);

        long now = MonotonicClock.NowUs;
        var jpeg = Jpeg(1);
        _camera.Feed(jpeg, now - 777);
        RunUntil(() => _sink.Units.Count == 1, "the encoded frame");

        var read = _decoder.Inputs.Single().Copied!;
        Assert.That((read[3], read[41]), Is.EqualTo(((byte)0xE4, (byte)0xE4)), "APP0 → APP4 in both windows");
        Assert.That(read.AsSpan(4, 36).ToArray(), Is.EqualTo(jpeg.AsSpan(4, 36).ToArray()));
        var (device, bufType, _) = _io.Exported[_encoder.Inputs.Single().ImportedFd];
        Assert.That(device, Is.SameAs(_decoder), "the encoder imports the decoder's CAPTURE buffer");
        Assert.That(bufType, Is.EqualTo(multiPlanar ? V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE : V4L2_BUF_TYPE_VIDEO_CAPTURE));
        Assert.That(_sink.Units.Single().TimestampUs, Is.EqualTo(now - 777), "timestamp through both stages");
    }

    [Test]
    public void KeyFrameRequestsGoToTheEncoder()
    {
        Build(true, "YUYV");
        using var source = Source("YUYV", importIntoEncoder: false);
        source.Start(_sink);
        source.RequestKeyFrame();
        source.RequestKeyFrame();
        Assert.That(_encoder.KeyFrameRequests, Is.EqualTo(2));
        Assert.That(_camera.IoctlLog, Does.Not.Contain("VIDIOC_S_CTRL"), "not the camera's FORCE_KEY_FRAME");
    }

    [Test]
    public void StopSendsTheStopCommandsAndReleasesEverything()
    {
        Build(true, "MJPG");
        using var source = Source("MJPG", importIntoEncoder: true, withDecoder: true);
        source.Start(_sink);
        _camera.Feed(Jpeg(2), MonotonicClock.NowUs);
        RunUntil(() => _sink.Units.Count == 1, "a frame");
        source.Stop();
        Assert.That((_encoder.EncoderStops, _decoder.DecoderStops), Is.EqualTo((1, 1)));
        int encStop = _encoder.IoctlLog.IndexOf("VIDIOC_ENCODER_CMD");
        Assert.That(_encoder.IoctlLog.IndexOf("VIDIOC_STREAMOFF", encStop), Is.GreaterThan(encStop), "stop command before STREAMOFF");
        Assert.That((_camera.OpenFdCount, _encoder.OpenFdCount, _decoder.OpenFdCount), Is.EqualTo((0, 0, 0)), "open fds");
        Assert.That((_camera.LiveMappingCount, _encoder.LiveMappingCount, _decoder.LiveMappingCount), Is.EqualTo((0, 0, 0)), "mappings");

        source.Start(_sink);
        _camera.Feed(Jpeg(3), MonotonicClock.NowUs);
        RunUntil(() => _sink.Units.Count == 2, "a frame after restarting");
    }

    [Test]
    public void ASourceChangeReallocatesTheDecoderCaptureQueueAndFramesKeepFlowing()
    {
        Build(true, "MJPG");
        using var source = Source("MJPG", importIntoEncoder: true, withDecoder: true);
        source.Start(_sink);
        _camera.Feed(Jpeg(1), MonotonicClock.NowUs);
        RunUntil(() => _sink.Units.Count == 1, "a frame");

        _decoder.RaiseSourceChange(640, 480);
        RunUntil(() => source.Decoder!.SourceChanges == 1, "the source change handled");
        Assert.That(_decoder.Capture.Allocations, Is.EqualTo(2), "CAPTURE buffers allocated again");
        Assert.That(_decoder.IoctlLog, Does.Contain("VIDIOC_DQEVENT"));

        _camera.Feed(Jpeg(2), MonotonicClock.NowUs);
        RunUntil(() => _sink.Units.Count == 2, "a frame after the source change");
        var (device, _, _) = _io.Exported[_encoder.Inputs[^1].ImportedFd];
        Assert.That(device, Is.SameAs(_decoder));
    }

    [Test]
    public void ASourceChangeProposingAnotherPixelFormatGetsTheConfiguredOneBack()
    {
        // vicodec does this for real: a YUYV-coded stream is proposed as 422P after the first header.
        Build(true, "MJPG");
        using var source = Source("MJPG", importIntoEncoder: true, withDecoder: true);
        source.Start(_sink);
        _decoder.RaiseSourceChange(640, 480, FourCc.Parse("YU12"));
        RunUntil(() => source.Decoder!.SourceChanges == 1, "the source change handled");
        Assert.That(_sink.Interruptions, Is.Empty);
        Assert.That(FourCc.ToText(source.Decoder!.CaptureFormat.PixelFormat), Is.EqualTo("NV12"));
        Assert.That(FourCc.ToText(_decoder.Capture.FourCc), Is.EqualTo("NV12"), "S_FMT on CAPTURE before the new buffers");
        _camera.Feed(Jpeg(2), MonotonicClock.NowUs);
        RunUntil(() => _sink.Units.Count == 1, "a frame after the source change");
    }

    [Test]
    public void AnEpipeFromTheDecodersLastBufferIsASourceChangeNotAFailure()
    {
        Build(true, "MJPG");
        using var source = Source("MJPG", importIntoEncoder: true, withDecoder: true);
        source.Start(_sink);
        _decoder.RaiseSourceChangeAfterLastBuffer(640, 480);
        RunUntil(() => source.Decoder!.SourceChanges == 1, "the source change found after EPIPE");
        Assert.That(_sink.Interruptions, Is.Empty);
        _camera.Feed(Jpeg(5), MonotonicClock.NowUs);
        RunUntil(() => _sink.Units.Count == 1, "a frame after the source change");
    }

    [Test]
    public void ASourceChangeToAnotherSizeFailsTheChainWhichIsRetried()
    {
        Build(true, "MJPG");
        using var source = Source("MJPG", importIntoEncoder: true, withDecoder: true);
        source.Start(_sink);
        _decoder.RaiseSourceChange(320, 240);
        RunUntil(() => _sink.Interruptions.Count == 1, "the chain failing");
        Assert.That(_sink.Interruptions[0], Does.Contain("the decoded stream changed to"));
        Assert.That(source.IsWaitingForDevice, Is.True, "released, reopening with back-off");
        Assert.That((_camera.OpenFdCount, _encoder.OpenFdCount, _decoder.OpenFdCount), Is.EqualTo((0, 0, 0)));
    }

    [Test]
    public void AnEncoderThatCannotTakeTheFormatIsAStartUpError()
    {
        Build(true, "YUYV");
        _encoder.OutputFormats.Remove(V4L2_PIX_FMT_YUYV);
        using var source = Source("YUYV", importIntoEncoder: false);
        var e = Assert.Throws<V4l2Exception>(() => source.Probe());
        Assert.That(e!.Message, Does.StartWith($"{EncoderPath}: YUYV input format not available"));
        Assert.That((_camera.OpenFdCount, _encoder.OpenFdCount), Is.EqualTo((0, 0)));
    }

    [Test]
    public void ACameraNodeIsNotAnEncoder()
    {
        Build(false, "YUYV");
        var io = new SimulatedLinuxIo(_camera);
        using var source = new CameraSource(_loop, io, new CameraOptions(_camera.Path, 640, 480, 30, "YUYV", Array.Empty<ControlSetting>())
        {
            Encoder = new M2MStageOptions(_camera.Path, M2MRole.Encoder, "YUYV", "H264", false, Array.Empty<ControlSetting>()),
        });
        var e = Assert.Throws<V4l2Exception>(() => source.Probe());
        Assert.That(e!.Message, Does.Contain("is not a memory-to-memory device usable as an encoder"));
    }
}
