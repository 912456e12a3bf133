using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.V4L2.M2M;

/// <summary>
/// One V4L2 memory-to-memory device (decoder or encoder, compatibility §6) on the event loop: frames from upstream go into
/// its OUTPUT queue (<see cref="IFrameReceiver.OnFrame"/>: copy into MMAP, or import the upstream's dmabuf), and
/// what it produces is dequeued from its CAPTURE queue on readiness and handed to the next receiver (the next stage
/// or the camera source). Single- or multi-planar as the device reports. One fd, no thread: EPOLLOUT returns OUTPUT
/// buffers, EPOLLIN has CAPTURE data, EPOLLPRI a decoder's source change; every wake-up checks all three, so a
/// driver that only raises one of them for several reasons is still served.
/// </summary>
public sealed unsafe class M2MStage : IPollable, IFrameReceiver, IDisposable
{
    public static readonly int PollEvents = Tmds.Linux.LibC.EPOLLIN | Tmds.Linux.LibC.EPOLLOUT | Tmds.Linux.LibC.EPOLLPRI;

    private readonly ILinuxIo _io;
    private readonly M2MStageOptions _options;
    private readonly IM2MStageOwner _owner;
    private readonly uint _inputFourCc;
    private readonly uint _captureFourCc;
    private readonly bool _patchJpeg;
    private readonly bool _inputIsInterCoded;
    private readonly bool _inputIsH264;
    private bool _upstreamFlagsKeyFrames;
    private bool _awaitingKeyFrame;
    private long _skippedUntilKeyFrame;
    private VideoDevice? _device;
    private OutputQueue? _output;
    private BufferQueue? _capture;
    private BufferQueue? _upstream;
    private IFrameReceiver? _next;
    private uint _outputType;
    private uint _captureType;
    private bool _keyFrameWarned;
    private readonly List<ControlSetting> _controls;

    public M2MStage(ILinuxIo io, M2MStageOptions options, IM2MStageOwner owner)
    {
        _io = io;
        _options = options;
        _owner = owner;
        _inputFourCc = FourCc.Parse(options.InputFormat);
        _captureFourCc = FourCc.Parse(options.CaptureFormat);
        // Only a decoder reads the JPEG; the rewrite is for the Pi's decoder (compatibility §6).
        bool jpegInput = _inputFourCc == V4L2_PIX_FMT_MJPEG || _inputFourCc == V4L2_PIX_FMT_JPEG;
        _patchJpeg = options.Role == M2MRole.Decoder && jpegInput;
        // A decoder's compressed input other than (M)JPEG predicts frames from earlier ones (H264 from a camera being
        // re-encoded, FWHT from vicodec): one lost frame spoils every frame after it until the next key frame.
        _inputIsInterCoded = options.Role == M2MRole.Decoder && !jpegInput;
        _inputIsH264 = _inputFourCc == V4L2_PIX_FMT_H264;
        _controls = new List<ControlSetting>(options.Controls);
    }

    /// <summary>The open device while the chain runs (its controls belong to this open context), else null.</summary>
    internal VideoDevice? Device => _device;

    /// <summary>A control value changed while running: applied again on every later open.</summary>
    public void RememberControl(ControlSetting setting) => ControlSettingList.Remember(_controls, setting);

    /// <summary>The controls applied at each open: the section's, then the ones changed since.</summary>
    public IReadOnlyList<ControlSetting> ControlSettings => _controls;

    public M2MStageOptions Options => _options;

    public int Fd => _device?.Fd ?? -1;

    public bool IsMultiPlanar => _outputType == V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;

    public VideoFormat InputFormat { get; private set; }

    public VideoFormat CaptureFormat { get; private set; }

    /// <summary>The CAPTURE queue (the next stage imports its dmabufs).</summary>
    public BufferQueue? CaptureQueue => _capture;

    public int OutputBufferCount => _output?.Count ?? 0;

    /// <summary>
    /// Upstream frames dropped because every OUTPUT buffer was still with the device, and, for an inter-coded input,
    /// the frames skipped after such a drop until the next key frame.
    /// </summary>
    public long DroppedInputs => (_output?.Dropped ?? 0) + _skippedUntilKeyFrame;

    public int SourceChanges { get; private set; }

