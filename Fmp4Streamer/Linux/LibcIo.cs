using System.Runtime.InteropServices;
using System.Text;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Linux;

/// <summary>The production <see cref="ILinuxIo"/>: plain libc calls through Tmds.LibC.</summary>
public sealed unsafe class LibcIo : ILinuxIo
{
    public static readonly LibcIo Instance = new();

    public int Open(string path, int flags, out int fd)
    {
        int byteCount = Encoding.UTF8.GetByteCount(path);
        Span<byte> name = byteCount < 512 ? stackalloc byte[byteCount + 1] : new byte[byteCount + 1];
        Encoding.UTF8.GetBytes(path, name);
        name[byteCount] = 0;
        fixed (byte* p = name)
        {
            do fd = open(p, flags, 0);
            while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);
        }
        return fd < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    public int Close(int fd) => close(fd) < 0 ? Marshal.GetLastPInvokeError() : 0;

    public int Ioctl(int fd, uint request, void* arg)
    {
        int rc;
        // Tmds.LibC declares the request as int; the kernel reads it as unsigned int, so the bits are what count.
        do rc = ioctl(fd, unchecked((int)request), arg);
        while (rc < 0 && Marshal.GetLastPInvokeError() == EINTR);
        return rc < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    public int Mmap(int fd, nuint length, int prot, int flags, long offset, out void* address)
    {
        address = mmap(null, (Tmds.Linux.size_t)(ulong)length, prot, flags, fd, offset);
        if (address == MAP_FAILED)
        {
            address = null;
            return Marshal.GetLastPInvokeError();
        }
        return 0;
    }

    public int Munmap(void* address, nuint length) => munmap(address, (Tmds.Linux.size_t)(ulong)length) < 0 ? Marshal.GetLastPInvokeError() : 0;
}
