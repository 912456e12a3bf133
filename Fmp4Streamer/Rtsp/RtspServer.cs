using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Diagnostics.Metrics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Sockets;
using Fmp4Streamer.Streaming;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// The RTSP 1.0 server on the event loop (RFC 2326): listening sockets, the client limit, the session table, and
/// one sweep timer for session timeouts, stalled TCP clients and DESCRIBEs waiting on a camera that never woke.
/// rtsp://host:port/&lt;name&gt; serves each camera, rtsp://host:port/ the first.
/// </summary>
public sealed class RtspServer : ITimerCallback, IDisposable
{
    private const string Component = "RTSP";
    private const long SweepIntervalUs = 1_000_000;

    private readonly List<Listener> _listeners = new();
    private readonly List<RtspConnection> _connections = new();
    private readonly Dictionary<string, RtspSession> _sessions = new(StringComparer.Ordinal);
    private readonly RtspStream[] _streams;
    private readonly LoopTimer _sweep;
    private bool _disposed;

    public RtspServer(EventLoop loop, RtspServerOptions options, IReadOnlyList<ILiveStream> streams, IReadOnlyList<int> framesPerSecond)
    {
        Loop = loop;
        Options = options;
        _streams = new RtspStream[streams.Count];
        for (int i = 0; i < streams.Count; i++)
            _streams[i] = new RtspStream(loop, streams[i], framesPerSecond[i], options.Mtu, options.SenderReportIntervalUs);
        PortPairs = new UdpPortPairs(options.UdpPortFirst, options.UdpPortLast);
        _sweep = new LoopTimer(loop, this);
        SdpSessionId = Random.Shared.NextInt64(1, long.MaxValue);
    }

    public EventLoop Loop { get; }

    /// <summary>Users and exempt networks, shared with HTTP; without one given, nobody needs a user.</summary>
    public Access.AccessControl Access
    {
        get => _access ??= new Access.AccessControl(Loop, new Access.AccessOptions());
        set => _access = value;
    }

    private Access.AccessControl? _access;
    public RtspServerOptions Options { get; }
    internal UdpPortPairs PortPairs { get; }
    internal long SdpSessionId { get; }
    public IReadOnlyList<RtspStream> Streams => _streams;
    public IReadOnlyList<RtspConnection> Connections => _connections;
    public int SessionCount => _sessions.Count;
    public string Endpoints => string.Join(", ", _listeners.Select(l => l.Socket.Local.ToString()));
    public int Port => _listeners.Count > 0 ? _listeners[0].Socket.Port : 0;

    /// <summary>Requests answered with a 4xx/5xx, and of those the ones that could not be parsed at all.</summary>
    public long ErrorResponses { get; internal set; }
    public long MalformedRequests { get; internal set; }

    /// <summary>Counts of sessions that ended, so the totals below survive their sessions.</summary>
    internal long EndedFramesSent, EndedFramesSkipped, EndedDatagramsDropped, EndedReceiverReports;

    internal void Account(RtspSession ended)
    {
        EndedFramesSent += ended.FramesSent;
        EndedFramesSkipped += ended.FramesSkipped;
        EndedDatagramsDropped += ended.DatagramsDropped;
        EndedReceiverReports += ended.ReceiverReports;
    }

    private long Total(Func<RtspSession, long> live, long ended)
    {
        long sum = ended;
        foreach (var session in _sessions.Values) sum += live(session);
        return sum;
    }

    public void Register(MetricsRegistry registry)
    {
        registry.Add("fmp4streamer_rtsp_connections", "Open RTSP control connections.", MetricType.Gauge, "",
            (Func<long>)(() => _connections.Count));
        registry.Add("fmp4streamer_rtsp_sessions", "RTSP sessions set up (playing or not).", MetricType.Gauge, "",
            (Func<long>)(() => _sessions.Count));
        foreach (var stream in _streams)
            registry.Add("fmp4streamer_rtsp_players", "RTSP sessions playing the stream.", MetricType.Gauge,
                MetricsRegistry.Labels(("stream", stream.Name)), (Func<long>)(() => stream.PlayerCount));
        registry.Add("fmp4streamer_rtsp_frames_sent", "Frames sent to RTSP sessions.", MetricType.Counter, "",
            (Func<long>)(() => Total(s => s.FramesSent, EndedFramesSent)));
        registry.Add("fmp4streamer_rtsp_frames_skipped", "Frames RTSP/TCP sessions skipped while behind.", MetricType.Counter, "",
            (Func<long>)(() => Total(s => s.FramesSkipped, EndedFramesSkipped)));
        registry.Add("fmp4streamer_rtsp_datagrams_dropped", "RTP datagrams dropped on a full UDP socket buffer.",
            MetricType.Counter, "", (Func<long>)(() => Total(s => s.DatagramsDropped, EndedDatagramsDropped)));
        registry.Add("fmp4streamer_rtsp_receiver_reports", "RTCP receiver reports received.", MetricType.Counter, "",
            (Func<long>)(() => Total(s => s.ReceiverReports, EndedReceiverReports)));
        registry.Add("fmp4streamer_rtsp_error_responses", "RTSP requests answered with an error status.", MetricType.Counter, "",
            (Func<long>)(() => ErrorResponses));
    }

