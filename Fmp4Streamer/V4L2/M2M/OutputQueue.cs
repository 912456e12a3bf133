using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.V4L2.M2M;

/// <summary>
/// The OUTPUT (data in) queue of an M2M device. MMAP: the frame is copied into a free mapped buffer. DMABUF: the
/// upstream buffer's exported fd is queued as it is (no copy) and the upstream buffer is held until the device hands
/// the OUTPUT buffer back (DQBUF on EPOLLOUT), then requeued upstream. Free buffers are any index the device returned:
/// unlike the reference (buffer i ↔ buffer i), counts need not match across stages.
/// </summary>
public sealed unsafe class OutputQueue : IDisposable
{

    private readonly VideoDevice _device;
    private readonly bool _multiPlanar;
    private readonly byte*[] _addresses;
    private readonly nuint[] _lengths;
    private readonly int[] _free;
    private readonly BufferQueue?[] _heldQueue;
    private readonly int[] _heldIndex;
    private int _freeCount;
    private bool _streaming;
    private bool _disposed;

    public OutputQueue(VideoDevice device, uint bufferType, uint memory, int requestedCount)
    {
        _device = device;
        BufferType = bufferType;
        Memory = memory;
        _multiPlanar = bufferType == V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
        v4l2_requestbuffers req = default;
        req.count = (uint)requestedCount;
        req.type = bufferType;
        req.memory = memory;
        device.IoctlOrThrow(VIDIOC_REQBUFS, &req, "VIDIOC_REQBUFS (OUTPUT)");
        if (req.count < 1) throw new V4l2Exception($"Insufficient buffer memory on {device.Path}: no OUTPUT buffers");
        int count = (int)req.count;
        _addresses = new byte*[count];
        _lengths = new nuint[count];
        _free = new int[count];
        _heldQueue = new BufferQueue?[count];
        _heldIndex = new int[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                if (memory == V4L2_MEMORY_MMAP) Map(i);
                _free[_freeCount++] = count - 1 - i;
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public uint BufferType { get; }

    public uint Memory { get; }

    public int Count => _addresses.Length;

    public int FreeCount => _freeCount;

    /// <summary>Frames refused because every OUTPUT buffer was still with the device.</summary>
    public long Dropped { get; private set; }

    private void Map(int index)
    {
        _addresses[index] = _device.MapBuffer(BufferType, _multiPlanar, index, out nuint length);
        _lengths[index] = length;
    }

    public void Start()
    {
        if (_streaming) return;
        int type = (int)BufferType;
        _device.IoctlOrThrow(VIDIOC_STREAMON, &type, "VIDIOC_STREAMON (OUTPUT)");
        _streaming = true;
    }

    /// <summary>
    /// MMAP: copies <paramref name="data"/> into a free buffer (truncated to its size) and queues it with the
    /// timestamp; <paramref name="patchJpeg"/> applies the APP0→APP4 rewrite to the copy. False when none is free.
    /// </summary>
    public bool SubmitCopy(ReadOnlySpan<byte> data, long timestampUs, bool patchJpeg)
    {
        if (!TakeFree(out int index)) return false;
        int length = Math.Min(data.Length, (int)_lengths[index]);
        var dest = new Span<byte>(_addresses[index], length);
        data[..length].CopyTo(dest);
        if (patchJpeg) JpegApp0Patch.Apply(dest);
        Queue(index, length, 0, -1, timestampUs);
        return true;
    }

    /// <summary>
    /// DMABUF: queues buffer <paramref name="upstreamIndex"/> of <paramref name="upstream"/> by its exported fd and
    /// holds it upstream until the device returns it. Must be called while <paramref name="upstream"/> delivers it.
    /// </summary>
    public bool SubmitImport(BufferQueue upstream, int upstreamIndex, int bytesUsed, long timestampUs)
    {
        int fd = upstream.DmabufFd(upstreamIndex);
        if (fd < 0) throw new V4l2Exception($"{_device.Path}: DMABUF input needs the upstream device to export its buffers (VIDIOC_EXPBUF), use MMAP");
        // The same upstream buffer always into the same OUTPUT buffer: videobuf2 keeps a buffer's dmabuf attachment
        // and mapping while the fd stays the same, and attaches and maps again whenever it changes.
        if (!TakeFree(out int index, upstreamIndex % _free.Length)) return false;
        Queue(index, bytesUsed, upstream.MappedLength(upstreamIndex), fd, timestampUs);
        upstream.HoldCurrent();
        _heldQueue[index] = upstream;
        _heldIndex[index] = upstreamIndex;
        return true;
    }

    /// <summary>DQBUF every OUTPUT buffer the device is done with (EAGAIN ends); held upstream buffers go back.</summary>
    public int Reclaim()
    {
        int reclaimed = 0;
        v4l2_plane* planes = stackalloc v4l2_plane[VIDEO_MAX_PLANES];
        while (_streaming)
        {
            if (!_device.TryDequeue(BufferType, Memory, _multiPlanar, planes, out var buf, "VIDIOC_DQBUF (OUTPUT)")) break;
            int index = (int)buf.index;
            if ((uint)index >= (uint)_free.Length) throw new LinuxException(Tmds.Linux.LibC.EINVAL, "VIDIOC_DQBUF (OUTPUT) index", _device.Path);
            ReleaseHeld(index, requeue: true);
            _free[_freeCount++] = index;
            reclaimed++;
        }
        return reclaimed;
    }

    private bool TakeFree(out int index, int preferred = -1)
    {
        if (_freeCount == 0) Reclaim();
        if (_freeCount == 0)
        {
            index = -1;
            Dropped++;
            return false;
        }
        for (int i = 0; i < _freeCount - 1; i++)
        {
            if (_free[i] != preferred) continue;
            (_free[i], _free[_freeCount - 1]) = (_free[_freeCount - 1], _free[i]);
            break;
        }
        index = _free[--_freeCount];
        return true;
    }

    private void Queue(int index, int bytesUsed, int length, int fd, long timestampUs)
    {
        v4l2_plane* planes = stackalloc v4l2_plane[VIDEO_MAX_PLANES];
        v4l2_buffer buf = default;
        buf.index = (uint)index;
        buf.type = BufferType;
        buf.memory = Memory;
        buf.field = V4L2_FIELD_NONE;
        buf.timestamp.tv_sec = timestampUs / 1_000_000;
        buf.timestamp.tv_usec = timestampUs % 1_000_000;
        if (_multiPlanar)
        {
            planes[0].bytesused = (uint)bytesUsed;
            if (fd >= 0)
            {
                planes[0].m.fd = fd;
                planes[0].length = (uint)length;
            }
            buf.m.planes = (ulong)planes;
            buf.length = 1;
        }
        else
        {
            buf.bytesused = (uint)bytesUsed;
            if (fd >= 0)
            {
                buf.m.fd = fd;
                buf.length = (uint)length;
            }
        }
        int err = _device.Ioctl(VIDIOC_QBUF, &buf);
        if (err != 0)
        {
            _free[_freeCount++] = index;
            throw new LinuxException(err, "VIDIOC_QBUF (OUTPUT)", _device.Path);
        }
    }

    private void ReleaseHeld(int index, bool requeue)
    {
        var queue = _heldQueue[index];
        if (queue is null) return;
        _heldQueue[index] = null;
        if (requeue) queue.Requeue(_heldIndex[index]);
    }

    /// <summary>STREAMOFF returns every buffer; imported upstream buffers are given back to their queue.</summary>
    public void Stop()
    {
        if (!_streaming) return;
        _streaming = false;
        int type = (int)BufferType;
        _device.Ioctl(VIDIOC_STREAMOFF, &type);
        _freeCount = 0;
        for (int i = 0; i < _free.Length; i++)
        {
            ReleaseHeld(i, requeue: true);
            _free[_freeCount++] = _free.Length - 1 - i;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Stop();
        if (_addresses is null) return;
        for (int i = 0; i < _addresses.Length; i++)
        {
            if (_addresses[i] == null) continue;
            _device.Io.Munmap(_addresses[i], _lengths[i]);
            _addresses[i] = null;
        }
        v4l2_requestbuffers req = default;
        req.type = BufferType;
        req.memory = Memory;
        _device.Ioctl(VIDIOC_REQBUFS, &req);
    }
}
