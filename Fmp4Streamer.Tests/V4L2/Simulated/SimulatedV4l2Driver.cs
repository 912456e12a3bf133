using System.Runtime.InteropServices;
using System.Text;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.videodev2;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.V4L2.Simulated;

/// <summary>
/// A V4L2 capture driver behind <see cref="ILinuxIo"/>, answering ioctls by request number the way a vb2 driver and
/// the control framework do: buffer ownership (QBUF of a queued buffer is EINVAL, DQBUF before STREAMON is EINVAL,
/// EAGAIN when nothing is done), completion in any order, injected errors, unplug/replug. Each open handle is a real
/// eventfd that is readable exactly when DQBUF has something to say, so the production EventLoop drives it. It counts
/// open fds and live mappings so tests can prove nothing leaks.
/// </summary>
public sealed unsafe class SimulatedV4l2Driver : ILinuxIo, IDisposable
{
    public sealed record SimFormat(uint FourCc, string Description, (int Width, int Height)[] Sizes);

    private sealed class Handle
    {
        public required int Fd { get; init; }
        public bool Gone { get; set; }
        public bool Signalled { get; set; }
    }


    private readonly Dictionary<int, Handle> _handles = new();
    private readonly HashSet<int> _dmabufs = new();
    private readonly Dictionary<nint, SimBuffer> _mappings = new();
    private readonly List<SimBuffer> _buffers = new();
    private readonly List<SimBuffer> _orphans = new();
    private readonly List<int> _queued = new();
    private readonly List<int> _done = new();
    private Handle? _owner;
    private uint _sequence;
    private int _pendingError;
    private uint _fourcc;
    private int _width;
    private int _height;
    private int _fps;

    public SimulatedV4l2Driver(string path = "/dev/video-sim")
    {
        Path = path;
        Formats = new List<SimFormat>
        {
            new(V4L2_PIX_FMT_H264, "H.264", new[] { (640, 480), (1280, 720) }),
            new(V4L2_PIX_FMT_MJPEG, "Motion-JPEG", new[] { (640, 480) }),
        };
        _fourcc = V4L2_PIX_FMT_H264;
        _width = 640;
        _height = 480;
        _fps = 30;
        Controls = StandardControls();
    }

    // ---- configuration -------------------------------------------------------------------------------------------

    public string Path { get; }
    public bool Present { get; set; } = true;
    public string Driver { get; set; } = "simdrv";
    public string Card { get; set; } = "Simulated Camera";
    public string BusInfo { get; set; } = "platform:sim";
    public uint DeviceCaps { get; set; } = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
    public bool ReportDeviceCaps { get; set; } = true;

    /// <summary>Capabilities of other nodes of the same device, reported in capabilities but not device_caps.</summary>
    public uint OtherNodeCaps { get; set; } = V4L2_CAP_VIDEO_OUTPUT;

    public List<SimFormat> Formats { get; }
    public int[] SupportedFps { get; set; } = { 30, 15 };
    public bool FrameRateSupported { get; set; } = true;
    public int BufferSize { get; set; } = 64 * 1024;
    public int MinBuffers { get; set; } = 2;
    public int MaxBuffers { get; set; } = 8;

    /// <summary>When set, REQBUFS grants this many buffers whatever was asked (a driver short of memory).</summary>
    public int? GrantBuffers { get; set; }

    public bool SupportsQueryExtCtrl { get; set; } = true;
    public bool SupportsExtCtrls { get; set; } = true;
    public bool SupportsExpbuf { get; set; } = true;
    public List<SimControl> Controls { get; }

    /// <summary>Record the name of every ioctl (off for allocation measurements).</summary>
    public bool RecordIoctls { get; set; } = true;

    // ---- observation ---------------------------------------------------------------------------------------------

    public List<string> IoctlLog { get; } = new();
    public int OpenFdCount => _handles.Count + _dmabufs.Count;
    public int LiveMappingCount => _mappings.Count;
    public int OpenCount { get; private set; }
    public int OpenAttempts { get; private set; }
    public bool Streaming { get; private set; }
    public int BufferCount => _buffers.Count;
    public int QueuedCount => _queued.Count;
    public (uint FourCc, int Width, int Height, int Fps) Current => (_fourcc, _width, _height, _fps);
    public bool IsMultiPlanar => (DeviceCaps & V4L2_CAP_VIDEO_CAPTURE_MPLANE) != 0 && (DeviceCaps & V4L2_CAP_VIDEO_CAPTURE) == 0;
    private uint BufType => IsMultiPlanar ? V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE : V4L2_BUF_TYPE_VIDEO_CAPTURE;

    public SimControl Control(string name) => Controls.Find(c => c.Name == name) ?? throw new ArgumentException(name);

    public SimControl Control(uint id) => Controls.Find(c => c.Id == id) ?? throw new ArgumentException(id.ToString("x"));

