using System.Net.Sockets;
using System.Text;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>Raw loopback reads of /stream.mp4 against the daemon: bytes in a time span, and a join that leaves at once.</summary>
internal static class StreamSampler
{
    /// <summary>Bytes of /stream.mp4 received during <paramref name="duration"/> after <paramref name="warmUp"/>.</summary>
    public static long BytesOver(int port, TimeSpan warmUp, TimeSpan duration)
    {
        using var socket = Open(port);
        var buffer = new byte[64 * 1024];
        var start = DateTime.UtcNow;
        var measureFrom = start + warmUp;
        var until = measureFrom + duration;
        long bytes = 0;
        socket.ReceiveTimeout = 500;
        while (DateTime.UtcNow < until)
        {
            int n;
            try { n = socket.Receive(buffer); }
            catch (SocketException) { continue; } // a timeout: nothing yet
            if (n == 0) break;
            if (DateTime.UtcNow >= measureFrom) bytes += n;
        }
        return bytes;
    }

    /// <summary>Reads /stream.mp4 until <paramref name="enough"/> bytes arrived or <paramref name="timeout"/> passed; returns the count.</summary>
    public static long ReadUntil(int port, long enough, TimeSpan timeout)
    {
        using var socket = Open(port);
        var buffer = new byte[64 * 1024];
        var until = DateTime.UtcNow + timeout;
        long bytes = 0;
        socket.ReceiveTimeout = 500;
        while (bytes < enough && DateTime.UtcNow < until)
        {
            int n;
            try { n = socket.Receive(buffer); }
            catch (SocketException) { continue; }
            if (n == 0) break;
            bytes += n;
        }
        return bytes;
    }

    /// <summary>Joins the stream, waits for the response head, and leaves.</summary>
    public static void JoinAndLeave(int port)
    {
        using var socket = Open(port);
        socket.ReceiveTimeout = 1000;
        var buffer = new byte[4096];
        try { socket.Receive(buffer); } catch (SocketException) { }
    }

    private static Socket Open(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(System.Net.IPAddress.Loopback, port);
        socket.Send(Encoding.ASCII.GetBytes("GET /stream.mp4 HTTP/1.1\r\nHost: test\r\n\r\n"));
        return socket;
    }
}