    /// <summary>
    /// Opens and configures the device: controls of its own section, S_FMT OUTPUT (size from upstream, the decoder's
    /// sizeimage from the camera's), S_FMT CAPTURE, REQBUFS on both sides, source-change subscription (decoder).
    /// </summary>
    public void Open(VideoFormat upstreamFormat, ICollection<string> warnings)
    {
        var device = VideoDevice.Open(_io, _options.DevicePath);
        _device = device;
        var caps = device.QueryCapabilities();
        if (caps.Has(V4L2_CAP_VIDEO_M2M_MPLANE))
        {
            _outputType = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
            _captureType = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
        }
        else if (caps.Has(V4L2_CAP_VIDEO_M2M))
        {
            _outputType = V4L2_BUF_TYPE_VIDEO_OUTPUT;
            _captureType = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        }
        else
        {
            throw new V4l2Exception($"{_options.DevicePath} ({caps.Card}, driver {caps.Driver}) is not a memory-to-memory device " +
                $"usable as {(_options.Role == M2MRole.Encoder ? "an encoder" : "a decoder")} (capabilities 0x{caps.Caps:x8})");
        }
        var controls = Controls.Enumerate(device, warnings, readValues: false);
        controls.Apply(_controls, warnings);

        uint inputSize = _options.Role == M2MRole.Decoder ? (uint)upstreamFormat.SizeImage : 0;
        InputFormat = SetFormat(_outputType, upstreamFormat.Width, upstreamFormat.Height, _inputFourCc, inputSize, "input");
        CaptureFormat = SetFormat(_captureType, upstreamFormat.Width, upstreamFormat.Height, _captureFourCc, 0, "capture");
        if (_options.Role == M2MRole.Decoder) Subscribe(device);

        _output = new OutputQueue(device, _outputType, _options.ImportDmabuf ? V4L2_MEMORY_DMABUF : V4L2_MEMORY_MMAP, _options.BufferCount);
        _capture = new BufferQueue(device, _captureType, _options.BufferCount);
    }

    /// <summary>STREAMON both queues; frames go to <paramref name="next"/>, inputs come from <paramref name="upstream"/>.</summary>
    public void Start(BufferQueue upstream, IFrameReceiver next)
    {
        _upstream = upstream;
        _next = next;
        _output!.Start();
        _capture!.Start();
        if (next is M2MStage stage) stage._upstream = _capture;
    }

    /// <summary>An upstream frame: into a free OUTPUT buffer, copied or imported; dropped when none is free.</summary>
    void IFrameReceiver.OnFrame(in CapturedFrame frame)
    {
        var output = _output;
        if (output is null) return;
        if (frame.IsKeyFrame) _upstreamFlagsKeyFrames = true;
        if (_awaitingKeyFrame)
        {
            if (!IsKeyFrame(frame))
            {
                _skippedUntilKeyFrame++;
                return;
            }
            _awaitingKeyFrame = false;
        }
        bool queued;
        if (output.Memory == V4L2_MEMORY_DMABUF && _upstream is BufferQueue upstream)
        {
            // The decoder reads the upstream's memory itself, so the JPEG rewrite happens there.
            if (_patchJpeg) JpegApp0Patch.Apply(upstream.Memory(frame.Index)[..frame.Data.Length]);
            queued = output.SubmitImport(upstream, frame.Index, frame.Data.Length, frame.TimestampUs);
        }
        else
        {
            queued = output.SubmitCopy(frame.Data, frame.TimestampUs, _patchJpeg);
        }
        // Waiting needs a key frame it can recognise: an upstream that flags none (vicodec's encoder) is not waited on.
        if (!queued && _inputIsInterCoded && (_inputIsH264 || _upstreamFlagsKeyFrames))
        {
            _awaitingKeyFrame = true;
            _owner.OnStageNeedsKeyFrame();
        }
    }

    /// <summary>The upstream's key-frame flag (encoders such as bcm2835-codec set it); H264 without flags: an IDR NAL.</summary>
    private bool IsKeyFrame(in CapturedFrame frame) =>
        frame.IsKeyFrame || (_inputIsH264 && H264.AnnexB.ContainsIdr(frame.Data));

    void IPollable.OnPoll(int events)
    {
        try
        {
            if (_options.Role == M2MRole.Decoder) HandleEvents();
            _output?.Reclaim();
            if (_capture is BufferQueue capture && _next is IFrameReceiver next) capture.Drain(next);
        }
        catch (LinuxException e) when (e.Errno == Tmds.Linux.LibC.EPIPE && _options.Role == M2MRole.Decoder && _capture is not null)
        {
            // The decoder's last buffer before a source change was dequeued (V4L2_BUF_FLAG_LAST) and the event raced
            // it: CAPTURE answers EPIPE until it is allocated again, which the pending event does.
            RecoverFromLastBuffer();
        }
        catch (LinuxException e)
        {
            _owner.OnStageFailed(e.Message);
        }
        catch (V4l2Exception e)
        {
            _owner.OnStageFailed(e.Message);
        }
    }

    private void RecoverFromLastBuffer()
    {
        try
        {
            int before = SourceChanges;
            HandleEvents();
            if (SourceChanges == before) _owner.OnStageFailed($"{_options.DevicePath}: the decoder ended its CAPTURE stream (EPIPE) without a source change");
        }
        catch (LinuxException e)
        {
            _owner.OnStageFailed(e.Message);
        }
        catch (V4l2Exception e)
        {
            _owner.OnStageFailed(e.Message);
        }
    }