    // ---- test actions --------------------------------------------------------------------------------------------

    /// <summary>
    /// Completes a frame into queued buffer <paramref name="index"/> (default: the oldest queued), as the hardware
    /// would. Returns the buffer index, or -1 when no buffer was queued (the frame is lost, the sequence advances).
    /// </summary>
    public int Feed(ReadOnlySpan<byte> frame, long timestampUs, uint flags = 0, int index = -1, int? reportBytesUsed = null)
    {
        uint sequence = _sequence++;
        if (!Streaming) return -1;
        if (index < 0)
        {
            if (_queued.Count == 0) return -1;
            index = _queued[0];
        }
        else if (!_queued.Contains(index))
        {
            throw new InvalidOperationException($"buffer {index} is not queued");
        }
        _queued.Remove(index);
        var b = _buffers[index];
        int n = Math.Min(frame.Length, b.Length);
        frame[..n].CopyTo(new Span<byte>(b.Memory, b.Length));
        b.BytesUsed = reportBytesUsed ?? n; // a buggy driver may claim more than the buffer holds
        b.TimestampUs = timestampUs;
        b.Flags = flags | V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC;
        b.Sequence = sequence;
        b.Ownership = SimBuffer.State.Done;
        _done.Add(index);
        UpdateReadiness();
        return index;
    }

    /// <summary>The next DQBUF fails with <paramref name="errno"/> once (EAGAIN, EIO, ENODEV, EPIPE...).</summary>
    public void InjectDequeueError(int errno)
    {
        _pendingError = errno;
        UpdateReadiness();
    }

    /// <summary>Makes every handle readable without anything to dequeue (a spurious wake-up).</summary>
    public void SpuriousWakeup()
    {
        foreach (var h in _handles.Values) Signal(h, true);
    }

    /// <summary>The USB cable is pulled: every open handle answers ENODEV, new opens ENOENT. Mappings stay valid.</summary>
    public void Unplug()
    {
        Present = false;
        foreach (var h in _handles.Values) h.Gone = true;
        Streaming = false;
        UpdateReadiness();
    }

    public void Replug() => Present = true;

    // ---- ILinuxIo --------------------------------------------------------------------------------------------------

    public int Open(string path, int flags, out int fd)
    {
        fd = -1;
        OpenAttempts++;
        if (path != Path || !Present) return LibC.ENOENT;
        if ((flags & LibC.O_NONBLOCK) == 0) throw new InvalidOperationException("the daemon must open devices non-blocking");
        fd = NewEventFd();
        _handles[fd] = new Handle { Fd = fd };
        OpenCount++;
        return 0;
    }

    public int Close(int fd)
    {
        if (_handles.Remove(fd, out var h))
        {
            if (_owner == h) ReleaseQueue();
            LibC.close(fd);
            return 0;
        }
        if (_dmabufs.Remove(fd))
        {
            LibC.close(fd);
            return 0;
        }
        return LibC.EBADF;
    }

    public int Mmap(int fd, nuint length, int prot, int flags, long offset, out void* address)
    {
        address = null;
        if (!_handles.TryGetValue(fd, out var h)) return LibC.EBADF;
        if (h.Gone) return LibC.ENODEV;
        var b = _buffers.Find(x => x.Offset == offset);
        if (b is null || length == 0 || length > (nuint)b.Length) return LibC.EINVAL;
        if (b.MapCount > 0) return LibC.EINVAL; // one mapping per buffer keeps the bookkeeping exact
        b.MapCount++;
        _mappings[(nint)b.Memory] = b;
        address = b.Memory;
        return 0;
    }

    public int Munmap(void* address, nuint length)
    {
        if (!_mappings.Remove((nint)address, out var b)) throw new InvalidOperationException("munmap of an address that is not mapped");
        if (length != (nuint)b.Length) throw new InvalidOperationException($"munmap length {length} != mapped {b.Length}");
        b.MapCount--;
        if (b.Orphaned && b.MapCount == 0)
        {
            _orphans.Remove(b);
            NativeMemory.Free(b.Memory);
        }
        return 0;
    }

