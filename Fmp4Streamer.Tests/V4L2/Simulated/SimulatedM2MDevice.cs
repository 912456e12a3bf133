using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using Fmp4Streamer.V4L2.M2M;
using static Fmp4Streamer.Linux.Native.videodev2;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.V4L2.Simulated;

/// <summary>
/// A stateful V4L2 memory-to-memory codec behind <see cref="ILinuxIo"/> (the vicodec / bcm2835-codec API): an OUTPUT
/// queue taking frames and a CAPTURE queue giving results, on one fd, single- or multi-planar. Each OUTPUT buffer
/// queued while a CAPTURE buffer is queued becomes one CAPTURE buffer with the OUTPUT buffer's timestamp copied: the
/// encoder writes <see cref="EncodedFrame"/>, the decoder the input bytes themselves (so tests see what it read).
/// Queue rules as vb2: QBUF of a queued buffer or with the wrong memory is EINVAL, a DMABUF smaller than sizeimage
/// is EINVAL, DQBUF with nothing done is EAGAIN. The fd is a pipe's read end, readable when a DQBUF or DQEVENT has
/// something; it is never writable, so EPOLLOUT cannot spin (the stage checks every queue on any wake-up).
/// </summary>
public sealed unsafe class SimulatedM2MDevice : ILinuxIo, IDisposable
{

    private readonly Dictionary<int, int> _handles = new(); // read fd → write fd
    private readonly Dictionary<nint, SimM2MQueue.Buffer> _mappings = new();
    private readonly HashSet<int> _exported = new();
    private readonly Queue<(int Width, int Height)> _events = new();
    private bool _signalled;
    private uint _sequence;
    private bool _keyFramePending = true;
    private bool _lastBufferDequeued;

    public SimulatedM2MDevice(string path, M2MRole role, bool multiPlanar)
    {
        Path = path;
        Role = role;
        MultiPlanar = multiPlanar;
        Output.FourCc = role == M2MRole.Encoder ? V4L2_PIX_FMT_YUYV : V4L2_PIX_FMT_MJPEG;
        Capture.FourCc = role == M2MRole.Encoder ? V4L2_PIX_FMT_H264 : V4L2_PIX_FMT_NV12;
    }

    public string Path { get; }
    public M2MRole Role { get; }
    public bool MultiPlanar { get; }
    public SimM2MQueue Output { get; } = new(0);
    public SimM2MQueue Capture { get; } = new(0x40000000);

    /// <summary>What the encoder writes for every input (an H264 access unit from a fixture, say).</summary>
    public byte[] EncodedFrame { get; set; } = { 0, 0, 0, 1, 0x65, 0x88, 0x84 };

    /// <summary>Fourccs the driver accepts on each side; others are answered with the first.</summary>
    public List<uint> OutputFormats { get; } = new() { V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_NV12, V4L2_PIX_FMT_MJPEG, V4L2_PIX_FMT_JPEG };
    public List<uint> CaptureFormats { get; } = new() { V4L2_PIX_FMT_H264, V4L2_PIX_FMT_NV12, V4L2_PIX_FMT_YUYV };

    public List<string> IoctlLog { get; } = new();
    public int OpenFdCount => _handles.Count + _exported.Count;
    public int LiveMappingCount => _mappings.Count;

    /// <summary>Each processed input: the OUTPUT bytes (MMAP) or the imported dmabuf fd, and its timestamp.</summary>
    public List<(byte[]? Copied, int ImportedFd, long TimestampUs, int OutputIndex)> Inputs { get; } = new();

    public int KeyFrameRequests { get; private set; }
    public int EncoderStops { get; private set; }
    public int DecoderStops { get; private set; }
    public bool SourceChangeSubscribed { get; private set; }

    /// <summary>When false, CAPTURE is not produced (a decoder parsing headers): only OUTPUT buffers come back.</summary>
    public bool Produce { get; set; } = true;

    /// <summary>While true the device does no work: queued OUTPUT buffers stay with it.</summary>
    public bool Paused { get; set; }

    /// <summary>Runs the device's work now (after <see cref="Paused"/> is cleared).</summary>
    public void Kick() => Process();

