using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Linux.Sockets;

/// <summary>
/// Non-blocking calls on a connected TCP socket. Expected outcomes are return values: a negative result is
/// <c>-errno</c> (<see cref="WouldBlock"/> for EAGAIN), 0 from <see cref="Receive"/> is the peer's FIN.
/// </summary>
public static unsafe class TcpSocket
{
    public static int WouldBlock => -EAGAIN;

    /// <summary>Accepts one connection (non-blocking, close-on-exec, TCP_NODELAY); -errno when none or on error.</summary>
    public static int Accept(int listenFd, out SocketEndpoint peer)
    {
        peer = default;
        peer.Length = (uint)sizeof(sockaddr_storage);
        int fd;
        fixed (SocketEndpoint* p = &peer)
        {
            do fd = accept4(listenFd, (sockaddr*)&p->Storage, &p->Length, SOCK_NONBLOCK | SOCK_CLOEXEC);
            while (fd < 0 && LinuxError.Last == EINTR);
        }
        if (fd < 0) return -LinuxError.Last;
        // Fragments are sent as soon as they exist; Nagle would hold back the tail of each one.
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(int));
        return fd;
    }

    /// <summary>Bytes read, 0 at end of stream, or -errno.</summary>
    public static int Receive(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = recv(fd, p, buffer.Length, MSG_DONTWAIT);
                if (n >= 0) return (int)n;
                int errno = LinuxError.Last;
                if (errno != EINTR) return -errno;
            }
        }
    }

    /// <summary>Bytes sent or -errno. MSG_NOSIGNAL: a closed peer gives EPIPE here, never SIGPIPE.</summary>
    public static long Send(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                long n = send(fd, p, data.Length, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n >= 0) return n;
                int errno = LinuxError.Last;
                if (errno != EINTR) return -errno;
            }
        }
    }

    /// <summary>One sendmsg over <paramref name="count"/> iovecs; bytes sent or -errno.</summary>
    public static long SendGathered(int fd, iovec* vectors, int count)
    {
        msghdr message = default;
        message.msg_iov = vectors;
        message.msg_iovlen = count;
        while (true)
        {
            long n = sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n >= 0) return n;
            int errno = LinuxError.Last;
            if (errno != EINTR) return -errno;
        }
    }

    /// <summary>SO_ERROR: why the socket failed (for EPOLLERR), 0 if it did not.</summary>
    public static int PendingError(int fd)
    {
        int error = 0;
        socklen_t length = sizeof(int);
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
        return error;
    }

    /// <summary>Sends our FIN while still reading, so the peer sees the whole response before the close.</summary>
    public static void ShutdownWrite(int fd) => shutdown(fd, SHUT_WR);

    public static void Close(int fd) => close(fd);
}