    public int Ioctl(int fd, uint request, void* arg)
    {
        if (RecordIoctls) IoctlLog.Add(SimulatedIoctl.Name(request));
        if (!_handles.TryGetValue(fd, out var h)) return LibC.EBADF;
        if (h.Gone) return LibC.ENODEV;
        if (request == VIDIOC_QUERYCAP) return QueryCap((v4l2_capability*)arg);
        if (request == VIDIOC_ENUM_FMT) return EnumFmt((v4l2_fmtdesc*)arg);
        if (request == VIDIOC_ENUM_FRAMESIZES) return EnumFrameSizes((v4l2_frmsizeenum*)arg);
        if (request == VIDIOC_G_FMT) return GetFmt((v4l2_format*)arg);
        if (request == VIDIOC_S_FMT) return SetFmt((v4l2_format*)arg);
        if (request == VIDIOC_G_PARM || request == VIDIOC_S_PARM) return Parm((v4l2_streamparm*)arg, request == VIDIOC_S_PARM);
        if (request == VIDIOC_REQBUFS) return ReqBufs(h, (v4l2_requestbuffers*)arg);
        if (request == VIDIOC_QUERYBUF) return QueryBuf((v4l2_buffer*)arg);
        if (request == VIDIOC_QBUF) return QBuf(h, (v4l2_buffer*)arg);
        if (request == VIDIOC_DQBUF) return DqBuf(h, (v4l2_buffer*)arg);
        if (request == VIDIOC_STREAMON) return StreamOn(h, *(int*)arg);
        if (request == VIDIOC_STREAMOFF) return StreamOff(h, *(int*)arg);
        if (request == VIDIOC_EXPBUF) return ExpBuf((v4l2_exportbuffer*)arg);
        if (request == VIDIOC_QUERY_EXT_CTRL) return SupportsQueryExtCtrl ? QueryExtCtrl((v4l2_query_ext_ctrl*)arg) : LibC.ENOTTY;
        if (request == VIDIOC_QUERYCTRL) return QueryCtrl((v4l2_queryctrl*)arg);
        if (request == VIDIOC_QUERYMENU) return QueryMenu((v4l2_querymenu*)arg);
        if (request == VIDIOC_G_CTRL) return GetCtrl((v4l2_control*)arg);
        if (request == VIDIOC_S_CTRL) return SetCtrl((v4l2_control*)arg);
        if (request == VIDIOC_G_EXT_CTRLS) return SupportsExtCtrls ? GetExtCtrls((v4l2_ext_controls*)arg) : LibC.ENOTTY;
        if (request == VIDIOC_S_EXT_CTRLS) return SupportsExtCtrls ? SetExtCtrls((v4l2_ext_controls*)arg) : LibC.ENOTTY;
        if (request == VIDIOC_SUBSCRIBE_EVENT || request == VIDIOC_UNSUBSCRIBE_EVENT) return 0;
        return LibC.ENOTTY;
    }

    // ---- capability and format -------------------------------------------------------------------------------------

    private int QueryCap(v4l2_capability* cap)
    {
        SimulatedIoctl.WriteText(cap->driver, 16, Driver);
        SimulatedIoctl.WriteText(cap->card, 32, Card);
        SimulatedIoctl.WriteText(cap->bus_info, 32, BusInfo);
        cap->version = 0x00060100;
        if (ReportDeviceCaps)
        {
            cap->capabilities = DeviceCaps | OtherNodeCaps | V4L2_CAP_DEVICE_CAPS;
            cap->device_caps = DeviceCaps;
        }
        else
        {
            cap->capabilities = DeviceCaps;
        }
        return 0;
    }

    private int EnumFmt(v4l2_fmtdesc* d)
    {
        if (d->type != BufType || d->index >= (uint)Formats.Count) return LibC.EINVAL;
        var f = Formats[(int)d->index];
        d->pixelformat = f.FourCc;
        d->flags = V4L2_FMT_FLAG_COMPRESSED;
        SimulatedIoctl.WriteText(d->description, 32, f.Description);
        return 0;
    }

    private int EnumFrameSizes(v4l2_frmsizeenum* s)
    {
        var f = Formats.Find(x => x.FourCc == s->pixel_format);
        if (f is null || s->index >= (uint)f.Sizes.Length) return LibC.EINVAL;
        s->type = V4L2_FRMSIZE_TYPE_DISCRETE;
        s->discrete.width = (uint)f.Sizes[s->index].Width;
        s->discrete.height = (uint)f.Sizes[s->index].Height;
        return 0;
    }

    private int GetFmt(v4l2_format* f)
    {
        if (f->type != BufType) return LibC.EINVAL;
        FillFormat(f);
        return 0;
    }

    private int SetFmt(v4l2_format* f)
    {
        if (f->type != BufType) return LibC.EINVAL;
        if (_buffers.Count > 0) return LibC.EBUSY;
        uint fourcc = IsMultiPlanar ? f->fmt.pix_mp.pixelformat : f->fmt.pix.pixelformat;
        int w = (int)(IsMultiPlanar ? f->fmt.pix_mp.width : f->fmt.pix.width);
        int h = (int)(IsMultiPlanar ? f->fmt.pix_mp.height : f->fmt.pix.height);
        // Like real drivers: never fail, answer with the closest supported thing.
        var fmt = Formats.Find(x => x.FourCc == fourcc) ?? Formats[0];
        var size = fmt.Sizes[0];
        long best = long.MaxValue;
        foreach (var s in fmt.Sizes)
        {
            long d = Math.Abs((long)s.Width * s.Height - (long)w * h);
            if (d < best) { best = d; size = s; }
        }
        _fourcc = fmt.FourCc;
        (_width, _height) = size;
        FillFormat(f);
        return 0;
    }

