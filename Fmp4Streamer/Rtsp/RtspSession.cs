using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Sockets;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// One client's set-up stream (RFC 2326 3): its transport (interleaved on the connection, or UDP to the client's
/// ports from a server port pair), whether it plays, and what the sender reports count. Delivery starts at a key
/// frame and goes back to waiting for one whenever the client falls behind.
/// </summary>
public sealed class RtspSession : IPollable
{
    private readonly byte[] _rtcpBuffer = new byte[1500];

    internal RtspSession(string id, RtspConnection owner, RtspStream stream, TransportSpec transport, string trackUrl)
    {
        Id = id;
        Owner = owner;
        Stream = stream;
        Transport = transport;
        TrackUrl = trackUrl;
    }

    public string Id { get; }
    internal RtspConnection Owner { get; }
    internal RtspStream Stream { get; }
    public TransportSpec Transport { get; }
    public string TrackUrl { get; }

    public bool IsPlaying { get; internal set; }
    internal bool WaitingForKeyFrame { get; set; } = true;
    internal long LastActivityUs { get; set; }

    // UDP only.
    internal int RtpFd { get; set; } = -1;
    internal int RtcpFd { get; set; } = -1;
    public int ServerRtpPort { get; internal set; }
    internal SocketEndpoint RtpDestination;
    internal SocketEndpoint RtcpDestination;

    public uint PacketsSent { get; private set; }
    public uint OctetsSent { get; private set; }
    public long FramesSent { get; private set; }
    public long FramesSkipped { get; private set; }
    public long DatagramsDropped { get; private set; }
    public long ReceiverReports { get; private set; }
    public long SenderReports { get; internal set; }

    /// <summary>Called by the stream for every frame while playing; allocates nothing.</summary>
    internal void Deliver(RtpFrame frame)
    {
        if (WaitingForKeyFrame)
        {
            if (!frame.IsKeyFrame) return;
            WaitingForKeyFrame = false;
        }
        if (Transport.Interleaved)
        {
            if (!Owner.TrySendFrame(frame))
            {
                WaitingForKeyFrame = true;
                FramesSkipped++;
                return;
            }
        }
        else
        {
            for (int i = 0; i < frame.PacketCount; i++)
            {
                // Never waits: a full socket buffer costs the datagram, as a lossy network would.
                if (UdpSocket.SendTo(RtpFd, frame.Datagram(i), RtpDestination) < 0) DatagramsDropped++;
            }
        }
        FramesSent++;
        PacketsSent += (uint)frame.PacketCount;
        OctetsSent += (uint)frame.PayloadBytes;
    }

    /// <summary>RTCP from the client on the server's RTCP port (UDP) or channel 1 (interleaved).</summary>
    internal void OnRtcp(ReadOnlySpan<byte> packet, long nowUs)
    {
        int reports = RtcpPackets.CountReceiverReports(packet);
        ReceiverReports += reports;
        if (reports > 0) LastActivityUs = nowUs;
    }

    void IPollable.OnPoll(int events)
    {
        // Drains both UDP sockets: RTCP from the client, and anything sent to the RTP port (NAT keep-alives).
        DrainUdp(RtcpFd, rtcp: true);
        DrainUdp(RtpFd, rtcp: false);
    }

    private void DrainUdp(int fd, bool rtcp)
    {
        if (fd < 0) return;
        for (int i = 0; i < 64; i++)
        {
            int n = UdpSocket.Receive(fd, _rtcpBuffer);
            if (n < 0) return;
            if (rtcp) OnRtcp(_rtcpBuffer.AsSpan(0, n), Owner.NowUs);
        }
    }
}
