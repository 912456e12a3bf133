using System.Buffers.Binary;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Sockets;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// One RTSP control connection: reads requests (and interleaved RTCP from the client), answers them in order, and
/// carries the interleaved RTP of its TCP sessions. A bad request gets its 4xx here and touches nothing else.
/// </summary>
public sealed class RtspConnection : IPollable
{
    private const string Component = "RTSP";
    private const string Methods = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER";

    private readonly RtspServer _server;
    private readonly InterleavedQueue _queue = new();
    private readonly byte[] _input = new byte[RtspRequestParser.MaxHeadBytes + 64 * 1024 + 4];
    private readonly List<RtspSession> _sessions = new();
    private int _inputLength;
    private bool _waitingForWritable;
    private bool _closeWhenFlushed;
    private RtspRequest? _pendingDescribe;
    private RtspStream? _pendingDescribeStream;
    private long _pendingDescribeSinceUs;

    internal RtspConnection(RtspServer server, int fd, SocketEndpoint peer)
    {
        _server = server;
        Fd = fd;
        Peer = peer;
        LastProgressUs = server.Loop.NowUs;
        _access = new RtspAccessGate(this, server.Access, server.Loop);
    }

    private readonly RtspAccessGate _access;

    public int Fd { get; private set; }
    public SocketEndpoint Peer { get; }
    public bool IsClosed => Fd < 0;
    internal long NowUs => _server.Loop.NowUs;
    internal long LastProgressUs { get; private set; }
    internal long QueuedBytes => _queue.QueuedBytes;
    internal IReadOnlyList<RtspSession> Sessions => _sessions;

    void IPollable.OnPoll(int events)
    {
        if (IsClosed) return;
        if ((events & (EPOLLERR | EPOLLHUP)) != 0 && (events & EPOLLIN) == 0)
        {
            Close();
            return;
        }
        if ((events & EPOLLOUT) != 0) Flush();
        if (!IsClosed && (events & EPOLLIN) != 0) Read();
    }

    private void Read()
    {
        while (!IsClosed)
        {
            if (_inputLength == _input.Length)
            {
                // Only a DESCRIBE in wait leaves input unprocessed; a client piling up more is not one we serve.
                Close();
                return;
            }
            int n = TcpSocket.Receive(Fd, _input.AsSpan(_inputLength));
            if (n == TcpSocket.WouldBlock) return;
            if (n <= 0)
            {
                Close();
                return;
            }
            _inputLength += n;
            foreach (var s in _sessions) if (s.HasInterleaved) s.LastActivityUs = NowUs;
            Process();
        }
    }

    /// <summary>Handles every complete request and interleaved packet in the input, unless a DESCRIBE waits.</summary>
    private void Process()
    {
        int at = 0;
        while (!IsClosed && !_closeWhenFlushed && _pendingDescribe is null && _access.Held is null && at < _inputLength)
        {
            var data = _input.AsSpan(at, _inputLength - at);
            if (data[0] == (byte)'$')
            {
                if (data.Length < 4) break;
                int length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
                if (data.Length < 4 + length) break;
                if ((data[1] & 1) == 1) DeliverRtcp(data[1], data.Slice(4, length));
                at += 4 + length;
                continue;
            }
            var result = RtspRequestParser.TryParse(data, out var request, out int consumed);
            if (result == RtspRequestParser.Result.NeedMore) break;
            if (result != RtspRequestParser.Result.Complete)
            {
                _server.MalformedRequests++;
                Reply(new RtspResponse(result == RtspRequestParser.Result.TooLarge ? 413 : 400, null).Header("Connection", "close"));
                _closeWhenFlushed = true;
                at = _inputLength;
                break;
            }
            at += consumed;
            Handle(request!);
        }
        if (IsClosed) return;
        _input.AsSpan(at, _inputLength - at).CopyTo(_input);
        _inputLength -= at;
        if (_closeWhenFlushed) Flush();
    }

    /// <summary>Interleaved RTCP from the client goes to the track whose RTP channel is just below its channel.</summary>
    private void DeliverRtcp(byte channel, ReadOnlySpan<byte> packet)
    {
        foreach (var s in _sessions)
        {
            if (s.Video is { Transport.Interleaved: true } video && video.Channel + 1 == channel) video.OnRtcp(packet, NowUs);
            if (s.Audio is { Transport.Interleaved: true } audio && audio.Channel + 1 == channel) audio.OnRtcp(packet, NowUs);
        }
    }