    /// <summary>
    /// The race of a real decoder: its last CAPTURE buffer was already taken, so CAPTURE DQBUF answers EPIPE, and the
    /// SOURCE_CHANGE event only becomes visible once that EPIPE was seen; STREAMOFF of CAPTURE ends the EPIPE state.
    /// </summary>
    public void RaiseSourceChangeAfterLastBuffer(int width, int height)
    {
        Capture.Width = width;
        Capture.Height = height;
        Capture.SizeImage = SizeOf(Capture.FourCc, width, height);
        _lastBufferDequeued = true;
        UpdateReadiness();
    }

    /// <summary>The decoder found a stream of another size: the CAPTURE format changes and a SOURCE_CHANGE event is raised.</summary>
    public void RaiseSourceChange(int width, int height, uint? fourCc = null)
    {
        if (fourCc is uint proposed) Capture.FourCc = proposed;
        Capture.Width = width;
        Capture.Height = height;
        Capture.SizeImage = SizeOf(Capture.FourCc, width, height);
        _events.Enqueue((width, height));
        UpdateReadiness();
    }

    // ---- ILinuxIo --------------------------------------------------------------------------------------------------

    public int Open(string path, int flags, out int fd)
    {
        fd = -1;
        if (path != Path) return LibC.ENOENT;
        if ((flags & LibC.O_NONBLOCK) == 0) throw new InvalidOperationException("the daemon must open devices non-blocking");
        int* fds = stackalloc int[2];
        if (LibC.pipe2(fds, LibC.O_NONBLOCK | LibC.O_CLOEXEC) != 0) throw new InvalidOperationException("pipe2 failed");
        _handles[fds[0]] = fds[1];
        fd = fds[0];
        return 0;
    }

    public int Close(int fd)
    {
        if (_exported.Remove(fd))
        {
            LibC.close(fd);
            return 0;
        }
        if (!_handles.Remove(fd, out int writeFd)) return LibC.EBADF;
        LibC.close(fd);
        LibC.close(writeFd);
        _signalled = false;
        Output.Free();
        Capture.Free();
        return 0;
    }

    public int Mmap(int fd, nuint length, int prot, int flags, long offset, out void* address)
    {
        address = null;
        if (!_handles.ContainsKey(fd)) return LibC.EBADF;
        var b = Output.Buffers.Find(x => x.Offset == offset && x.Memory != null) ?? Capture.Buffers.Find(x => x.Offset == offset && x.Memory != null);
        if (b is null || b.Mapped || length == 0 || length > (nuint)b.Length) return LibC.EINVAL;
        b.Mapped = true;
        _mappings[(nint)b.Memory] = b;
        address = b.Memory;
        return 0;
    }

    public int Munmap(void* address, nuint length)
    {
        if (!_mappings.Remove((nint)address, out var b)) throw new InvalidOperationException("munmap of an address that is not mapped");
        b.Mapped = false;
        return 0;
    }

    public int Ioctl(int fd, uint request, void* arg)
    {
        IoctlLog.Add(SimulatedIoctl.Name(request));
        if (!_handles.ContainsKey(fd)) return LibC.EBADF;
        if (request == VIDIOC_QUERYCAP) return QueryCap((v4l2_capability*)arg);
        if (request == VIDIOC_S_FMT || request == VIDIOC_G_FMT) return Format((v4l2_format*)arg, request == VIDIOC_S_FMT);
        if (request == VIDIOC_REQBUFS) return ReqBufs((v4l2_requestbuffers*)arg);
        if (request == VIDIOC_QUERYBUF) return QueryBuf((v4l2_buffer*)arg);
        if (request == VIDIOC_EXPBUF) return ExpBuf((v4l2_exportbuffer*)arg);
        if (request == VIDIOC_QBUF) return QBuf((v4l2_buffer*)arg);
        if (request == VIDIOC_DQBUF) return DqBuf((v4l2_buffer*)arg);
        if (request == VIDIOC_STREAMON || request == VIDIOC_STREAMOFF) return Stream(*(int*)arg, request == VIDIOC_STREAMON);
        if (request == VIDIOC_SUBSCRIBE_EVENT)
        {
            SourceChangeSubscribed |= ((v4l2_event_subscription*)arg)->type == V4L2_EVENT_SOURCE_CHANGE;
            return 0;
        }
        if (request == VIDIOC_DQEVENT) return DqEvent((v4l2_event*)arg);
        if (request == VIDIOC_S_CTRL)
        {
            if (Role != M2MRole.Encoder || ((v4l2_control*)arg)->id != V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME) return LibC.EINVAL;
            KeyFrameRequests++;
            _keyFramePending = true;
            return 0;
        }
        if (request == VIDIOC_ENCODER_CMD)
        {
            if (Role != M2MRole.Encoder || ((v4l2_encoder_cmd*)arg)->cmd != V4L2_ENC_CMD_STOP) return LibC.ENOTTY;
            EncoderStops++;
            return 0;
        }
        if (request == VIDIOC_DECODER_CMD)
        {
            if (Role != M2MRole.Decoder || ((v4l2_decoder_cmd*)arg)->cmd != V4L2_DEC_CMD_STOP) return LibC.ENOTTY;
            DecoderStops++;
            return 0;
        }
        // No controls: the control framework's enumeration ends at once.
        if (request == VIDIOC_QUERY_EXT_CTRL || request == VIDIOC_QUERYCTRL) return LibC.EINVAL;
        return LibC.ENOTTY;
    }