    private void FillFormat(v4l2_format* f)
    {
        if (IsMultiPlanar)
        {
            f->fmt.pix_mp.width = (uint)_width;
            f->fmt.pix_mp.height = (uint)_height;
            f->fmt.pix_mp.pixelformat = _fourcc;
            f->fmt.pix_mp.field = V4L2_FIELD_NONE;
            f->fmt.pix_mp.num_planes = 1;
            f->fmt.pix_mp.PlaneFmt(0).sizeimage = (uint)BufferSize;
        }
        else
        {
            f->fmt.pix.width = (uint)_width;
            f->fmt.pix.height = (uint)_height;
            f->fmt.pix.pixelformat = _fourcc;
            f->fmt.pix.field = V4L2_FIELD_NONE;
            f->fmt.pix.sizeimage = (uint)BufferSize;
        }
    }

    private int Parm(v4l2_streamparm* p, bool set)
    {
        if (p->type != BufType) return LibC.EINVAL;
        if (!FrameRateSupported) return LibC.ENOTTY;
        if (set && p->parm.capture.timeperframe.numerator != 0 && p->parm.capture.timeperframe.denominator != 0)
        {
            double wanted = (double)p->parm.capture.timeperframe.denominator / p->parm.capture.timeperframe.numerator;
            int best = SupportedFps[0];
            foreach (int fps in SupportedFps)
                if (Math.Abs(fps - wanted) < Math.Abs(best - wanted)) best = fps;
            _fps = best;
        }
        p->parm.capture = default;
        p->parm.capture.capability = V4L2_CAP_TIMEPERFRAME;
        p->parm.capture.timeperframe.numerator = 1;
        p->parm.capture.timeperframe.denominator = (uint)_fps;
        return 0;
    }

    // ---- buffers ---------------------------------------------------------------------------------------------------

    private int ReqBufs(Handle h, v4l2_requestbuffers* req)
    {
        if (req->type != BufType || req->memory != V4L2_MEMORY_MMAP) return LibC.EINVAL;
        if (_owner is not null && _owner != h) return LibC.EBUSY;
        if (Streaming) return LibC.EBUSY;
        if (_buffers.Exists(b => b.MapCount > 0)) return LibC.EBUSY;
        FreeBuffers();
        req->capabilities = 1; // V4L2_BUF_CAP_SUPPORTS_MMAP
        if (req->count == 0)
        {
            _owner = null;
            return 0;
        }
        int count = GrantBuffers ?? Math.Clamp((int)req->count, MinBuffers, MaxBuffers);
        for (int i = 0; i < count; i++)
            _buffers.Add(new SimBuffer { Index = i, Memory = (byte*)NativeMemory.AllocZeroed((nuint)BufferSize), Length = BufferSize });
        req->count = (uint)count;
        _owner = h;
        return 0;
    }

    private int QueryBuf(v4l2_buffer* buf)
    {
        if (buf->type != BufType || buf->index >= (uint)_buffers.Count) return LibC.EINVAL;
        var b = _buffers[(int)buf->index];
        if (IsMultiPlanar)
        {
            if (buf->length < 1 || buf->m.planes == 0) return LibC.EINVAL;
            var plane = (v4l2_plane*)buf->m.planes;
            plane->length = (uint)b.Length;
            plane->m.mem_offset = (uint)b.Offset;
            buf->length = 1;
        }
        else
        {
            buf->m.offset = (uint)b.Offset;
            buf->length = (uint)b.Length;
        }
        buf->memory = V4L2_MEMORY_MMAP;
        buf->flags = (b.MapCount > 0 ? V4L2_BUF_FLAG_MAPPED : 0)
            | (b.Ownership == SimBuffer.State.Queued ? V4L2_BUF_FLAG_QUEUED : 0)
            | (b.Ownership == SimBuffer.State.Done ? V4L2_BUF_FLAG_DONE : 0);
        return 0;
    }

    private int QBuf(Handle h, v4l2_buffer* buf)
    {
        if (_owner != h) return LibC.EBUSY;
        if (buf->type != BufType || buf->memory != V4L2_MEMORY_MMAP || buf->index >= (uint)_buffers.Count) return LibC.EINVAL;
        if (IsMultiPlanar && (buf->length < 1 || buf->m.planes == 0)) return LibC.EINVAL;
        var b = _buffers[(int)buf->index];
        if (b.Ownership != SimBuffer.State.Dequeued) return LibC.EINVAL;
        b.Ownership = SimBuffer.State.Queued;
        _queued.Add(b.Index);
        return 0;
    }

