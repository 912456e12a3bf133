using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.V4L2;

/// <summary>
/// The MMAP buffers of one capture queue: REQBUFS, QUERYBUF + mmap + EXPBUF each, QBUF all then STREAMON, and on
/// readiness DQBUF in whatever order the driver completes buffers, hand over, QBUF again. Dispose releases every
/// mapping and exported fd so restarts leak nothing.
/// </summary>
public sealed unsafe class BufferQueue : IDisposable
{
    private const uint ExpbufFlags = 0x80000 | 0x2; // O_CLOEXEC | O_RDWR
    private const long SaneTimestampWindowUs = 10_000_000;

    private readonly VideoDevice _device;
    private readonly bool _multiPlanar;
    private readonly Mapping[] _buffers;
    private bool _streaming;
    private bool _disposed;
    private bool _haveSequence;
    private uint _lastSequence;
    private bool _holdCurrent;

    private struct Mapping
    {
        public byte* Address;
        public nuint Length;
        public int DmabufFd;
    }

    /// <summary>Requests <paramref name="requestedCount"/> MMAP buffers; the driver's count is accepted if it is at least 2.</summary>
    public BufferQueue(VideoDevice device, uint bufferType, int requestedCount = 4)
    {
        _device = device;
        BufferType = bufferType;
        _multiPlanar = bufferType == V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE || bufferType == V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;

        v4l2_requestbuffers req = default;
        req.count = (uint)requestedCount;
        req.type = bufferType;
        req.memory = V4L2_MEMORY_MMAP;
        device.IoctlOrThrow(VIDIOC_REQBUFS, &req, "VIDIOC_REQBUFS");
        if (req.count < 2)
        {
            FreeBuffersOnDriver();
            throw new V4l2Exception($"Insufficient buffer memory on {device.Path}: asked for {requestedCount} buffers, got {req.count}");
        }
        _buffers = new Mapping[req.count];
        for (int i = 0; i < _buffers.Length; i++) _buffers[i].DmabufFd = -1;
        try
        {
            for (int i = 0; i < _buffers.Length; i++) MapBuffer(i);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public uint BufferType { get; }

    public int Count => _buffers.Length;

    public bool IsStreaming => _streaming;

    /// <summary>Frames the driver dropped since Start, from gaps in the buffer sequence numbers.</summary>
    public long DroppedFrames { get; private set; }

    /// <summary>The exported dmabuf fd of buffer <paramref name="index"/>, or -1 when the driver cannot export (v4l2loopback).</summary>
    public int DmabufFd(int index) => _buffers[index].DmabufFd;

    public int MappedLength(int index) => (int)_buffers[index].Length;

    /// <summary>The whole mapping of buffer <paramref name="index"/>, writable (the APP0→APP4 patch of an imported JPEG).</summary>
    public Span<byte> Memory(int index) => new(_buffers[index].Address, (int)_buffers[index].Length);

    /// <summary>
    /// Called from inside <see cref="IFrameReceiver.OnFrame"/>: the delivered buffer stays with us after the receiver
    /// returns, because an M2M stage imported its dmabuf and still reads it; <see cref="Requeue"/> gives it back.
    /// </summary>
    public void HoldCurrent() => _holdCurrent = true;

    /// <summary>Gives a held buffer back to the driver; ignored once the queue stopped (STREAMOFF returned it).</summary>
    public void Requeue(int index)
    {
        if (!_streaming || _disposed) return;
        Queue(index);
    }

    private void MapBuffer(int index)
    {
        _buffers[index].Address = _device.MapBuffer(BufferType, _multiPlanar, index, out nuint length);
        _buffers[index].Length = length;

        v4l2_exportbuffer exp = default;
        exp.type = BufferType;
        exp.index = (uint)index;
        exp.plane = 0;
        exp.flags = ExpbufFlags;
        // Kept for M2M stages; drivers without vb2 export (v4l2loopback) answer ENOTTY/EINVAL, which is fine here.
        if (_device.Ioctl(VIDIOC_EXPBUF, &exp) == 0) _buffers[index].DmabufFd = exp.fd;
    }

    /// <summary>Queues every buffer, then STREAMON (that order: some drivers refuse STREAMON on an empty queue).</summary>
    public void Start()
    {
        if (_streaming) return;
        for (int i = 0; i < _buffers.Length; i++) Queue(i);
        _haveSequence = false;
        DroppedFrames = 0;
        int type = (int)BufferType;
        _device.IoctlOrThrow(VIDIOC_STREAMON, &type, "VIDIOC_STREAMON");
        _streaming = true;
    }

    /// <summary>STREAMOFF; the driver returns every buffer to us. Errors are ignored: the device may be gone.</summary>
    public void Stop()
    {
        if (!_streaming) return;
        _streaming = false;
        int type = (int)BufferType;
        _device.Ioctl(VIDIOC_STREAMOFF, &type);
    }

    /// <summary>
    /// Dequeues every completed buffer (EAGAIN ends the round), hands each to <paramref name="receiver"/> and queues it
    /// again. Buffers flagged ERROR or empty are requeued without delivery. Any other errno (ENODEV, EIO, EPIPE: the
    /// device is gone or broken) throws <see cref="LinuxException"/>.
    /// </summary>
    public int Drain(IFrameReceiver receiver)
    {
        int delivered = 0;
        v4l2_plane* planes = stackalloc v4l2_plane[VIDEO_MAX_PLANES];
        while (_streaming)
        {
            if (!_device.TryDequeue(BufferType, V4L2_MEMORY_MMAP, _multiPlanar, planes, out var buf, "VIDIOC_DQBUF")) break;
            int index = (int)buf.index;
            _holdCurrent = false;
            if ((uint)index >= (uint)_buffers.Length) throw new LinuxException(Tmds.Linux.LibC.EINVAL, "VIDIOC_DQBUF index", _device.Path);

            if (_haveSequence && buf.sequence - _lastSequence - 1 < int.MaxValue) DroppedFrames += buf.sequence - _lastSequence - 1;
            _haveSequence = true;
            _lastSequence = buf.sequence;

            uint start = _multiPlanar ? planes[0].data_offset : 0;
            uint end = _multiPlanar ? planes[0].bytesused : buf.bytesused;
            uint mapped = (uint)_buffers[index].Length;
            if (end > mapped) end = mapped;
            if (start > end) start = end;
            if ((buf.flags & V4L2_BUF_FLAG_ERROR) == 0 && end > start)
            {
                var data = new ReadOnlySpan<byte>(_buffers[index].Address + start, (int)(end - start));
                receiver.OnFrame(new CapturedFrame(data, TimestampUs(in buf), buf.flags, buf.sequence, index));
                delivered++;
            }
            // The receiver may have stopped or disposed the queue; the buffer then stays with us.
            if (!_streaming || _disposed) break;
            if (_holdCurrent)
            {
                _holdCurrent = false;
                continue;
            }
            Queue(index);
        }
        return delivered;
    }

    /// <summary>
    /// The buffer's capture time in CLOCK_MONOTONIC µs. Drivers flag monotonic stamps; others (copy/unknown, e.g.
    /// v4l2loopback) are trusted only when close to now, else the dequeue time stands in.
    /// </summary>
    private static long TimestampUs(in v4l2_buffer buf)
    {
        long ts = buf.timestamp.tv_sec * 1_000_000 + buf.timestamp.tv_usec;
        if ((buf.flags & V4L2_BUF_FLAG_TIMESTAMP_MASK) == V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC && ts > 0) return ts;
        long now = MonotonicClock.NowUs;
        return ts > 0 && Math.Abs(now - ts) < SaneTimestampWindowUs ? ts : now;
    }

    private void Queue(int index)
    {
        v4l2_plane* planes = stackalloc v4l2_plane[VIDEO_MAX_PLANES];
        v4l2_buffer buf = default;
        buf.index = (uint)index;
        buf.type = BufferType;
        buf.memory = V4L2_MEMORY_MMAP;
        if (_multiPlanar)
        {
            buf.m.planes = (ulong)planes;
            buf.length = 1;
        }
        _device.IoctlOrThrow(VIDIOC_QBUF, &buf, "VIDIOC_QBUF");
    }

    private void FreeBuffersOnDriver()
    {
        v4l2_requestbuffers req = default;
        req.count = 0;
        req.type = BufferType;
        req.memory = V4L2_MEMORY_MMAP;
        _device.Ioctl(VIDIOC_REQBUFS, &req);
    }

    /// <summary>STREAMOFF, munmap, close the dmabuf fds, REQBUFS 0. Safe after the device vanished (errors ignored).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Stop();
        if (_buffers is null) return;
        for (int i = 0; i < _buffers.Length; i++)
        {
            if (_buffers[i].Address != null)
            {
                _device.Io.Munmap(_buffers[i].Address, _buffers[i].Length);
                _buffers[i].Address = null;
            }
            if (_buffers[i].DmabufFd >= 0)
            {
                _device.Io.Close(_buffers[i].DmabufFd);
                _buffers[i].DmabufFd = -1;
            }
        }
        FreeBuffersOnDriver();
    }
}
