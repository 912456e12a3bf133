namespace Fmp4Streamer.Rtsp;

/// <summary>
/// One client's RTSP session (RFC 2326 3): the tracks it set up (video, audio, or both, each an <see cref="RtpLink"/>
/// with its own transport) on one camera, and whether it plays. PLAY, PAUSE and TEARDOWN act on all its tracks.
/// </summary>
public sealed class RtspSession
{
    internal RtspSession(string id, RtspConnection owner, RtspStream stream)
    {
        Id = id;
        Owner = owner;
        Stream = stream;
    }

    public string Id { get; }
    internal RtspConnection Owner { get; }
    internal RtspStream Stream { get; }

    public RtpLink? Video { get; private set; }
    public RtpLink? Audio { get; private set; }

    /// <summary>The track set up first (every session has one).</summary>
    public RtpLink First { get; private set; } = null!;

    public TransportSpec Transport => First.Transport;
    public string TrackUrl => First.TrackUrl;
    public int ServerRtpPort => First.ServerRtpPort;
    internal int RtpFd => First.RtpFd;
    internal int RtcpFd => First.RtcpFd;

    /// <summary>Some track travels on the control connection (it cannot outlive it).</summary>
    public bool HasInterleaved => Video?.Transport.Interleaved == true || Audio?.Transport.Interleaved == true;

    public bool IsPlaying { get; internal set; }
    internal long LastActivityUs { get; set; }

    public long FramesSent => Sum(l => l.FramesSent);
    public long FramesSkipped => Sum(l => l.FramesSkipped);
    public long DatagramsDropped => Sum(l => l.DatagramsDropped);
    public long ReceiverReports => Sum(l => l.ReceiverReports);
    public long SenderReports => Sum(l => l.SenderReports);

    internal RtpLink Add(bool isAudio, TransportSpec transport, string trackUrl)
    {
        var link = new RtpLink(this, isAudio, transport, trackUrl);
        if (isAudio) Audio = link;
        else Video = link;
        First ??= link;
        return link;
    }

    private long Sum(Func<RtpLink, long> counter) => (Video is null ? 0 : counter(Video)) + (Audio is null ? 0 : counter(Audio));
}