    /// <summary>VIDIOC_S_CTRL FORCE_KEY_FRAME (encoder); a refusal is reported once.</summary>
    public void RequestKeyFrame(ICollection<string> warnings)
    {
        if (_device is null || _options.Role != M2MRole.Encoder) return;
        v4l2_control c = default;
        c.id = V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME;
        int err = _device.Ioctl(VIDIOC_S_CTRL, &c);
        if (err != 0 && !_keyFrameWarned)
        {
            _keyFrameWarned = true;
            warnings.Add($"{_options.DevicePath}: request_key_frame: failed: {LinuxError.Name(err)}");
        }
    }

    /// <summary>
    /// A decoder found the stream's real format (V4L2_EVENT_SOURCE_CHANGE): G_FMT the CAPTURE side and allocate its
    /// buffers again (the stateful decoder protocol); the next stage then imports from the new queue.
    /// </summary>
    private void HandleEvents()
    {
        var device = _device!;
        for (int i = 0; i < 16; i++)
        {
            v4l2_event ev = default;
            if (device.Ioctl(VIDIOC_DQEVENT, &ev) != 0) return;
            if (ev.type != V4L2_EVENT_SOURCE_CHANGE || (ev.u.src_change.changes & V4L2_EVENT_SRC_CH_RESOLUTION) == 0) continue;
            SourceChanges++;
            _capture?.Dispose();
            _capture = null;
            var before = CaptureFormat;
            CaptureFormat = device.GetFormat(_captureType);
            // The decoder proposes a pixel format of its own choosing for the new stream (vicodec picks 422P for a
            // YUYV-coded stream); the protocol lets the client ask for another one before allocating.
            if (CaptureFormat.PixelFormat != before.PixelFormat && CaptureFormat.Width == before.Width && CaptureFormat.Height == before.Height)
                CaptureFormat = device.RequestFormat(_captureType, before.Width, before.Height, before.PixelFormat, 0, "VIDIOC_S_FMT (capture, after a source change)");
            // The encoder behind was set up for the configured size; a stream of another size cannot go through it.
            if (CaptureFormat.Width != before.Width || CaptureFormat.Height != before.Height || CaptureFormat.PixelFormat != before.PixelFormat)
                throw new V4l2Exception($"{_options.DevicePath}: the decoded stream changed to {CaptureFormat}, but the chain was set up for {before}; " +
                    "set width and height to the camera's");
            _capture = new BufferQueue(device, _captureType, _options.BufferCount);
            _capture.Start();
            if (_next is M2MStage stage) stage._upstream = _capture;
        }
    }

    private static void Subscribe(VideoDevice device)
    {
        v4l2_event_subscription sub = default;
        sub.type = V4L2_EVENT_SOURCE_CHANGE;
        // A decoder without events still works when the stream never changes size.
        device.Ioctl(VIDIOC_SUBSCRIBE_EVENT, &sub);
    }

    private VideoFormat SetFormat(uint type, int width, int height, uint fourcc, uint sizeImage, string side)
    {
        var got = _device!.RequestFormat(type, width, height, fourcc, sizeImage, $"VIDIOC_S_FMT ({side})");
        if (got.PixelFormat != fourcc)
            throw new V4l2Exception($"{_options.DevicePath}: {FourCc.ToText(fourcc)} {side} format not available (the driver offered {got})");
        if (got.Width != width || got.Height != height)
            throw new V4l2Exception($"{_options.DevicePath}: {width}x{height} {side} resolution not available (the driver offered {got})");
        return got;
    }

    /// <summary>
    /// V4L2_ENC_CMD_STOP / V4L2_DEC_CMD_STOP so the codec finishes cleanly, then STREAMOFF, unmap and close.
    /// Errors are ignored: the device may be gone.
    /// </summary>
    public void Stop()
    {
        var device = _device;
        if (device is null) return;
        if (_options.Role == M2MRole.Encoder)
        {
            v4l2_encoder_cmd cmd = default;
            cmd.cmd = V4L2_ENC_CMD_STOP;
            device.Ioctl(VIDIOC_ENCODER_CMD, &cmd);
        }
        else
        {
            v4l2_decoder_cmd cmd = default;
            cmd.cmd = V4L2_DEC_CMD_STOP;
            device.Ioctl(VIDIOC_DECODER_CMD, &cmd);
        }
        _output?.Dispose();
        _output = null;
        _capture?.Dispose();
        _capture = null;
        _upstream = null;
        _next = null;
        _awaitingKeyFrame = false;
        _upstreamFlagsKeyFrames = false;
        device.Dispose();
        _device = null;
    }

    public void Dispose() => Stop();
}
