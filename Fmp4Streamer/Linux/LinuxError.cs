using System.Runtime.InteropServices;

namespace Fmp4Streamer.Linux;

/// <summary>Turns errno into readable exceptions and names (ENODEV rather than 19).</summary>
public static class LinuxError
{
    public static int Last => Marshal.GetLastPInvokeError();

    public static LinuxException Exception(string call, string? target = null) => new(Last, call, target);

    public static string Name(int errno) => errno switch
    {
        1 => "EPERM", 2 => "ENOENT", 4 => "EINTR", 5 => "EIO", 6 => "ENXIO", 9 => "EBADF", 11 => "EAGAIN",
        12 => "ENOMEM", 13 => "EACCES", 14 => "EFAULT", 16 => "EBUSY", 19 => "ENODEV", 22 => "EINVAL",
        25 => "ENOTTY", 28 => "ENOSPC", 32 => "EPIPE", 38 => "ENOSYS", 56 => "EBADRQC", 61 => "ENODATA", 95 => "EOPNOTSUPP",
        98 => "EADDRINUSE", 99 => "EADDRNOTAVAIL", 104 => "ECONNRESET", 105 => "ENOBUFS", 110 => "ETIMEDOUT", 111 => "ECONNREFUSED",
        _ => "errno " + errno,
    };
}

/// <summary>A failed system call: errno, the call and what it was applied to.</summary>
public sealed class LinuxException : Exception
{
    public LinuxException(int errno, string call, string? target)
        : base($"{call}{(target is null ? "" : " " + target)}: {LinuxError.Name(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})")
    {
        Errno = errno;
        Call = call;
        Target = target;
    }

    public int Errno { get; }
    public string Call { get; }
    public string? Target { get; }
}