    private int DqBuf(Handle h, v4l2_buffer* buf)
    {
        if (_owner != h) return LibC.EBUSY;
        if (buf->type != BufType || buf->memory != V4L2_MEMORY_MMAP) return LibC.EINVAL;
        if (IsMultiPlanar && (buf->length < 1 || buf->m.planes == 0)) return LibC.EINVAL;
        if (_pendingError != 0)
        {
            int err = _pendingError;
            _pendingError = 0;
            UpdateReadiness();
            return err;
        }
        if (!Streaming) return LibC.EINVAL;
        if (_done.Count == 0)
        {
            UpdateReadiness();
            return LibC.EAGAIN;
        }
        var b = _buffers[_done[0]];
        _done.RemoveAt(0);
        b.Ownership = SimBuffer.State.Dequeued;
        buf->index = (uint)b.Index;
        buf->flags = b.Flags | V4L2_BUF_FLAG_MAPPED;
        buf->field = V4L2_FIELD_NONE;
        buf->timestamp.tv_sec = b.TimestampUs / 1_000_000;
        buf->timestamp.tv_usec = b.TimestampUs % 1_000_000;
        buf->sequence = b.Sequence;
        if (IsMultiPlanar)
        {
            var plane = (v4l2_plane*)buf->m.planes;
            plane->bytesused = (uint)b.BytesUsed;
            plane->length = (uint)b.Length;
            plane->data_offset = 0;
            buf->length = 1;
        }
        else
        {
            buf->bytesused = (uint)b.BytesUsed;
            buf->length = (uint)b.Length;
            buf->m.offset = (uint)b.Offset;
        }
        UpdateReadiness();
        return 0;
    }

    private int StreamOn(Handle h, int type)
    {
        if ((uint)type != BufType) return LibC.EINVAL;
        if (_owner != h || _buffers.Count == 0) return LibC.EINVAL;
        Streaming = true;
        UpdateReadiness();
        return 0;
    }

    private int StreamOff(Handle h, int type)
    {
        if ((uint)type != BufType) return LibC.EINVAL;
        if (_owner is not null && _owner != h) return LibC.EBUSY;
        StopStreaming();
        return 0;
    }

    private void StopStreaming()
    {
        Streaming = false;
        foreach (var b in _buffers) b.Ownership = SimBuffer.State.Dequeued;
        _queued.Clear();
        _done.Clear();
        UpdateReadiness();
    }

    private int ExpBuf(v4l2_exportbuffer* e)
    {
        if (!SupportsExpbuf) return LibC.ENOTTY;
        if (e->type != BufType || e->index >= (uint)_buffers.Count || e->plane != 0) return LibC.EINVAL;
        int fd = NewEventFd();
        _dmabufs.Add(fd);
        e->fd = fd;
        return 0;
    }

    private void ReleaseQueue()
    {
        StopStreaming();
        FreeBuffers();
        _owner = null;
    }

    private void FreeBuffers()
    {
        foreach (var b in _buffers)
        {
            // The kernel keeps mapped pages alive until munmap; so do we.
            if (b.MapCount > 0)
            {
                b.Orphaned = true;
                _orphans.Add(b);
            }
            else
            {
                NativeMemory.Free(b.Memory);
            }
        }
        _buffers.Clear();
        _queued.Clear();
        _done.Clear();
    }

    // ---- controls ----------------------------------------------------------------------------------------------------

    private SimControl? FindControl(uint id)
    {
        uint flags = id & (V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CTRL_FLAG_NEXT_COMPOUND);
        uint bare = id & ~(V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CTRL_FLAG_NEXT_COMPOUND);
        if (flags == 0) return Controls.Find(c => c.Id == bare);
        bool wantPlain = (flags & V4L2_CTRL_FLAG_NEXT_CTRL) != 0;
        bool wantCompound = (flags & V4L2_CTRL_FLAG_NEXT_COMPOUND) != 0;
        SimControl? next = null;
        foreach (var c in Controls)
        {
            bool compound = c.Type == V4L2_CTRL_TYPE_STRING;
            if (c.Id <= bare || (compound ? !wantCompound : !wantPlain)) continue;
            if (next is null || c.Id < next.Id) next = c;
        }
        return next;
    }

    private uint ReportedFlags(SimControl c) => c.Flags | (c.Type == V4L2_CTRL_TYPE_STRING ? V4L2_CTRL_FLAG_HAS_PAYLOAD : 0);