    // ---- ioctls ----------------------------------------------------------------------------------------------------

    private uint OutputType => MultiPlanar ? V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE : V4L2_BUF_TYPE_VIDEO_OUTPUT;
    private uint CaptureType => MultiPlanar ? V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE : V4L2_BUF_TYPE_VIDEO_CAPTURE;

    private SimM2MQueue? QueueOf(uint type) => type == OutputType ? Output : type == CaptureType ? Capture : null;

    private int QueryCap(v4l2_capability* cap)
    {
        SimulatedIoctl.WriteText(cap->driver, 16, "simcodec");
        SimulatedIoctl.WriteText(cap->card, 32, Role == M2MRole.Encoder ? "Simulated encoder" : "Simulated decoder");
        SimulatedIoctl.WriteText(cap->bus_info, 32, "platform:simcodec");
        uint caps = (MultiPlanar ? V4L2_CAP_VIDEO_M2M_MPLANE : V4L2_CAP_VIDEO_M2M) | V4L2_CAP_STREAMING;
        cap->capabilities = caps | V4L2_CAP_DEVICE_CAPS;
        cap->device_caps = caps;
        return 0;
    }

    private int Format(v4l2_format* f, bool set)
    {
        var q = QueueOf(f->type);
        if (q is null) return LibC.EINVAL;
        if (set)
        {
            if (q.Buffers.Count > 0) return LibC.EBUSY;
            var allowed = q == Output ? OutputFormats : CaptureFormats;
            uint fourcc = MultiPlanar ? f->fmt.pix_mp.pixelformat : f->fmt.pix.pixelformat;
            q.FourCc = allowed.Contains(fourcc) ? fourcc : allowed[0];
            q.Width = (int)(MultiPlanar ? f->fmt.pix_mp.width : f->fmt.pix.width);
            q.Height = (int)(MultiPlanar ? f->fmt.pix_mp.height : f->fmt.pix.height);
            uint asked = MultiPlanar ? f->fmt.pix_mp.PlaneFmt(0).sizeimage : f->fmt.pix.sizeimage;
            bool compressed = q.FourCc == V4L2_PIX_FMT_MJPEG || q.FourCc == V4L2_PIX_FMT_JPEG || q.FourCc == V4L2_PIX_FMT_H264;
            // Compressed input: the application's sizeimage is taken (the decoder's from the camera's).
            q.SizeImage = compressed && asked > 0 ? (int)asked : SizeOf(q.FourCc, q.Width, q.Height);
        }
        new Span<byte>(&f->fmt, sizeof(v4l2_format_fmt)).Clear();
        if (MultiPlanar)
        {
            f->fmt.pix_mp.width = (uint)q.Width;
            f->fmt.pix_mp.height = (uint)q.Height;
            f->fmt.pix_mp.pixelformat = q.FourCc;
            f->fmt.pix_mp.field = V4L2_FIELD_NONE;
            f->fmt.pix_mp.num_planes = 1;
            f->fmt.pix_mp.PlaneFmt(0).sizeimage = (uint)q.SizeImage;
        }
        else
        {
            f->fmt.pix.width = (uint)q.Width;
            f->fmt.pix.height = (uint)q.Height;
            f->fmt.pix.pixelformat = q.FourCc;
            f->fmt.pix.field = V4L2_FIELD_NONE;
            f->fmt.pix.sizeimage = (uint)q.SizeImage;
        }
        return 0;
    }

