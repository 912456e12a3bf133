using Fmp4Streamer.Linux.Sockets;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// Hands out server port pairs for UDP sessions from the configured range: an even RTP port and the odd RTCP
/// port above it (RFC 3550 11), skipping pairs the system already uses.
/// </summary>
public sealed class UdpPortPairs
{
    private readonly int _first, _last;
    private int _next;

    public UdpPortPairs(int first, int last)
    {
        _first = first + (first & 1);
        _last = last;
        _next = _first;
    }

    /// <summary>Binds a pair for a peer of <paramref name="peer"/>'s address family; false when the range is used up.</summary>
    public bool TryBind(in SocketEndpoint peer, out int rtpFd, out int rtcpFd, out int rtpPort)
    {
        int pairs = Math.Max(0, (_last - _first + 1) / 2);
        for (int tried = 0; tried < pairs; tried++)
        {
            rtpPort = _next;
            _next += 2;
            if (_next + 1 > _last) _next = _first;
            rtpFd = UdpSocket.Bind(peer, rtpPort);
            if (rtpFd < 0) continue;
            rtcpFd = UdpSocket.Bind(peer, rtpPort + 1);
            if (rtcpFd >= 0) return true;
            UdpSocket.Close(rtpFd);
        }
        rtpFd = rtcpFd = rtpPort = -1;
        return false;
    }
}
