using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.videodev2;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.V4L2.Simulated;

/// <summary>
/// Several simulated devices behind one <see cref="ILinuxIo"/>, as the kernel would be: open goes to the device owning
/// the path, every other call to the one that handed out the fd (device fds and exported dmabufs) or the mapping.
/// It remembers which buffer each exported dmabuf fd stands for, so tests can tell an import from a copy.
/// </summary>
public sealed unsafe class SimulatedLinuxIo : ILinuxIo
{
    private readonly ILinuxIo[] _devices;
    private readonly Dictionary<int, ILinuxIo> _fds = new();
    private readonly Dictionary<nint, ILinuxIo> _mappings = new();

    public SimulatedLinuxIo(params ILinuxIo[] devices) => _devices = devices;

    /// <summary>Exported dmabuf fd → (device, buffer type, index), for as long as the fd is open.</summary>
    public Dictionary<int, (ILinuxIo Device, uint Type, uint Index)> Exported { get; } = new();

    public int Open(string path, int flags, out int fd)
    {
        fd = -1;
        foreach (var d in _devices)
        {
            int err = d.Open(path, flags, out fd);
            if (err == LibC.ENOENT) continue;
            if (err == 0) _fds[fd] = d;
            return err;
        }
        return LibC.ENOENT;
    }

    public int Close(int fd)
    {
        if (!_fds.Remove(fd, out var d)) return LibC.EBADF;
        Exported.Remove(fd);
        return d.Close(fd);
    }

    public int Ioctl(int fd, uint request, void* arg)
    {
        if (!_fds.TryGetValue(fd, out var d)) return LibC.EBADF;
        int err = d.Ioctl(fd, request, arg);
        if (err == 0 && request == VIDIOC_EXPBUF)
        {
            var e = (v4l2_exportbuffer*)arg;
            _fds[e->fd] = d;
            Exported[e->fd] = (d, e->type, e->index);
        }
        return err;
    }

    public int Mmap(int fd, nuint length, int prot, int flags, long offset, out void* address)
    {
        address = null;
        if (!_fds.TryGetValue(fd, out var d)) return LibC.EBADF;
        int err = d.Mmap(fd, length, prot, flags, offset, out address);
        if (err == 0) _mappings[(nint)address] = d;
        return err;
    }

    public int Munmap(void* address, nuint length)
    {
        if (!_mappings.Remove((nint)address, out var d)) throw new InvalidOperationException("munmap of an unknown address");
        return d.Munmap(address, length);
    }
}
