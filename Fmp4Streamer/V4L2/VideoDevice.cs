using System.Globalization;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.V4L2;

/// <summary>
/// One open V4L2 node: QUERYCAP, format and frame-rate negotiation. Opened non-blocking so DQBUF answers EAGAIN and
/// the fd can sit in the epoll loop; all kernel access goes through <see cref="ILinuxIo"/>.
/// </summary>
public sealed unsafe class VideoDevice : IDisposable
{
    private readonly ILinuxIo _io;
    private int _fd;

    private VideoDevice(ILinuxIo io, string path, int fd)
    {
        _io = io;
        Path = path;
        _fd = fd;
    }

    /// <summary>The path as configured (possibly a /dev/v4l/by-id symlink: open follows it).</summary>
    public string Path { get; }

    public int Fd => _fd;

    public ILinuxIo Io => _io;

    public DeviceCapabilities? Capabilities { get; private set; }

    /// <summary>Opens O_RDWR|O_NONBLOCK|O_CLOEXEC; a missing or busy node throws <see cref="LinuxException"/>.</summary>
    public static VideoDevice Open(ILinuxIo io, string path)
    {
        int err = io.Open(path, Tmds.Linux.LibC.O_RDWR | Tmds.Linux.LibC.O_NONBLOCK | Tmds.Linux.LibC.O_CLOEXEC, out int fd);
        if (err != 0) throw new LinuxException(err, "open", path);
        return new VideoDevice(io, path, fd);
    }

    /// <summary>Returns 0 or the errno, for callers to whom failure is an expected outcome (EAGAIN, EINVAL at the end of an enumeration).</summary>
    public int Ioctl(uint request, void* arg) => _io.Ioctl(_fd, request, arg);

    public void IoctlOrThrow(uint request, void* arg, string name)
    {
        int err = _io.Ioctl(_fd, request, arg);
        if (err != 0) throw new LinuxException(err, name, Path);
    }

    /// <summary>
    /// DQBUF of one completed buffer into <paramref name="buf"/> (with <paramref name="planes"/>, VIDEO_MAX_PLANES of
    /// them, for multi-planar queues). False on EAGAIN (nothing done yet); any other errno — the device is gone or
    /// broken — throws.
    /// </summary>
    public bool TryDequeue(uint bufferType, uint memory, bool multiPlanar, v4l2_plane* planes, out v4l2_buffer buf, string name)
    {
        buf = default;
        buf.type = bufferType;
        buf.memory = memory;
        if (multiPlanar)
        {
            new Span<byte>(planes, sizeof(v4l2_plane) * VIDEO_MAX_PLANES).Clear();
            buf.m.planes = (ulong)planes;
            buf.length = VIDEO_MAX_PLANES;
        }
        fixed (v4l2_buffer* b = &buf)
        {
            int err = _io.Ioctl(_fd, VIDIOC_DQBUF, b);
            if (err == Tmds.Linux.LibC.EAGAIN) return false;
            if (err != 0) throw new LinuxException(err, name, Path);
        }
        return true;
    }

    /// <summary>
    /// QUERYBUF and mmap of plane 0 of an MMAP buffer, readable and writable (capture buffers may feed an M2M stage,
    /// OUTPUT buffers are written). The caller owns the mapping and unmaps <paramref name="length"/> bytes.
    /// </summary>
    public byte* MapBuffer(uint bufferType, bool multiPlanar, int index, out nuint length)
    {
        const int ProtReadWrite = 0x1 | 0x2; // PROT_READ | PROT_WRITE
        const int MapShared = 0x01;
        v4l2_plane* planes = stackalloc v4l2_plane[VIDEO_MAX_PLANES];
        v4l2_buffer buf = default;
        buf.index = (uint)index;
        buf.type = bufferType;
        buf.memory = V4L2_MEMORY_MMAP;
        if (multiPlanar)
        {
            buf.m.planes = (ulong)planes;
            buf.length = VIDEO_MAX_PLANES;
        }
        IoctlOrThrow(VIDIOC_QUERYBUF, &buf, "VIDIOC_QUERYBUF");
        long offset = multiPlanar ? planes[0].m.mem_offset : buf.m.offset;
        length = multiPlanar ? planes[0].length : buf.length;
        int err = _io.Mmap(_fd, length, ProtReadWrite, MapShared, offset, out void* address);
        if (err != 0) throw new LinuxException(err, "mmap", Path);
        return (byte*)address;
    }

