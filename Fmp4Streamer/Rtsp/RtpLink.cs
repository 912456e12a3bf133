using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Sockets;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// One set-up track of a session (RFC 2326 10.4): its transport (interleaved on the connection, on the track's
/// channel pair, or UDP to the client's ports from a server port pair) and what its sender reports count. Video
/// starts at a key frame and goes back to waiting for one whenever the client falls behind; an AAC unit decodes
/// on its own, so audio just loses the units that did not fit.
/// </summary>
public sealed class RtpLink : IPollable
{
    private readonly byte[] _rtcpBuffer = new byte[1500];

    internal RtpLink(RtspSession session, bool isAudio, TransportSpec transport, string trackUrl)
    {
        Session = session;
        IsAudio = isAudio;
        Transport = transport;
        TrackUrl = trackUrl;
    }

    public RtspSession Session { get; }
    public bool IsAudio { get; }
    public TransportSpec Transport { get; }
    public string TrackUrl { get; }

    /// <summary>Interleaved channel of the RTP; the RTCP goes on the next one.</summary>
    public byte Channel => IsAudio ? AacPacketizer.Channel : RtpPacketizer.Channel;

    internal bool WaitingForKeyFrame { get; set; } = true;

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

    /// <summary>Called by the stream for every frame of this track while playing; allocates nothing.</summary>
    internal void Deliver(RtpFrame frame)
    {
        if (WaitingForKeyFrame)
        {
            if (!frame.IsKeyFrame) return;
            WaitingForKeyFrame = false;
        }
        if (Transport.Interleaved)
        {
            if (!Session.Owner.TrySendFrame(frame))
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

    /// <summary>RTCP from the client on the server's RTCP port (UDP) or the track's RTCP channel (interleaved).</summary>
    internal void OnRtcp(ReadOnlySpan<byte> packet, long nowUs)
    {
        int reports = RtcpPackets.CountReceiverReports(packet);
        ReceiverReports += reports;
        if (reports > 0) Session.LastActivityUs = nowUs;
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
            if (rtcp) OnRtcp(_rtcpBuffer.AsSpan(0, n), Session.Owner.NowUs);
        }
    }
}
