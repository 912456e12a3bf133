namespace Fmp4Streamer.Linux;

/// <summary>
/// The kernel seam of the V4L2 layer: the few system calls a device needs. Every method returns 0 on success or a
/// positive errno (EAGAIN, ENODEV...), the way a driver's handler answers, so a simulated driver can stand in.
/// The fds are real fds: the caller registers them with the <see cref="EventLoop"/> to wait for buffers.
/// </summary>
public unsafe interface ILinuxIo
{
    /// <summary>open(2). <paramref name="path"/> may be a symlink (/dev/v4l/by-id/...).</summary>
    int Open(string path, int flags, out int fd);

    int Close(int fd);

    /// <summary>ioctl(2) with a pointer argument; the request number carries the argument size.</summary>
    int Ioctl(int fd, uint request, void* arg);

    /// <summary>mmap(2) of <paramref name="length"/> bytes of <paramref name="fd"/> at <paramref name="offset"/>.</summary>
    int Mmap(int fd, nuint length, int prot, int flags, long offset, out void* address);

    int Munmap(void* address, nuint length);
}