    public DeviceCapabilities QueryCapabilities()
    {
        v4l2_capability cap = default;
        IoctlOrThrow(VIDIOC_QUERYCAP, &cap, "VIDIOC_QUERYCAP");
        Capabilities = new DeviceCapabilities(
            NativeText.Read(cap.driver, 16), NativeText.Read(cap.card, 32), NativeText.Read(cap.bus_info, 32),
            cap.capabilities, cap.device_caps);
        return Capabilities;
    }

    /// <summary>
    /// Requires video capture (single- or multi-planar) with streaming I/O and returns the buffer type to use
    /// (single-planar preferred); otherwise one error naming the device and what it lacks.
    /// </summary>
    public uint RequireCapture()
    {
        var caps = Capabilities ?? QueryCapabilities();
        bool single = caps.Has(V4L2_CAP_VIDEO_CAPTURE);
        bool multi = caps.Has(V4L2_CAP_VIDEO_CAPTURE_MPLANE);
        bool streaming = caps.Has(V4L2_CAP_STREAMING);
        if (single && streaming) return V4L2_BUF_TYPE_VIDEO_CAPTURE;
        if (multi && streaming) return V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
        string lacks = !single && !multi
            ? (streaming ? "video capture" : "video capture and streaming I/O")
            : "streaming I/O";
        throw new V4l2Exception(
            $"{Path} ({caps.Card}, driver {caps.Driver}) is not usable as a camera: it lacks {lacks} " +
            $"(capabilities 0x{caps.Caps:x8})");
    }

    public VideoFormat GetFormat(uint bufferType)
    {
        v4l2_format f = default;
        f.type = bufferType;
        IoctlOrThrow(VIDIOC_G_FMT, &f, "VIDIOC_G_FMT");
        return ToVideoFormat(in f);
    }

    /// <summary>
    /// S_FMT with exactly this size and fourcc. Drivers answer with the nearest thing they have; anything else than
    /// what was asked is refused with what the driver offered and the formats it lists.
    /// </summary>
    public VideoFormat SetFormat(uint bufferType, int width, int height, uint pixelFormat)
    {
        var got = RequestFormat(bufferType, width, height, pixelFormat);
        if (got.PixelFormat != pixelFormat || got.Width != width || got.Height != height)
        {
            var wanted = new VideoFormat(bufferType, width, height, pixelFormat, 0);
            throw new V4l2Exception(
                $"{Path} cannot capture {wanted}: the driver offered {got} instead ({ListFormats(bufferType, pixelFormat)})");
        }
        return got;
    }

    /// <summary>
    /// S_FMT (single- or multi-planar by <paramref name="bufferType"/>, one plane) and the driver's answer, unchecked:
    /// callers decide what a different answer means. <paramref name="sizeImage"/> 0 lets the driver choose.
    /// </summary>
    public VideoFormat RequestFormat(uint bufferType, int width, int height, uint pixelFormat, uint sizeImage = 0, string name = "VIDIOC_S_FMT")
    {
        v4l2_format f = default;
        f.type = bufferType;
        if (bufferType == V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE || bufferType == V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE)
        {
            f.fmt.pix_mp.width = (uint)width;
            f.fmt.pix_mp.height = (uint)height;
            f.fmt.pix_mp.pixelformat = pixelFormat;
            f.fmt.pix_mp.field = V4L2_FIELD_ANY;
            f.fmt.pix_mp.num_planes = 1;
            f.fmt.pix_mp.PlaneFmt(0).sizeimage = sizeImage;
        }
        else
        {
            f.fmt.pix.width = (uint)width;
            f.fmt.pix.height = (uint)height;
            f.fmt.pix.pixelformat = pixelFormat;
            f.fmt.pix.field = V4L2_FIELD_ANY;
            f.fmt.pix.sizeimage = sizeImage;
        }
        IoctlOrThrow(VIDIOC_S_FMT, &f, name);
        var got = ToVideoFormat(in f);
        // Some drivers leave sizeimage 0 in the S_FMT answer and fill it in G_FMT.
        if (got.SizeImage == 0) got = got with { SizeImage = GetFormat(bufferType).SizeImage };
        return got;
    }