    private void Handle(RtspRequest request)
    {
        if (request.CSeq is null)
        {
            Reply(new RtspResponse(400, null));
            return;
        }
        if (!_access.Admit(request)) return;
        switch (request.Method)
        {
            case "OPTIONS":
                Refresh(request);
                Reply(new RtspResponse(200, request.CSeq).Header("Public", Methods));
                break;
            case "DESCRIBE":
                Describe(request);
                break;
            case "SETUP":
                Setup(request);
                break;
            case "PLAY":
                Play(request);
                break;
            case "PAUSE":
                Pause(request);
                break;
            case "TEARDOWN":
                Teardown(request);
                break;
            case "GET_PARAMETER":
            case "SET_PARAMETER":
                if (request.Session is not null && Find(request) is null)
                {
                    Reply(new RtspResponse(454, request.CSeq));
                    break;
                }
                Refresh(request);
                Reply(WithSession(new RtspResponse(200, request.CSeq), Find(request)));
                break;
            case "ANNOUNCE":
            case "RECORD":
            case "REDIRECT":
                Reply(new RtspResponse(405, request.CSeq).Header("Allow", Methods));
                break;
            default:
                Reply(new RtspResponse(501, request.CSeq).Header("Public", Methods));
                break;
        }
    }

    private void Describe(RtspRequest request)
    {
        var stream = _server.Resolve(request.Uri, out _);
        // A pictures-only camera has no H264 to describe: at once, rather than a wait for parameter sets that never come.
        if (stream is null || stream.Live.PicturesOnly)
        {
            Reply(new RtspResponse(404, request.CSeq));
            return;
        }
        if (stream.ParameterSets is not null)
        {
            AnswerDescribe(request, stream);
            return;
        }
        // A sleeping camera: wake it and answer once its first SPS/PPS arrive (later requests wait behind).
        _pendingDescribe = request;
        _pendingDescribeStream = stream;
        _pendingDescribeSinceUs = NowUs;
        stream.AwaitParameterSets(this);
    }

    internal void OnParameterSetsReady(RtspStream stream)
    {
        if (IsClosed || _pendingDescribe is null) return;
        var request = _pendingDescribe;
        _pendingDescribe = null;
        _pendingDescribeStream = null;
        AnswerDescribe(request, stream);
        Process();
    }

    /// <summary>Called by the server's sweep: a DESCRIBE whose camera never delivered gets 503.</summary>
    internal void ExpireDescribe(long nowUs, long timeoutUs)
    {
        if (_pendingDescribe is null || nowUs - _pendingDescribeSinceUs < timeoutUs) return;
        var request = _pendingDescribe;
        _pendingDescribeStream!.CancelAwait(this);
        _pendingDescribe = null;
        _pendingDescribeStream = null;
        Reply(new RtspResponse(503, request.CSeq));
        Process();
    }

    private void AnswerDescribe(RtspRequest request, RtspStream stream)
    {
        string sdp = SdpWriter.Write(stream.Name, stream.ParameterSets!, stream.FramesPerSecond, _server.SdpSessionId, stream.Audio);
        Reply(new RtspResponse(200, request.CSeq)
            .Header("Content-Base", StreamUrl(request.Uri) + "/")
            .Body("application/sdp", sdp));
    }

