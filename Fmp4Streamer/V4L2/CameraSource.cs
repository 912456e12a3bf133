using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.V4L2.M2M;
using Fmp4Streamer.V4L2.Uvc;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.V4L2;

/// <summary>
/// A V4L2 camera that delivers H264 (directly, muxed into MJPG by a UVC 1.5 camera: MJPGH264, or YUYV/MJPG/JPEG
/// turned into H264 by an M2M [decoder →] encoder chain, each stage an <see cref="M2MStage"/> on the same loop) as an
/// <see cref="IVideoSource"/> on the event loop. Start opens the device,
/// applies the controls, sets format and rate, maps buffers and streams; Stop releases everything (closing the node
/// lets other programs use the camera, and controls that drivers forget are applied again on the next start). A
/// device that is missing, vanishes (ENODEV/EIO) or stops delivering frames is released and reopened with back-off;
/// this is the one place that decides to retry.
/// </summary>
public sealed class CameraSource : IVideoSource, ICameraFrameOffer, IPollable, ITimerCallback, IDeferredCallback, IFrameReceiver, IM2MStageOwner
{
    private readonly EventLoop _loop;
    private readonly ILinuxIo _io;
    private readonly CameraOptions _options;
    private readonly uint _pixelFormat;
    private readonly string _component;
    private readonly LoopTimer _retryTimer;
    private readonly LoopTimer _watchdogTimer;
    private readonly Deferral _deferredRelease;
    private readonly HashSet<string> _loggedWarnings = new();
    private readonly List<ControlSetting> _v4l2Controls = new();
    private readonly List<ControlSetting> _uvcxControls = new();
    private readonly MjpegH264Demuxer? _demuxer;
    private readonly M2MStage? _decoder;
    private readonly M2MStage? _encoder;
    private readonly CameraFrameTap _tap;

    private IAccessUnitSink? _sink;
    private VideoDevice? _device;
    private Controls? _controls;
    private BufferQueue? _queue;
    private int _registeredFd = -1;
    private int _encoderFd = -1;
    private int _decoderFd = -1;
    private long _retryDelayUs;
    private long _lastFrameUs;
    private bool _interrupted;
    private string? _lastFailure;
    private bool _keyFrameWarned;
    private bool _rearmPoll;
    private bool _inDrain;
    private UvcExtensions? _uvc;
    private int _framesWithoutPayload;
    private string? _payloadFailure;

    /// <summary>Throws <see cref="V4l2Exception"/> for a capture_format this build cannot stream.</summary>
    public CameraSource(EventLoop loop, ILinuxIo io, CameraOptions options)
    {
        _loop = loop;
        _io = io;
        _options = options;
        _pixelFormat = CaptureFourCc(options);
        if (options.PixelFormat == MjpgH264) _demuxer = new MjpegH264Demuxer();
        // The configuration decides whether a chain is used (an H264 camera has one only to be re-encoded).
        if (options.Encoder is M2MStageOptions encoder && _demuxer is null)
        {
            _encoder = new M2MStage(io, encoder, this);
            if (options.Decoder is M2MStageOptions decoder) _decoder = new M2MStage(io, decoder, this);
        }
        foreach (var c in options.Controls) (UvcExtensions.IsUvcxKey(c.Key) ? _uvcxControls : _v4l2Controls).Add(c);
        _component = "V4L2 " + DeviceName(options.DevicePath);
        _retryTimer = new LoopTimer(loop, this);
        _watchdogTimer = new LoopTimer(loop, this);
        _deferredRelease = new Deferral(loop, this);
        _retryDelayUs = Microseconds(options.RetryInitial);
        _tap = new CameraFrameTap(this);
        CameraFrameFormat = OfferedFormat(_encoder is not null || options.PicturesOnly, _pixelFormat);
    }