    /// <summary>
    /// S_PARM with 1/<paramref name="fps"/> per frame. A driver without frame-rate control or one that picks another
    /// rate is not fatal (durations come from timestamps): it adds a warning saying what the device uses.
    /// </summary>
    public void SetFrameRate(uint bufferType, int fps, ICollection<string> warnings)
    {
        v4l2_streamparm parm = default;
        parm.type = bufferType;
        parm.parm.capture.timeperframe.numerator = 1;
        parm.parm.capture.timeperframe.denominator = (uint)fps;
        int err = Ioctl(VIDIOC_S_PARM, &parm);
        if (err != 0)
        {
            warnings.Add($"{Path} can't set fps to {fps}: VIDIOC_S_PARM {LinuxError.Name(err)}");
            return;
        }
        var tpf = parm.parm.capture.timeperframe;
        if (tpf.numerator == 0 || tpf.denominator == 0)
        {
            warnings.Add($"{Path} can't set fps to {fps}: the driver reports no frame rate ({tpf.numerator}/{tpf.denominator} s per frame)");
            return;
        }
        if ((ulong)tpf.denominator != (ulong)fps * tpf.numerator)
        {
            double used = (double)tpf.denominator / tpf.numerator;
            warnings.Add($"{Path} can't set fps to {fps}, using {used.ToString("0.###", CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>
    /// For error messages: "formats H264, MJPG, YUYV" from VIDIOC_ENUM_FMT, plus the frame sizes of
    /// <paramref name="wanted"/> when the device has that format ("; H264 sizes 640x480 1280x720").
    /// </summary>
    public string ListFormats(uint bufferType, uint wanted)
    {
        var names = new List<string>();
        bool hasWanted = false;
        for (uint i = 0; i < 256; i++)
        {
            v4l2_fmtdesc d = default;
            d.index = i;
            d.type = bufferType;
            if (Ioctl(VIDIOC_ENUM_FMT, &d) != 0) break;
            names.Add(FourCc.ToText(d.pixelformat));
            hasWanted |= d.pixelformat == wanted;
        }
        if (names.Count == 0) return "no formats";
        string list = "formats " + string.Join(", ", names);
        if (!hasWanted) return list;
        string sizes = ListFrameSizes(wanted);
        return sizes.Length == 0 ? list : $"{list}; {FourCc.ToText(wanted)} sizes {sizes}";
    }

    private string ListFrameSizes(uint pixelFormat)
    {
        var sizes = new List<string>();
        for (uint i = 0; i < 64; i++)
        {
            v4l2_frmsizeenum s = default;
            s.index = i;
            s.pixel_format = pixelFormat;
            if (Ioctl(VIDIOC_ENUM_FRAMESIZES, &s) != 0) break;
            if (s.type == V4L2_FRMSIZE_TYPE_DISCRETE)
            {
                sizes.Add($"{s.discrete.width}x{s.discrete.height}");
                continue;
            }
            sizes.Add($"{s.stepwise.min_width}x{s.stepwise.min_height} to {s.stepwise.max_width}x{s.stepwise.max_height}");
            break;
        }
        return string.Join(" ", sizes);
    }

    private static VideoFormat ToVideoFormat(in v4l2_format f)
    {
        if (f.type == V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE || f.type == V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE)
        {
            var mp = f.fmt.pix_mp;
            return new VideoFormat(f.type, (int)mp.width, (int)mp.height, mp.pixelformat, mp.PlaneFmt(0).sizeimage);
        }
        return new VideoFormat(f.type, (int)f.fmt.pix.width, (int)f.fmt.pix.height, f.fmt.pix.pixelformat, f.fmt.pix.sizeimage);
    }

    public void Dispose()
    {
        if (_fd < 0) return;
        _io.Close(_fd);
        _fd = -1;
    }
}