    private void Setup(RtspRequest request)
    {
        var stream = _server.Resolve(request.Uri, out _, out bool audio);
        // A pictures-only camera has no H264 to describe: at once, rather than a wait for parameter sets that never come.
        if (stream is null || stream.Live.PicturesOnly || (audio && stream.Audio is null))
        {
            Reply(new RtspResponse(404, request.CSeq));
            return;
        }
        RtspSession? session = null;
        if (request.Session is not null)
        {
            // A session's second track: the other track of the same camera, on this connection.
            session = Find(request);
            if (session is null)
            {
                Reply(new RtspResponse(454, request.CSeq));
                return;
            }
            if (session.Owner != this || session.Stream != stream || (audio ? session.Audio : session.Video) is not null)
            {
                Reply(new RtspResponse(459, request.CSeq));
                return;
            }
        }
        if (!TransportSpec.TryParse(request.Transport, out var transport))
        {
            Reply(new RtspResponse(461, request.CSeq));
            return;
        }
        int rtpFd = -1, rtcpFd = -1, port = 0;
        if (!transport.Interleaved && !_server.PortPairs.TryBind(Peer, out rtpFd, out rtcpFd, out port))
        {
            Reply(new RtspResponse(453, request.CSeq));
            return;
        }
        Log.Info(Component, $"{Peer}: SETUP {request.Uri} ({(transport.Interleaved ? "TCP" : "UDP")})");
        bool created = session is null;
        session ??= new RtspSession(_server.NewSessionId(), this, stream);
        session.LastActivityUs = NowUs;
        var link = session.Add(audio, transport, StreamUrl(request.Uri) + "/" + (audio ? SdpWriter.AudioTrackControl : SdpWriter.TrackControl));
        uint ssrc = stream.SsrcOf(link);
        string transportReply;
        if (transport.Interleaved)
        {
            transportReply = $"RTP/AVP/TCP;unicast;interleaved={link.Channel}-{link.Channel + 1};ssrc={ssrc:X8}";
        }
        else
        {
            link.RtpFd = rtpFd;
            link.RtcpFd = rtcpFd;
            link.ServerRtpPort = port;
            link.RtpDestination = Peer.WithPort(transport.ClientRtpPort);
            link.RtcpDestination = Peer.WithPort(transport.ClientRtcpPort);
            _server.Loop.Add(rtcpFd, EPOLLIN, link);
            _server.Loop.Add(rtpFd, EPOLLIN, link);
            transportReply = $"RTP/AVP;unicast;client_port={transport.ClientRtpPort}-{transport.ClientRtcpPort};" +
                $"server_port={port}-{port + 1};ssrc={ssrc:X8}";
        }
        if (created)
        {
            _sessions.Add(session);
            _server.Register(session);
        }
        Reply(WithSession(new RtspResponse(200, request.CSeq), session).Header("Transport", transportReply));
    }

    private void Play(RtspRequest request)
    {
        var session = Find(request);
        if (session is null)
        {
            Reply(new RtspResponse(454, request.CSeq));
            return;
        }
        Refresh(request);
        var stream = session.Stream;
        // Delivery starts at the next key frame; these are the sequence numbers and clocks it will continue from.
        string rtpInfo = RtpInfo(session.Video);
        if (session.Audio is not null) rtpInfo = (rtpInfo.Length > 0 ? rtpInfo + "," : "") + RtpInfo(session.Audio);
        Reply(WithSession(new RtspResponse(200, request.CSeq), session)
            .Header("Range", "npt=now-")
            .Header("RTP-Info", rtpInfo));
        if (!session.IsPlaying)
        {
            session.IsPlaying = true;
            stream.AddPlayer(session);
        }
    }

    private string RtpInfo(RtpLink? link)
    {
        if (link is null) return "";
        var stream = link.Session.Stream;
        return $"url={link.TrackUrl};seq={stream.NextSequenceNumberOf(link)};rtptime={stream.RtpTime(link, NowUs)}";
    }

    private void Pause(RtspRequest request)
    {
        var session = Find(request);
        if (session is null)
        {
            Reply(new RtspResponse(454, request.CSeq));
            return;
        }
        Refresh(request);
        if (session.IsPlaying)
        {
            session.IsPlaying = false;
            session.Stream.RemovePlayer(session);
        }
        Reply(WithSession(new RtspResponse(200, request.CSeq), session));
    }

    private void Teardown(RtspRequest request)
    {
        var session = Find(request);
        if (session is null)
        {
            Reply(new RtspResponse(454, request.CSeq));
            return;
        }
        EndSession(session);
        Reply(new RtspResponse(200, request.CSeq));
    }

    private RtspSession? Find(RtspRequest request) =>
        request.Session is null ? null : _server.FindSession(request.Session);

    private void Refresh(RtspRequest request)
    {
        var session = Find(request);
        if (session is not null) session.LastActivityUs = NowUs;
    }

    private RtspResponse WithSession(RtspResponse response, RtspSession? session) =>
        session is null ? response : response.Header("Session", $"{session.Id};timeout={_server.Options.SessionTimeoutSeconds}");

    private static string StreamUrl(string uri)
    {
        string url = uri.TrimEnd('/');
        if (url.EndsWith("/" + SdpWriter.TrackControl, StringComparison.Ordinal)) url = url[..^(SdpWriter.TrackControl.Length + 1)];
        else if (url.EndsWith("/" + SdpWriter.AudioTrackControl, StringComparison.Ordinal)) url = url[..^(SdpWriter.AudioTrackControl.Length + 1)];
        return url;
    }