    public string Description => _encoder is null
        ? _options.PicturesOnly
            ? $"{_options.DevicePath} {_options.PixelFormat} {_options.Width}x{_options.Height}@{_options.Fps} (pictures only)"
            : $"{_options.DevicePath} {(_demuxer is null ? "H264" : MjpgH264)} {_options.Width}x{_options.Height}@{_options.Fps}"
        : $"{_options.DevicePath} {_options.PixelFormat} {_options.Width}x{_options.Height}@{_options.Fps}" +
          (_decoder is null ? "" : $" → {_decoder.Options.DevicePath}") + $" → {_encoder.Options.DevicePath} H264";

    /// <summary>No encoder behind an MJPG/JPEG/YUYV/NV12 camera: its frames serve pictures only.</summary>
    public bool PicturesOnly => _options.PicturesOnly;

    /// <summary>The encoder stage of a YUYV/MJPG/JPEG chain (null for H264 cameras).</summary>
    public M2MStage? Encoder => _encoder;

    /// <summary>The decoder stage of an MJPG/JPEG chain, if configured.</summary>
    public M2MStage? Decoder => _decoder;

    public int FramesPerSecond => _options.Fps;

    public CameraOptions Options => _options;

    /// <summary>The open camera while streaming (controls can be read and set through it), else null.</summary>
    internal VideoDevice? Device => _device;

    /// <summary>
    /// A control value changed while running: applied again on every later open (drivers forget values when closed).
    /// </summary>
    public void RememberControl(ControlSetting setting) =>
        ControlSettingList.Remember(UvcExtensions.IsUvcxKey(setting.Key) ? _uvcxControls : _v4l2Controls, setting);

    /// <summary>The V4L2 controls applied at each open: the section's, then the ones changed since.</summary>
    public IReadOnlyList<ControlSetting> ControlSettings => _v4l2Controls;

    public bool IsStreaming => _queue?.IsStreaming ?? false;

    /// <summary>True while the device is released and a reopen is scheduled.</summary>
    public bool IsWaitingForDevice => _retryTimer.IsActive;

    public long FramesDelivered { get; private set; }

    /// <summary>MJPGH264 frames dropped because their H.264 payload was truncated or corrupt.</summary>
    public long CorruptFrames { get; private set; }

    /// <summary>Frames the driver dropped in the current streaming session (sequence gaps).</summary>
    public long DroppedFrames => _queue?.DroppedFrames ?? 0;

    /// <summary>The negotiated format of the current (or last) open.</summary>
    public VideoFormat Format { get; private set; }

    /// <summary>
    /// Checks the configuration against the device once at start-up: open, QUERYCAP, controls, format, rate, then
    /// close. Throws <see cref="V4l2Exception"/> for what no retry fixes (exit 3). A missing or busy device is logged
    /// and returns false: streaming will wait for it.
    /// </summary>
    public bool Probe()
    {
        try
        {
            using var device = VideoDevice.Open(_io, _options.DevicePath);
            Negotiate(device);
            if (_encoder is not null)
            {
                try { OpenChain(); }
                finally { StopChain(); }
            }
            return true;
        }
        catch (LinuxException e)
        {
            Log.Warning(_component, $"{e.Message}; will keep trying when streaming starts");
            return false;
        }
    }

    public void Start(IAccessUnitSink sink)
    {
        _deferredRelease.Cancel();
        bool wasStarted = _sink is not null || _device is not null;
        _sink = sink;
        if (wasStarted) return;
        _retryDelayUs = Microseconds(_options.RetryInitial);
        _interrupted = false;
        TryOpen();
    }

    public void Stop()
    {
        _sink = null;
        _retryTimer.Stop();
        _interrupted = false;
        // Called from inside OnAccessUnit: the frame's span points into a mapping, so unmap after the dispatch.
        if (_inDrain) _deferredRelease.Schedule();
        else Release();
    }

