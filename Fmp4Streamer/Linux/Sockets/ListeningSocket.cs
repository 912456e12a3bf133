using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Linux.Sockets;

/// <summary>A bound, listening, non-blocking TCP socket and the port the kernel gave it.</summary>
public sealed unsafe class ListeningSocket : IDisposable
{
    private const int Backlog = 128;

    private ListeningSocket(int fd, SocketEndpoint local)
    {
        Fd = fd;
        Local = local;
    }

    public int Fd { get; private set; }

    /// <summary>The bound address; its port is the kernel's choice when 0 was asked for.</summary>
    public SocketEndpoint Local { get; }

    public int Port => Local.Port;

    /// <summary>
    /// Opens the sockets for a configured listen address: "" = dual-stack "::" (or 0.0.0.0 when the host has no
    /// IPv6), an IPv4 or IPv6 literal, or "localhost" (127.0.0.1 and, when available, ::1 on the same port).
    /// Host names are not resolved.
    /// </summary>
    public static List<ListeningSocket> OpenAll(string address, int port)
    {
        var result = new List<ListeningSocket>();
        if (address.Length == 0)
        {
            if (TryOpen(SocketEndpoint.AnyIPv6(port), dualStack: true, out var any6, out int errno)) result.Add(any6!);
            else if (errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL) result.Add(Open(SocketEndpoint.AnyIPv4(port)));
            else throw new LinuxException(errno, "bind", "[::]:" + port);
        }
        else if (address == "localhost")
        {
            SocketEndpoint.TryParse("127.0.0.1", port, out var v4);
            var first = Open(v4);
            result.Add(first);
            SocketEndpoint.TryParse("::1", first.Port, out var v6);
            if (TryOpen(v6, dualStack: false, out var second, out _)) result.Add(second!);
        }
        else if (SocketEndpoint.TryParse(address, port, out var endpoint))
        {
            result.Add(Open(endpoint));
        }
        else
        {
            throw new ArgumentException($"listen address '{address}' is not an IPv4 or IPv6 literal, 'localhost' or empty");
        }
        return result;
    }

    public static ListeningSocket Open(SocketEndpoint endpoint)
    {
        if (TryOpen(endpoint, dualStack: false, out var socket, out int errno)) return socket!;
        throw new LinuxException(errno, "bind", endpoint.ToString());
    }

    private static bool TryOpen(SocketEndpoint endpoint, bool dualStack, out ListeningSocket? socket, out int errno)
    {
        socket = null;
        int family = endpoint.IsIPv6 ? AF_INET6 : AF_INET;
        int fd = LibC.socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            errno = LinuxError.Last;
            return false;
        }
        int one = 1, zero = 0;
        // Restarting the daemon must not wait for TIME_WAIT sockets of the previous run.
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(int));
        if (endpoint.IsIPv6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, dualStack ? &zero : &one, sizeof(int));
        if (bind(fd, (sockaddr*)&endpoint.Storage, endpoint.Length) < 0 || listen(fd, Backlog) < 0)
        {
            errno = LinuxError.Last;
            close(fd);
            return false;
        }
        SocketEndpoint local = default;
        local.Length = (uint)sizeof(sockaddr_storage);
        if (getsockname(fd, (sockaddr*)&local.Storage, &local.Length) < 0)
        {
            errno = LinuxError.Last;
            close(fd);
            return false;
        }
        errno = 0;
        socket = new ListeningSocket(fd, local);
        return true;
    }

    public void Dispose()
    {
        if (Fd < 0) return;
        close(Fd);
        Fd = -1;
    }
}