    /// <summary>The access gate decided a held request: handle it (null: it was answered 401), then what follows it.</summary>
    internal void OnAccessDecided(RtspRequest? request)
    {
        if (request is not null) Handle(request);
        if (!IsClosed) Process();
    }

    internal void Reply(RtspResponse response)
    {
        if (response.Status >= 400) _server.ErrorResponses++;
        var bytes = response.ToBytes();
        _queue.EnqueueBytes(bytes, bytes.Length);
        Flush();
    }

    /// <summary>Queues an interleaved frame; false (and the queue trimmed) when the client has fallen too far behind.</summary>
    internal bool TrySendFrame(RtpFrame frame)
    {
        if (IsClosed) return false;
        if (_queue.QueuedBytes + frame.Length > _server.Options.ClientQueueBytes)
        {
            _queue.DropUnstartedFrames();
            return false;
        }
        _queue.EnqueueFrame(frame);
        if (!_waitingForWritable) Flush();
        return !IsClosed;
    }

    internal void SendRtcp(RtpLink link, byte[] report)
    {
        if (IsClosed) return;
        link.SenderReports++;
        if (!link.Transport.Interleaved)
        {
            UdpSocket.SendTo(link.RtcpFd, report, link.RtcpDestination);
            return;
        }
        var packet = new byte[RtpFrame.InterleavePrefix + report.Length];
        packet[0] = (byte)'$';
        packet[1] = (byte)(link.Channel + 1);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)report.Length);
        report.CopyTo(packet, RtpFrame.InterleavePrefix);
        _queue.EnqueueBytes(packet, packet.Length);
        if (!_waitingForWritable) Flush();
    }

    private void Flush()
    {
        if (IsClosed) return;
        if (!_queue.Flush(Fd, out long sent, out int errno))
        {
            Log.Debug(Component, $"{Peer}: send failed: {LinuxError.Name(errno)}");
            Close();
            return;
        }
        if (sent > 0 || _queue.IsEmpty) LastProgressUs = NowUs;
        if (_queue.IsEmpty && _closeWhenFlushed)
        {
            Close();
            return;
        }
        bool wantWritable = !_queue.IsEmpty;
        if (wantWritable != _waitingForWritable)
        {
            _waitingForWritable = wantWritable;
            _server.Loop.Modify(Fd, EPOLLIN | (wantWritable ? EPOLLOUT : 0));
        }
    }

    internal void EndSession(RtspSession session)
    {
        Log.Info(Component, $"{Peer}: session {session.Id} ({(TrackSummary(session.Video, "video") + TrackSummary(session.Audio, "audio")).Trim()}) ended: " +
            $"{session.FramesSent} frames sent, {session.FramesSkipped} skipped, {session.DatagramsDropped} datagrams dropped, " +
            $"{session.SenderReports} sender and {session.ReceiverReports} receiver reports");
        if (session.IsPlaying) session.Stream.RemovePlayer(session);
        session.IsPlaying = false;
        if (session.Video is not null) CloseUdp(session.Video);
        if (session.Audio is not null) CloseUdp(session.Audio);
        _sessions.Remove(session);
        _server.Unregister(session);
    }

    private static string TrackSummary(RtpLink? link, string track) =>
        link is null ? "" : $" {track} {(link.Transport.Interleaved ? "TCP" : "UDP")}";

    private void CloseUdp(RtpLink link)
    {
        if (link.RtpFd >= 0)
        {
            _server.Loop.Remove(link.RtpFd);
            UdpSocket.Close(link.RtpFd);
            link.RtpFd = -1;
        }
        if (link.RtcpFd >= 0)
        {
            _server.Loop.Remove(link.RtcpFd);
            UdpSocket.Close(link.RtcpFd);
            link.RtcpFd = -1;
        }
    }

    public void Close()
    {
        if (IsClosed) return;
        _pendingDescribeStream?.CancelAwait(this);
        _pendingDescribe = null;
        _pendingDescribeStream = null;
        _access.Stop();
        for (int i = _sessions.Count - 1; i >= 0; i--) EndSession(_sessions[i]);
        _queue.Clear();
        _server.Loop.Remove(Fd);
        TcpSocket.Close(Fd);
        Fd = -1;
        _server.OnClosed(this);
    }
}