    /// <summary>
    /// An IDR through the UVC H.264 unit's PICTURE_TYPE_CONTROL where the camera has one (compatibility §7), else VIDIOC_S_CTRL
    /// FORCE_KEY_FRAME where the device has it; a device without either starts with one anyway.
    /// </summary>
    public void RequestKeyFrame()
    {
        if (_options.PicturesOnly) return; // every MJPG or raw frame stands alone
        if (_encoder is not null)
        {
            if (_queue is null || !_queue.IsStreaming) return;
            var warnings = new List<string>(0);
            _encoder.RequestKeyFrame(warnings);
            foreach (var w in warnings) Log.Warning(_component, w);
            return;
        }
        RequestCameraKeyFrame();
    }

    /// <summary>A key frame from the camera itself (not from an encoder behind it).</summary>
    private void RequestCameraKeyFrame()
    {
        if (_controls is null || _queue is null || !_queue.IsStreaming) return;
        if (_uvc?.H264 is UvcH264Extension h264)
        {
            int idrErr = h264.RequestIdr();
            if (idrErr != 0 && !_keyFrameWarned)
            {
                _keyFrameWarned = true;
                Log.Warning(_component, $"can't request an IDR through the UVC H.264 extension unit: {LinuxError.Name(idrErr)}");
            }
            return;
        }
        var c = _controls.FindById(V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME);
        if (c is null) return;
        int err = _controls.Write(c, 0);
        if (err != 0 && !_keyFrameWarned)
        {
            _keyFrameWarned = true;
            Log.Warning(_component, $"can't request a key frame: {LinuxError.Name(err)}");
        }
    }

    void IPollable.OnPoll(int events)
    {
        var queue = _queue;
        if (queue is null) return;
        try
        {
            _inDrain = true;
            int delivered;
            IFrameReceiver first = _decoder ?? _encoder ?? (IFrameReceiver)this;
            // The camera's own frame is looked at only while an output asks for it.
            if (CameraFrameSink is not null && _encoder is not null) first = _tap;
            try { delivered = queue.Drain(first); }
            finally { _inDrain = false; }
            if (_deferredRelease.IsScheduled) return;
            if (_payloadFailure is string failure)
            {
                _payloadFailure = null;
                Fail(failure, error: true);
                return;
            }
            if (_rearmPoll && _queue == queue) Rearm();
            if (_encoder is not null) return; // the camera's frames go to the chain; the encoder's output counts
            if (delivered == 0 && _queue == queue && (events & (Tmds.Linux.LibC.EPOLLERR | Tmds.Linux.LibC.EPOLLHUP)) != 0)
                Fail($"{_options.DevicePath} reported an error (EPOLLERR/EPOLLHUP)", error: false);
        }
        catch (LinuxException e)
        {
            Fail(e.Message, error: false);
        }
    }

    void IFrameReceiver.OnFrame(in CapturedFrame frame)
    {
        _lastFrameUs = _loop.NowUs;
        ReadOnlySpan<byte> accessUnit = frame.Data;
        if (_demuxer is not null && !TryDemux(frame.Data, out accessUnit)) return;
        if (_lastFailure is not null || _interrupted)
        {
            Log.Info(_component, "streaming again");
            _lastFailure = null;
            _interrupted = false;
            _retryDelayUs = Microseconds(_options.RetryInitial);
        }
        FramesDelivered++;
        if (_options.PicturesOnly)
        {
            // No H264 to deliver: the frame is only shown to the picture output, while it asks.
            ShowCameraFrame(frame);
            return;
        }
        if (_encoder is null)
        {
            _sink?.OnAccessUnit(accessUnit, frame.TimestampUs);
            return;
        }
        // From the encoder's poll: a Stop from inside the sink must not unmap the buffer under the caller's span.
        bool nested = _inDrain;
        _inDrain = true;
        try { _sink?.OnAccessUnit(accessUnit, frame.TimestampUs); }
        finally { _inDrain = nested; }
    }

    /// <summary>The camera's frames in front of an encoder chain (MJPG, JPEG, YUYV or NV12); none for H264 cameras.</summary>
    public CameraFrameFormat? CameraFrameFormat { get; }

