using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Linux.Sockets;

/// <summary>
/// Non-blocking UDP datagrams. Expected outcomes are return values (-errno): a full socket buffer gives
/// EAGAIN, and a send never waits for it.
/// </summary>
public static unsafe class UdpSocket
{
    /// <summary>A non-blocking UDP socket bound to any address of <paramref name="likePeer"/>'s family on <paramref name="port"/>, or -errno.</summary>
    public static int Bind(in SocketEndpoint likePeer, int port)
    {
        var local = likePeer.IsIPv6 ? SocketEndpoint.AnyIPv6(port) : SocketEndpoint.AnyIPv4(port);
        int fd = socket(likePeer.IsIPv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) return -LinuxError.Last;
        if (likePeer.IsIPv6)
        {
            int zero = 0; // IPv4 peers of a dual-stack listener arrive as IPv4-mapped addresses
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(int));
        }
        if (bind(fd, (sockaddr*)&local.Storage, local.Length) < 0)
        {
            int errno = LinuxError.Last;
            close(fd);
            return -errno;
        }
        return fd;
    }

    /// <summary>Bytes sent or -errno (EAGAIN when the socket buffer is full: the datagram is dropped).</summary>
    public static long SendTo(int fd, ReadOnlySpan<byte> datagram, in SocketEndpoint destination)
    {
        fixed (byte* p = datagram)
        fixed (sockaddr_storage* to = &destination.Storage)
        {
            while (true)
            {
                long n = sendto(fd, p, datagram.Length, MSG_DONTWAIT | MSG_NOSIGNAL, (sockaddr*)to, destination.Length);
                if (n >= 0) return n;
                int errno = LinuxError.Last;
                if (errno != EINTR) return -errno;
            }
        }
    }

    /// <summary>One datagram's bytes, or -errno (EAGAIN when none is waiting).</summary>
    public static int Receive(int fd, Span<byte> buffer) => TcpSocket.Receive(fd, buffer);

    public static void Close(int fd) => close(fd);
}
