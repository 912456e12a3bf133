using System.Runtime.InteropServices;

namespace Fmp4Streamer.Linux;

/// <summary>Turns errno into readable exceptions and names (ENODEV rather than 19).</summary>
public static class LinuxError
{
    public static int Last => Marshal.GetLastPInvokeError();

    public static LinuxException Exception(string call, string? target = null) => new(Last, call, target);

    public static string Name(int errno) => errno switch
    {
        1 => "EPERM", 2 => "ENOENT", 3 => "ESRCH", 4 => "EINTR", 5 => "EIO", 6 => "ENXIO", 7 => "E2BIG", 9 => "EBADF",
        10 => "ECHILD", 11 => "EAGAIN", 12 => "ENOMEM", 13 => "EACCES", 14 => "EFAULT", 16 => "EBUSY", 17 => "EEXIST",
        19 => "ENODEV", 20 => "ENOTDIR", 21 => "EISDIR", 22 => "EINVAL", 23 => "ENFILE", 24 => "EMFILE", 25 => "ENOTTY",
        28 => "ENOSPC", 32 => "EPIPE", 38 => "ENOSYS", 56 => "EBADRQC", 61 => "ENODATA", 62 => "ETIME", 71 => "EPROTO",
        75 => "EOVERFLOW", 90 => "EMSGSIZE", 95 => "EOPNOTSUPP", 97 => "EAFNOSUPPORT", 98 => "EADDRINUSE",
        99 => "EADDRNOTAVAIL", 100 => "ENETDOWN", 101 => "ENETUNREACH", 103 => "ECONNABORTED", 104 => "ECONNRESET",
        105 => "ENOBUFS", 107 => "ENOTCONN", 110 => "ETIMEDOUT", 111 => "ECONNREFUSED", 113 => "EHOSTUNREACH",
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