    private static int SizeOf(uint fourcc, int width, int height) =>
        fourcc == V4L2_PIX_FMT_NV12 ? width * height * 3 / 2
        : fourcc == V4L2_PIX_FMT_YUYV ? width * height * 2
        : Math.Max(64 * 1024, width * height / 2);

    private int ReqBufs(v4l2_requestbuffers* r)
    {
        var q = QueueOf(r->type);
        if (q is null) return LibC.EINVAL;
        if (r->memory != V4L2_MEMORY_MMAP && r->memory != V4L2_MEMORY_DMABUF) return LibC.EINVAL;
        if (q.Buffers.Exists(b => b.Mapped)) return LibC.EBUSY;
        if (q.SizeImage == 0) q.SizeImage = SizeOf(q.FourCc, q.Width, q.Height);
        q.Allocate((int)Math.Min(r->count, 8u), r->memory);
        r->count = (uint)q.Buffers.Count;
        UpdateReadiness();
        return 0;
    }

    private int QueryBuf(v4l2_buffer* buf)
    {
        var q = QueueOf(buf->type);
        if (q is null || buf->index >= (uint)q.Buffers.Count) return LibC.EINVAL;
        var b = q.Buffers[(int)buf->index];
        buf->memory = q.Memory;
        if (MultiPlanar)
        {
            if (buf->length < 1 || buf->m.planes == 0) return LibC.EINVAL;
            var p = (v4l2_plane*)buf->m.planes;
            p[0].length = (uint)b.Length;
            p[0].m.mem_offset = (uint)b.Offset;
            buf->length = 1;
        }
        else
        {
            buf->length = (uint)b.Length;
            buf->m.offset = (uint)b.Offset;
        }
        return 0;
    }

    private int ExpBuf(v4l2_exportbuffer* e)
    {
        var q = QueueOf(e->type);
        if (q is null || e->index >= (uint)q.Buffers.Count || q.Memory != V4L2_MEMORY_MMAP) return LibC.EINVAL;
        // A real fd the caller owns and closes; its number stands for the buffer.
        e->fd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        _exported.Add(e->fd);
        return 0;
    }

    private int QBuf(v4l2_buffer* buf)
    {
        var q = QueueOf(buf->type);
        if (q is null || buf->index >= (uint)q.Buffers.Count || buf->memory != q.Memory) return LibC.EINVAL;
        var b = q.Buffers[(int)buf->index];
        if (b.Ownership != SimBuffer.State.Dequeued) return LibC.EINVAL;
        uint bytesUsed, length;
        int fd;
        if (MultiPlanar)
        {
            if (buf->length != 1 || buf->m.planes == 0) return LibC.EINVAL;
            var p = (v4l2_plane*)buf->m.planes;
            bytesUsed = p[0].bytesused;
            length = p[0].length;
            fd = p[0].m.fd;
        }
        else
        {
            bytesUsed = buf->bytesused;
            length = buf->length;
            fd = buf->m.fd;
        }
        if (q.Memory == V4L2_MEMORY_DMABUF)
        {
            if (fd < 0 || LibC.fcntl(fd, LibC.F_GETFD) < 0) return LibC.EBADF;
            if (length < (uint)q.SizeImage) return LibC.EINVAL;
            b.ImportedFd = fd;
            b.Length = (int)length;
        }
        if (q == Output && bytesUsed > (uint)b.Length) return LibC.EINVAL;
        b.BytesUsed = (int)bytesUsed;
        b.TimestampUs = buf->timestamp.tv_sec * 1_000_000 + buf->timestamp.tv_usec;
        b.Ownership = SimBuffer.State.Queued;
        q.Queued.Add(b.Index);
        Process();
        return 0;
    }