    private static CameraFrameFormat? OfferedFormat(bool chain, uint pixelFormat) => !chain ? null : FourCc.ToText(pixelFormat) switch
    {
        "MJPG" or "JPEG" => Streaming.CameraFrameFormat.Mjpeg,
        "YUYV" => Streaming.CameraFrameFormat.Yuyv,
        "NV12" => Streaming.CameraFrameFormat.Nv12,
        _ => null,
    };

    public ICameraFrameSink? CameraFrameSink { get; set; }

    /// <summary>The camera's own frame to the sink, if one is set.</summary>
    private void ShowCameraFrame(in CapturedFrame frame)
    {
        if (CameraFrameSink is not { } sink || CameraFrameFormat is not { } format || frame.Data.Length == 0) return;
        var f = Format;
        int stride = format switch
        {
            Streaming.CameraFrameFormat.Yuyv => Math.Max(f.Width * 2, frame.Data.Length / Math.Max(1, f.Height)),
            Streaming.CameraFrameFormat.Nv12 => Math.Max(f.Width, frame.Data.Length * 2 / Math.Max(1, 3 * f.Height)),
            _ => 0,
        };
        sink.OnCameraFrame(new CameraFrame(frame.Data, format, f.Width, f.Height, stride, frame.TimestampUs));
    }

    /// <summary>Shows each camera frame to the sink, then passes it on to the chain's first stage.</summary>
    private sealed class CameraFrameTap(CameraSource camera) : IFrameReceiver
    {
        public void OnFrame(in CapturedFrame frame)
        {
            camera.ShowCameraFrame(frame);
            (camera._decoder ?? (IFrameReceiver)camera._encoder!).OnFrame(frame);
        }
    }

    void IDeferredCallback.OnDeferred(Deferral deferral)
    {
        if (_sink is null) Release();
    }

    void IM2MStageOwner.OnStageFailed(string reason) => Fail(reason, error: false);

    // Only a decoder asks, and a decoder's upstream is the camera.
    void IM2MStageOwner.OnStageNeedsKeyFrame() => RequestCameraKeyFrame();

    /// <summary>Opens the decoder (camera format in, sizeimage included) then the encoder (the decoder's format in).</summary>
    private void OpenChain()
    {
        var warnings = new List<string>();
        try
        {
            var upstream = Format;
            if (_decoder is not null)
            {
                _decoder.Open(upstream, warnings);
                upstream = _decoder.CaptureFormat;
            }
            _encoder!.Open(upstream, warnings);
        }
        finally
        {
            foreach (var w in warnings)
                if (_loggedWarnings.Add(w)) Log.Warning(_component, w);
        }
    }

    private void StartChain(BufferQueue cameraQueue)
    {
        var encoder = _encoder!;
        encoder.Start(_decoder?.CaptureQueue ?? cameraQueue, this);
        _loop.Add(encoder.Fd, M2MStage.PollEvents, encoder);
        _encoderFd = encoder.Fd;
        if (_decoder is null) return;
        _decoder.Start(cameraQueue, encoder);
        _loop.Add(_decoder.Fd, M2MStage.PollEvents, _decoder);
        _decoderFd = _decoder.Fd;
    }

    /// <summary>Encoder first: it may hold the decoder's buffers; each stage sends its stop command, then STREAMOFF.</summary>
    private void StopChain()
    {
        if (_encoderFd >= 0) _loop.Remove(_encoderFd);
        if (_decoderFd >= 0) _loop.Remove(_decoderFd);
        _encoderFd = -1;
        _decoderFd = -1;
        _encoder?.Stop();
        _decoder?.Stop();
    }