    private int QueryExtCtrl(v4l2_query_ext_ctrl* q)
    {
        var c = FindControl(q->id);
        if (c is null) return LibC.EINVAL;
        q->id = c.Id;
        q->type = c.Type;
        SimulatedIoctl.WriteText(q->name, 32, c.Name);
        q->minimum = c.Minimum;
        q->maximum = c.Maximum;
        q->step = c.Step;
        q->default_value = c.Default;
        q->flags = ReportedFlags(c);
        q->elem_size = c.Type == V4L2_CTRL_TYPE_STRING ? (uint)c.Maximum + 1 : c.Type == V4L2_CTRL_TYPE_INTEGER64 ? 8u : 4u;
        q->elems = 1;
        return 0;
    }

    private int QueryCtrl(v4l2_queryctrl* q)
    {
        var c = FindControl(q->id);
        if (c is null) return LibC.EINVAL;
        q->id = c.Id;
        q->type = c.Type;
        SimulatedIoctl.WriteText(q->name, 32, c.Name);
        q->minimum = (int)Math.Clamp(c.Minimum, int.MinValue, int.MaxValue);
        q->maximum = (int)Math.Clamp(c.Maximum, int.MinValue, int.MaxValue);
        q->step = (int)c.Step;
        q->default_value = (int)c.Default;
        q->flags = ReportedFlags(c);
        return 0;
    }

    private int QueryMenu(v4l2_querymenu* m)
    {
        var c = Controls.Find(x => x.Id == m->id);
        if (c is null || m->index < c.Minimum || m->index > c.Maximum) return LibC.EINVAL;
        if (c.Type == V4L2_CTRL_TYPE_MENU && c.MenuNames.TryGetValue(m->index, out var name))
        {
            SimulatedIoctl.WriteText(m->name, 32, name);
            return 0;
        }
        if (c.Type == V4L2_CTRL_TYPE_INTEGER_MENU && c.MenuValues.TryGetValue(m->index, out long value))
        {
            m->value = value;
            return 0;
        }
        return LibC.EINVAL;
    }

    private static bool IsInt32Type(SimControl c) => c.Type is V4L2_CTRL_TYPE_INTEGER or V4L2_CTRL_TYPE_BOOLEAN
        or V4L2_CTRL_TYPE_MENU or V4L2_CTRL_TYPE_INTEGER_MENU or V4L2_CTRL_TYPE_BUTTON or V4L2_CTRL_TYPE_BITMASK;

    private int GetCtrl(v4l2_control* ctrl)
    {
        var c = Controls.Find(x => x.Id == ctrl->id);
        if (c is null || !IsInt32Type(c)) return LibC.EINVAL;
        if ((c.Flags & V4L2_CTRL_FLAG_WRITE_ONLY) != 0) return LibC.EACCES;
        ctrl->value = (int)c.Value;
        return 0;
    }

    private int SetCtrl(v4l2_control* ctrl)
    {
        var c = Controls.Find(x => x.Id == ctrl->id);
        if (c is null || !IsInt32Type(c)) return LibC.EINVAL;
        int err = Store(c, ctrl->value, null);
        if (err == 0) ctrl->value = (int)c.Value;
        return err;
    }

    private int GetExtCtrls(v4l2_ext_controls* cs)
    {
        var list = (v4l2_ext_control*)cs->controls;
        for (uint i = 0; i < cs->count; i++)
        {
            var e = &list[i];
            var c = Controls.Find(x => x.Id == e->id);
            cs->error_idx = i;
            if (c is null || c.Type == V4L2_CTRL_TYPE_CTRL_CLASS) return LibC.EINVAL;
            if ((c.Flags & V4L2_CTRL_FLAG_WRITE_ONLY) != 0) return LibC.EACCES;
            if (c.Type == V4L2_CTRL_TYPE_STRING)
            {
                int need = Encoding.UTF8.GetByteCount(c.Text) + 1;
                if (e->size < need) { e->size = (uint)need; return LibC.ENOSPC; }
                SimulatedIoctl.WriteText((byte*)e->@string, (int)e->size, c.Text);
            }
            else if (c.Type == V4L2_CTRL_TYPE_INTEGER64) e->value64 = c.Value;
            else e->value = (int)c.Value;
        }
        cs->error_idx = cs->count;
        return 0;
    }

    private int SetExtCtrls(v4l2_ext_controls* cs)
    {
        var list = (v4l2_ext_control*)cs->controls;
        for (uint i = 0; i < cs->count; i++)
        {
            var e = &list[i];
            var c = Controls.Find(x => x.Id == e->id);
            cs->error_idx = i;
            if (c is null) return LibC.EINVAL;
            string? text = c.Type == V4L2_CTRL_TYPE_STRING
                ? Marshal.PtrToStringUTF8((nint)e->@string, Math.Max(0, (int)e->size - 1))
                : null;
            long value = c.Type == V4L2_CTRL_TYPE_INTEGER64 ? e->value64 : e->value;
            int err = Store(c, value, text);
            if (err != 0) return err;
            if (c.Type == V4L2_CTRL_TYPE_INTEGER64) e->value64 = c.Value;
            else if (c.Type != V4L2_CTRL_TYPE_STRING) e->value = (int)c.Value;
        }
        cs->error_idx = cs->count;
        return 0;
    }