    public void Start()
    {
        foreach (var socket in ListeningSocket.OpenAll(Options.Listen, Options.Port))
        {
            var listener = new Listener(this, socket);
            _listeners.Add(listener);
            Loop.Add(socket.Fd, EPOLLIN, listener);
        }
        _sweep.Start(SweepIntervalUs);
    }

    /// <summary>The stream a request URI names: rtsp://host[:port]/[name][/trackID=0]; null when there is none.</summary>
    internal RtspStream? Resolve(string uri, out string path) => Resolve(uri, out path, out _);

    /// <summary>As above; <paramref name="audio"/> says the URI names the audio track (trackID=1).</summary>
    internal RtspStream? Resolve(string uri, out string path, out bool audio)
    {
        path = "";
        audio = false;
        if (_streams.Length == 0) return null;
        string rest = uri;
        int scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            rest = rest[(scheme + 3)..];
            int slash = rest.IndexOf('/');
            rest = slash < 0 ? "" : rest[slash..];
        }
        else if (!rest.StartsWith('/')) return null;
        int query = rest.IndexOfAny(new[] { '?', '#' });
        if (query >= 0) rest = rest[..query];
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (segments.Count > 0 && segments[^1] == SdpWriter.TrackControl) segments.RemoveAt(segments.Count - 1);
        else if (segments.Count > 0 && segments[^1] == SdpWriter.AudioTrackControl)
        {
            segments.RemoveAt(segments.Count - 1);
            audio = true;
        }
        path = string.Join('/', segments);
        if (segments.Count == 0) return _streams[0];
        if (segments.Count > 1) return null;
        foreach (var s in _streams)
            if (s.Name == segments[0]) return s;
        return null;
    }

    internal string NewSessionId()
    {
        while (true)
        {
            string id = Random.Shared.NextInt64(1L << 40, long.MaxValue).ToString("X16");
            if (!_sessions.ContainsKey(id)) return id;
        }
    }

    internal void Register(RtspSession session) => _sessions[session.Id] = session;
    internal void Unregister(RtspSession session)
    {
        if (_sessions.Remove(session.Id)) Account(session);
    }
    internal RtspSession? FindSession(string id) => _sessions.GetValueOrDefault(id);
    internal void OnClosed(RtspConnection connection) => _connections.Remove(connection);

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        long now = Loop.NowUs;
        long sessionTimeoutUs = Options.SessionTimeoutSeconds * 1_000_000L;
        foreach (var connection in _connections.ToArray())
        {
            if (connection.IsClosed) continue;
            connection.ExpireDescribe(now, Options.DescribeTimeoutUs);
            if (connection.QueuedBytes > 0 && now - connection.LastProgressUs > Options.StallTimeoutUs)
            {
                Log.Info(Component, $"{connection.Peer}: accepted nothing for {Options.StallTimeoutUs / 1_000_000} s: dropped");
                connection.Close();
                continue;
            }
            foreach (var session in connection.Sessions.ToArray())
            {
                if (now - session.LastActivityUs <= sessionTimeoutUs) continue;
                Log.Info(Component, $"{connection.Peer}: session {session.Id} timed out");
                connection.EndSession(session);
                if (session.HasInterleaved) connection.Close();
            }
        }
        _sweep.Start(SweepIntervalUs);
    }

    private void Accept(Listener listener)
    {
        for (int i = 0; i < 64; i++)
        {
            int fd = TcpSocket.Accept(listener.Socket.Fd, out var peer);
            if (fd < 0) return;
            if (_connections.Count >= Options.MaxClients)
            {
                // Over the limit: a short 503 the client can read, then the close.
                TcpSocket.Send(fd, new RtspResponse(503, null).ToBytes());
                TcpSocket.Close(fd);
                continue;
            }
            var connection = new RtspConnection(this, fd, peer);
            _connections.Add(connection);
            Loop.Add(fd, EPOLLIN, connection);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _sweep.Stop();
        foreach (var c in _connections.ToArray()) c.Close();
        foreach (var s in _streams) s.Close();
        foreach (var l in _listeners)
        {
            Loop.Remove(l.Socket.Fd);
            l.Socket.Dispose();
        }
        _listeners.Clear();
    }

    private sealed class Listener : IPollable
    {
        private readonly RtspServer _server;

        public Listener(RtspServer server, ListeningSocket socket)
        {
            _server = server;
            Socket = socket;
        }

        public ListeningSocket Socket { get; }

        public void OnPoll(int events) => _server.Accept(this);
    }
}