    /// <summary>
    /// The H.264 access unit inside an MJPG frame (compatibility §7). A damaged payload drops the frame; frames that keep
    /// arriving without any payload mean the camera is not muxing, which no retry of ours fixes: that fails the device
    /// with an error (after the drain, through <see cref="_payloadFailure"/>).
    /// </summary>
    private bool TryDemux(ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> accessUnit)
    {
        var status = _demuxer!.Demux(frame, out accessUnit);
        if (status == MjpegH264Status.Ok)
        {
            _framesWithoutPayload = 0;
            return true;
        }
        if (status is MjpegH264Status.Truncated or MjpegH264Status.Corrupt)
        {
            if (CorruptFrames++ == 0) Log.Warning(_component, $"dropping MJPG frames whose H.264 payload is {(status == MjpegH264Status.Truncated ? "truncated" : "corrupt")}");
            return false;
        }
        if (++_framesWithoutPayload == NoPayloadFramesBeforeFailing)
        {
            string what = status == MjpegH264Status.NotJpeg ? "are not JPEG" : "carry no H.264 payload (no APP4 segments)";
            _payloadFailure = $"{_options.DevicePath}: capture_format = MJPGH264, but its MJPG frames {what}: " +
                (_uvc?.H264 is null ? "the camera has no UVC H.264 extension unit to mux H.264 into MJPG" : "the camera did not mux H.264 into them") +
                "; use capture_format = H264 or MJPG with an encoder";
        }
        return false;
    }

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        if (timer == _retryTimer)
        {
            if (_sink is not null && _device is null) TryOpen();
            return;
        }
        if (_queue is null) return;
        long timeoutUs = Microseconds(_options.FrameTimeout);
        long silentUs = _loop.NowUs - _lastFrameUs;
        if (silentUs >= timeoutUs)
            Fail($"{_options.DevicePath} delivered no frame for {silentUs / 1000} ms; restarting it", error: false);
        else
            _watchdogTimer.StartAt(_lastFrameUs + timeoutUs);
    }

    private void TryOpen()
    {
        try
        {
            var device = VideoDevice.Open(_io, _options.DevicePath);
            _device = device;
            uint type = Negotiate(device);
            _queue = new BufferQueue(device, type, _options.BufferCount);
            CommitUvcConfiguration();
            if (_encoder is not null)
            {
                OpenChain();
                StartChain(_queue);
            }
            _queue.Start();
            _loop.Add(device.Fd, Tmds.Linux.LibC.EPOLLIN, this);
            _registeredFd = device.Fd;
            _lastFrameUs = _loop.NowUs;
            _watchdogTimer.Start(Microseconds(_options.FrameTimeout));
            if (Log.IsEnabled(Log.Level.Debug))
                Log.Debug(_component, $"streaming {Format} with {_queue.Count} buffers");
        }
        catch (LinuxException e)
        {
            Fail(e.Message, error: false);
        }
        catch (V4l2Exception e)
        {
            Fail(e.Message, error: true);
        }
    }

    /// <summary>
    /// v4l2loopback (0.12.x, Debian 12's) only joins the poll wait queue when nothing is readable at the time it is
    /// polled, and epoll polls with a registering table only on EPOLL_CTL_ADD. A frame already waiting at ADD time
    /// therefore leaves epoll deaf after the first drain (seen in the VM: one frame per session). Re-adding the fd
    /// after each drain, when it has just answered EAGAIN, registers it again; two syscalls per frame, this driver only.
    /// </summary>
    private void Rearm()
    {
        _loop.Remove(_registeredFd);
        _loop.Add(_registeredFd, Tmds.Linux.LibC.EPOLLIN, this);
    }

    /// <summary>QUERYCAP, controls, S_FMT, S_PARM on an open device (compatibility §2 order: controls before the format).</summary>
    private uint Negotiate(VideoDevice device)
    {
        uint type = device.RequireCapture();
        _rearmPoll = device.Capabilities!.Driver == "v4l2 loopback";
        var warnings = new List<string>();
        var controls = Controls.Enumerate(device, warnings, readValues: false);
        controls.Apply(_v4l2Controls, warnings);
        _uvc = UvcExtensions.Open(device, _options.SysfsRoot, warnings);
        _uvc.Apply(_uvcxControls, warnings, _demuxer is null ? 0 : _options.Width, _demuxer is null ? 0 : _options.Height);
        _framesWithoutPayload = 0;
        // MJPGH264: the MJPG picture is thrown away, so it is captured small to leave USB bandwidth to the H.264 (compatibility §2).
        int width = _demuxer is null ? _options.Width : MjpgH264CaptureWidth;
        int height = _demuxer is null ? _options.Height : MjpgH264CaptureHeight;
        Format = device.SetFormat(type, width, height, _pixelFormat);
        device.SetFrameRate(type, _options.Fps, warnings);
        _controls = controls;
        // Re-applied on every open; say each thing once.
        foreach (var w in warnings)
            if (_loggedWarnings.Add(w)) Log.Warning(_component, w);
        return type;
    }

    private void Fail(string reason, bool error)
    {
        Release();
        if (_sink is null) return;
        if (reason != _lastFailure)
        {
            _lastFailure = reason;
            string maxDelay = _options.RetryMax.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            string message = $"{reason}; reopening with back-off (up to {maxDelay} s)";
            if (error) Log.Error(_component, message);
            else Log.Warning(_component, message);
        }
        if (!_interrupted)
        {
            _interrupted = true;
            _sink.OnSourceInterrupted(reason);
        }
        _retryTimer.Start(_retryDelayUs);
        _retryDelayUs = Math.Min(_retryDelayUs * 2, Microseconds(_options.RetryMax));
    }

    private void Release()
    {
        _watchdogTimer.Stop();
        if (_registeredFd >= 0)
        {
            _loop.Remove(_registeredFd);
            _registeredFd = -1;
        }
        StopChain();
        _queue?.Dispose();
        _queue = null;
        _controls = null;
        _uvc = null;
        _payloadFailure = null;
        _device?.Dispose();
        _device = null;
    }

    /// <summary>The UVC H.264 unit's configuration again before each STREAMON (compatibility §7): cameras forget it when idle.</summary>
    private void CommitUvcConfiguration()
    {
        int err = _uvc?.CommitBeforeStreaming() ?? 0;
        string message = $"the UVC H.264 extension unit refused the configuration before streaming: {LinuxError.Name(err)}";
        if (err != 0 && _loggedWarnings.Add(message)) Log.Warning(_component, message);
    }

    /// <summary>
    /// H264 and MJPGH264 directly; YUYV, MJPG, JPEG (any fourcc) with an encoder (compatibility §2); MJPG, JPEG, YUYV
    /// and NV12 alone for pictures.
    /// </summary>
    private static uint CaptureFourCc(CameraOptions options)
    {
        string format = options.PixelFormat;
        if (format == "H264") return V4L2_PIX_FMT_H264;
        if (format == MjpgH264) return V4L2_PIX_FMT_MJPEG;
        if (options.Encoder is not null && format.Length == 4) return FourCc.Parse(format);
        if (options.PicturesOnly && format.Length == 4 && OfferedFormat(true, FourCc.Parse(format)) is not null) return FourCc.Parse(format);
        throw new V4l2Exception(
            $"{options.DevicePath}: capture format is not H264 or MJPGH264, please add the V4L2 M2M encoder (or decoder) devices to the config" +
            " (MJPG, JPEG, YUYV and NV12 cameras serve pictures without one)");
    }

    private static string DeviceName(string path)
    {
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true);
            if (target is not null) return System.IO.Path.GetFileName(target.FullName);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return System.IO.Path.GetFileName(path);
    }

    private const string MjpgH264 = "MJPGH264";
    private const int MjpgH264CaptureWidth = 640;
    private const int MjpgH264CaptureHeight = 480;

    /// <summary>About a third of a second of frames: cameras may send a few plain MJPG frames before the encoder runs.</summary>
    private const int NoPayloadFramesBeforeFailing = 10;

    private static long Microseconds(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;

    public void Dispose() => Stop();
}