    /// <summary>The control framework's validation: integers clamp and round to the step, menus refuse gaps.</summary>
    private int Store(SimControl c, long value, string? text)
    {
        if (c.Type == V4L2_CTRL_TYPE_CTRL_CLASS || (c.Flags & V4L2_CTRL_FLAG_READ_ONLY) != 0) return LibC.EACCES;
        if (c.FailWith != 0) return c.FailWith;
        switch (c.Type)
        {
            case V4L2_CTRL_TYPE_INTEGER:
            case V4L2_CTRL_TYPE_INTEGER64:
                value = Math.Clamp(value, c.Minimum, c.Maximum);
                long step = (long)Math.Max(1UL, c.Step);
                value = c.Minimum + (value - c.Minimum + step / 2) / step * step;
                if (value > c.Maximum) value -= step;
                break;
            case V4L2_CTRL_TYPE_BOOLEAN:
                value = value != 0 ? 1 : 0;
                break;
            case V4L2_CTRL_TYPE_MENU:
                if (value < c.Minimum || value > c.Maximum || !c.MenuNames.ContainsKey((uint)value)) return LibC.EINVAL;
                break;
            case V4L2_CTRL_TYPE_INTEGER_MENU:
                if (value < c.Minimum || value > c.Maximum || !c.MenuValues.ContainsKey((uint)value)) return LibC.EINVAL;
                break;
            case V4L2_CTRL_TYPE_BITMASK:
                if (((ulong)(uint)value & ~(ulong)c.Maximum) != 0) return LibC.EINVAL;
                break;
            case V4L2_CTRL_TYPE_STRING:
                if (text is null || text.Length < c.Minimum || text.Length > c.Maximum) return LibC.ERANGE;
                c.Text = text;
                break;
            case V4L2_CTRL_TYPE_BUTTON:
                value = 0;
                break;
        }
        if (c.Type != V4L2_CTRL_TYPE_STRING) c.Value = value;
        c.Writes++;
        c.OnWrite?.Invoke(this, value);
        return 0;
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    private void UpdateReadiness()
    {
        foreach (var h in _handles.Values)
        {
            bool readable = h.Gone || (h == _owner && (_pendingError != 0 || (Streaming && _done.Count > 0)));
            Signal(h, readable);
        }
    }

    private static void Signal(Handle h, bool readable)
    {
        if (readable == h.Signalled) return;
        ulong value = 1;
        if (readable) LibC.write(h.Fd, &value, sizeof(ulong));
        else LibC.read(h.Fd, &value, sizeof(ulong));
        h.Signalled = readable;
    }

    private static int NewEventFd()
    {
        int fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (fd < 0) throw new InvalidOperationException("eventfd failed");
        return fd;
    }

    /// <summary>
    /// A control of every type: integers with and without step, boolean, menus with gaps, integer menu, button,
    /// 64-bit, string, bitmask, classes, a disabled, a read-only volatile and an inactive control whose activity
    /// follows another control (auto exposure).
    /// </summary>
    public static List<SimControl> StandardControls()
    {
        const uint User = V4L2_CTRL_CLASS_USER, Codec = V4L2_CTRL_CLASS_CODEC, Camera = V4L2_CTRL_CLASS_CAMERA;
        const uint ClassFlags = V4L2_CTRL_FLAG_READ_ONLY | V4L2_CTRL_FLAG_WRITE_ONLY;
        const uint ButtonFlags = V4L2_CTRL_FLAG_WRITE_ONLY | V4L2_CTRL_FLAG_EXECUTE_ON_WRITE;
        const uint ExposureTime = Camera | 0x902;
        return new List<SimControl>
        {
            new() { Id = User | 1, Type = V4L2_CTRL_TYPE_CTRL_CLASS, Name = "User Controls", Flags = ClassFlags },
            new() { Id = User | 0x900, Type = V4L2_CTRL_TYPE_INTEGER, Name = "Brightness", Minimum = 0, Maximum = 255, Default = 128, Value = 128 },
            new() { Id = User | 0x901, Type = V4L2_CTRL_TYPE_INTEGER, Name = "Contrast", Minimum = 0, Maximum = 100, Step = 5, Default = 50, Value = 55 },
            new() { Id = User | 0x902, Type = V4L2_CTRL_TYPE_INTEGER, Name = "Saturation", Minimum = -100, Maximum = 100, Default = 0, Value = -20 },
            new() { Id = User | 0x90c, Type = V4L2_CTRL_TYPE_BOOLEAN, Name = "White Balance, Automatic", Minimum = 0, Maximum = 1, Default = 1, Value = 1 },
            new()
            {
                Id = User | 0x918, Type = V4L2_CTRL_TYPE_MENU, Name = "Power Line Frequency", Minimum = 0, Maximum = 3, Default = 1, Value = 3,
                MenuNames = new() { [0] = "Disabled", [1] = "50 Hz", [3] = "Auto" },
            },
            new() { Id = User | 0x91a, Type = V4L2_CTRL_TYPE_BUTTON, Name = "Do White Balance", Flags = ButtonFlags },
            new() { Id = User | 0x1900, Type = V4L2_CTRL_TYPE_INTEGER64, Name = "Integer 64 Bit", Minimum = -(1L << 40), Maximum = 1L << 40, Default = 0, Value = 7 },
            new() { Id = User | 0x1901, Type = V4L2_CTRL_TYPE_STRING, Name = "String", Minimum = 2, Maximum = 10, Text = "hello" },
            new() { Id = User | 0x1902, Type = V4L2_CTRL_TYPE_BITMASK, Name = "Bitmask", Minimum = 0, Maximum = 0x8000250F, Step = 0, Default = 1, Value = 1 },
            new()
            {
                Id = User | 0x1903, Type = V4L2_CTRL_TYPE_INTEGER_MENU, Name = "Integer Menu", Minimum = 0, Maximum = 4, Default = 0, Value = 2,
                MenuValues = new() { [0] = 100000000, [1] = 200000000, [2] = 400000000, [4] = 800000000 },
            },
            new()
            {
                Id = User | 0x1904, Type = V4L2_CTRL_TYPE_MENU, Name = "Scene Mode (Test)", Minimum = 0, Maximum = 2, Default = 0, Value = 1,
                MenuNames = new() { [0] = "None", [1] = "Night's Mode", [2] = "Sports & Action" },
            },
            new() { Id = User | 0x1905, Type = V4L2_CTRL_TYPE_INTEGER, Name = "Gain - Analog", Minimum = 0, Maximum = 10, Default = 5, Value = 5 },
            new() { Id = User | 0x1906, Type = V4L2_CTRL_TYPE_INTEGER, Name = "Old Feature", Minimum = 0, Maximum = 1, Flags = V4L2_CTRL_FLAG_DISABLED },
            new()
            {
                Id = User | 0x1907, Type = V4L2_CTRL_TYPE_INTEGER, Name = "Sensor Temperature", Minimum = -40, Maximum = 120, Default = 20, Value = 35,
                Flags = V4L2_CTRL_FLAG_READ_ONLY | V4L2_CTRL_FLAG_VOLATILE,
            },
            new() { Id = Codec | 1, Type = V4L2_CTRL_TYPE_CTRL_CLASS, Name = "Codec Controls", Flags = ClassFlags },
            new() { Id = V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME, Type = V4L2_CTRL_TYPE_BUTTON, Name = "Force Key Frame", Flags = ButtonFlags },
            new()
            {
                Id = V4L2_CID_MPEG_VIDEO_H264_PROFILE, Type = V4L2_CTRL_TYPE_MENU, Name = "H264 Profile", Minimum = 0, Maximum = 4, Default = 0, Value = 4,
                MenuNames = new() { [0] = "Baseline", [1] = "Constrained Baseline", [2] = "Main", [3] = "Extended", [4] = "High" },
            },
            new() { Id = Camera | 1, Type = V4L2_CTRL_TYPE_CTRL_CLASS, Name = "Camera Controls", Flags = ClassFlags },
            new()
            {
                Id = Camera | 0x901, Type = V4L2_CTRL_TYPE_MENU, Name = "Auto Exposure", Minimum = 0, Maximum = 3, Default = 3, Value = 3,
                MenuNames = new() { [0] = "Auto Mode", [1] = "Manual Mode", [3] = "Aperture Priority Mode" },
                OnWrite = (driver, value) =>
                {
                    var time = driver.Control(ExposureTime);
                    time.Flags = value == 1 ? time.Flags & ~V4L2_CTRL_FLAG_INACTIVE : time.Flags | V4L2_CTRL_FLAG_INACTIVE;
                },
            },
            new()
            {
                Id = ExposureTime, Type = V4L2_CTRL_TYPE_INTEGER, Name = "Exposure Time, Absolute", Minimum = 3, Maximum = 2047, Default = 250, Value = 250,
                Flags = V4L2_CTRL_FLAG_INACTIVE,
            },
        };
    }

    public void Dispose()
    {
        foreach (var fd in _handles.Keys) LibC.close(fd);
        foreach (var fd in _dmabufs) LibC.close(fd);
        _handles.Clear();
        _dmabufs.Clear();
        foreach (var b in _buffers) if (b.MapCount == 0) NativeMemory.Free(b.Memory);
        _buffers.Clear();
    }
}