    private int DqBuf(v4l2_buffer* buf)
    {
        var q = QueueOf(buf->type);
        if (q is null || buf->memory != q.Memory) return LibC.EINVAL;
        if (!q.Streaming) return LibC.EINVAL;
        if (q == Capture && _lastBufferDequeued && q.Done.Count == 0)
        {
            if (_events.Count == 0) _events.Enqueue((Capture.Width, Capture.Height));
            return LibC.EPIPE;
        }
        if (q.Done.Count == 0) return LibC.EAGAIN;
        var b = q.Buffers[q.Done[0]];
        q.Done.RemoveAt(0);
        b.Ownership = SimBuffer.State.Dequeued;
        buf->index = (uint)b.Index;
        buf->flags = b.Flags;
        buf->sequence = b.Sequence;
        buf->timestamp.tv_sec = b.TimestampUs / 1_000_000;
        buf->timestamp.tv_usec = b.TimestampUs % 1_000_000;
        if (MultiPlanar)
        {
            var p = (v4l2_plane*)buf->m.planes;
            p[0].bytesused = (uint)b.BytesUsed;
            p[0].length = (uint)b.Length;
            p[0].data_offset = 0;
            buf->length = 1;
        }
        else
        {
            buf->bytesused = (uint)b.BytesUsed;
            buf->length = (uint)b.Length;
        }
        UpdateReadiness();
        return 0;
    }

    private int Stream(int type, bool on)
    {
        var q = QueueOf((uint)type);
        if (q is null) return LibC.EINVAL;
        if (on)
        {
            if (q.Buffers.Count == 0) return LibC.EINVAL;
            q.Streaming = true;
            Process();
        }
        else
        {
            q.Stop();
            if (q == Capture) _lastBufferDequeued = false;
            UpdateReadiness();
        }
        return 0;
    }

    private int DqEvent(v4l2_event* ev)
    {
        if (!_events.TryDequeue(out _)) return LibC.ENOENT;
        new Span<byte>(ev, sizeof(v4l2_event)).Clear();
        ev->type = V4L2_EVENT_SOURCE_CHANGE;
        ev->u.src_change.changes = V4L2_EVENT_SRC_CH_RESOLUTION;
        ev->pending = (uint)_events.Count;
        UpdateReadiness();
        return 0;
    }

    /// <summary>The device's work: one OUTPUT buffer in, one CAPTURE buffer out, timestamp copied.</summary>
    private void Process()
    {
        while (!Paused && Output.Streaming && Output.Queued.Count > 0 && (!Produce || (Capture.Streaming && Capture.Queued.Count > 0)))
        {
            var input = Output.Buffers[Output.Queued[0]];
            Output.Queued.RemoveAt(0);
            byte[]? copied = input.Memory != null ? new ReadOnlySpan<byte>(input.Memory, input.BytesUsed).ToArray() : null;
            Inputs.Add((copied, input.ImportedFd, input.TimestampUs, input.Index));
            input.Ownership = SimBuffer.State.Done;
            input.Flags = V4L2_BUF_FLAG_TIMESTAMP_COPY;
            Output.Done.Add(input.Index);
            if (!Produce) continue;

            var result = Capture.Buffers[Capture.Queued[0]];
            Capture.Queued.RemoveAt(0);
            ReadOnlySpan<byte> data = Role == M2MRole.Encoder ? EncodedFrame : copied ?? EncodedFrame;
            int n = Math.Min(data.Length, result.Length);
            if (result.Memory != null) data[..n].CopyTo(new Span<byte>(result.Memory, result.Length));
            result.BytesUsed = n;
            result.TimestampUs = input.TimestampUs;
            result.Flags = V4L2_BUF_FLAG_TIMESTAMP_COPY;
            if (Role == M2MRole.Encoder && _keyFramePending)
            {
                result.Flags |= V4L2_BUF_FLAG_KEYFRAME;
                _keyFramePending = false;
            }
            result.Sequence = _sequence++;
            result.Ownership = SimBuffer.State.Done;
            Capture.Done.Add(result.Index);
        }
        UpdateReadiness();
    }

    private void UpdateReadiness()
    {
        bool readable = Output.Done.Count > 0 || Capture.Done.Count > 0 || _events.Count > 0 || _lastBufferDequeued;
        if (readable == _signalled) return;
        _signalled = readable;
        byte one = 1;
        foreach (var (readFd, writeFd) in _handles)
        {
            if (readable) LibC.write(writeFd, &one, 1);
            else LibC.read(readFd, &one, 1);
        }
    }

    public void Dispose()
    {
        foreach (var (readFd, writeFd) in _handles)
        {
            LibC.close(readFd);
            LibC.close(writeFd);
        }
        _handles.Clear();
        foreach (int fd in _exported) LibC.close(fd);
        _exported.Clear();
        Output.Free();
        Capture.Free();
    }
}
