using Fmp4Streamer.Access;
using Fmp4Streamer.Diagnostics.Metrics;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Http.Access;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Sockets;
using Fmp4Streamer.Streaming;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Http;

/// <summary>
/// The HTTP/1.1 server on the event loop: listening sockets, accepting, the client limit, and one timer that
/// enforces request, stall and linger deadlines of all connections.
/// </summary>
public sealed class HttpServer : ITimerCallback, IDeferredCallback, IDisposable
{
    private const string Component = "HTTP";
    private const int AcceptsPerWake = 64;
    // Over-limit connections still get their 503 and a graceful close, but only this many at once.
    private const int MaxRejecting = 16;
    private const long AcceptRetryUs = 200_000;

    private readonly EventLoop _loop;
    private readonly List<Acceptor> _acceptors = new();
    private readonly List<HttpConnection> _connections = new();
    private readonly List<HttpConnection> _deferred = new();
    private readonly LoopTimer _sweepTimer;
    private readonly Deferral _deferral;
    private readonly LoopTimer _acceptRetryTimer;
    private readonly long _sweepIntervalUs;
    private readonly AnnexBStream?[] _raw;
    private int _rejecting;
    // Connections with a complete request (the ones that count against MaxClients), and open connections per address.
    private int _admitted;
    private readonly Dictionary<string, int> _perAddress = new();
    private bool _disposed;

    public HttpServer(EventLoop loop, HttpServerOptions options, IReadOnlyList<ILiveStream> streams)
    {
        _loop = loop;
        Options = options;
        Routes = new RouteTable(streams);
        Pages = new Pages(streams);
        CorsHeaders = CorsHeaderLines(options.CorsOrigin);
        _raw = new AnnexBStream?[streams.Count];
        _settings = new Settings.ICameraSettings?[streams.Count];
        // Room for a whole request: the longest head and the longest body.
        ReadBuffer = new byte[Math.Max(options.MaxHeaderBytes, 4096) + RequestParser.MaxBodyBytes];
        RequestTimeoutUs = (long)(options.RequestTimeout.TotalMilliseconds * 1000);
        StallTimeoutUs = (long)(options.ClientStallTimeout.TotalMilliseconds * 1000);
        LingerUs = Math.Min(RequestTimeoutUs, 2_000_000);
        _sweepIntervalUs = Math.Clamp(Math.Min(RequestTimeoutUs, StallTimeoutUs) / 4, 10_000, 500_000);
        _sweepTimer = new LoopTimer(loop, this);
        _deferral = new Deferral(loop, this);
        _acceptRetryTimer = new LoopTimer(loop, this);
        AccessHolds = new AccessHolds(loop);
    }

    /// <summary>Users, exempt networks and trusted proxies; without one given, no users and loopback exempt (the defaults).</summary>
    public AccessControl Access
    {
        get => _access ??= new AccessControl(_loop, new AccessOptions { Exempt = Config.ConfigDefaults.Server.AuthExempt });
        set => _access = value;
    }

    private AccessControl? _access;

    /// <summary>Requests the access gate holds for a time (a wrong password's delay).</summary>
    internal AccessHolds AccessHolds { get; }

    public HttpServerOptions Options { get; private set; }

    /// <summary>
    /// A reload's new settings: the ones read per request or per connection (client limits, queue size, stall
    /// timeout, CORS origin) take effect for the next decisions; the listening address and port stay.
    /// </summary>
    public void Reconfigure(HttpServerOptions options)
    {
        Options = options with { Listen = Options.Listen, Port = Options.Port };
        CorsHeaders = CorsHeaderLines(options.CorsOrigin);
        StallTimeoutUs = (long)(options.ClientStallTimeout.TotalMilliseconds * 1000);
    }

    /// <summary>Requests, refusals and what each kind of client was sent, for /metrics.</summary>
    internal HttpStats Stats { get; } = new();

    /// <summary>Refusal lines, at most one per reason per interval (a flood of bad requests would flood the journal).</summary>
    internal LogRateLimiter RejectionLog { get; } = new(RejectionLogReasons.Count);

    /// <summary>What /metrics serves: every stream's and this server's numbers.</summary>
    public MetricsRegistry? Metrics { get; private set; }

    /// <summary>Adds the server's numbers to <paramref name="registry"/> and serves it at /metrics.</summary>
    public void ServeMetrics(MetricsRegistry registry)
    {
        Stats.Register(registry, this);
        Metrics = registry;
    }
    internal RouteTable Routes { get; }

    private readonly Settings.ICameraSettings?[] _settings;

    /// <summary>Serves <paramref name="settings"/> as stream <paramref name="index"/>'s controls.json and controls.</summary>
    public void ServeSettings(int index, Settings.ICameraSettings? settings) => _settings[index] = settings;

    internal Settings.ICameraSettings? SettingsOf(int index) => _settings[index];

    private Settings.SettingsSaver? _settingsSaver;

    /// <summary>Writes changed settings to the config file off the loop; made at the first change.</summary>
    internal Settings.SettingsSaver SettingsSaver => _settingsSaver ??= new Settings.SettingsSaver(_loop);

    /// <summary>Who may change settings: loopback clients until access control replaces it.</summary>
    internal Settings.SettingsPermission MayChangeSettings { get; set; } = Settings.SettingsAccess.FromAccessDecision;

    private IReadOnlyList<Pictures.PictureSource?>? _pictures;

    /// <summary>Serves snapshots and MJPEG from these picture sources, one per stream (null: none for that stream).</summary>
    public void ServePictures(IReadOnlyList<Pictures.PictureSource?> pictures) => _pictures = pictures;

    /// <summary>The picture source of a stream, or null when pictures are not served for it.</summary>
    internal Pictures.PictureSource? PicturesOf(int index) => _pictures is { } p && index < p.Count ? p[index] : null;

    /// <summary>Stream <paramref name="index"/> as raw H264 for /stream.h264, made on first use.</summary>
    internal AnnexBStream RawStream(int index) => _raw[index] ??= new AnnexBStream(Routes.Streams[index], _loop.Clock);
    internal Pages Pages { get; }

    /// <summary>The CORS header lines of every answer ("" when cors_origin is empty).</summary>
    internal byte[] CorsHeaders { get; private set; }

    private static byte[] CorsHeaderLines(string origin)
    {
        if (origin.Length == 0) return [];
        // Players read the length of segments and ranges (Content-Range) from script: expose them.
        string lines = "Access-Control-Allow-Origin: " + origin + "\r\nAccess-Control-Expose-Headers: Content-Length, Content-Range\r\n";
        // A single origin other than '*' makes the answer depend on who asks: caches must keep them apart.
        if (origin != "*") lines += "Vary: Origin\r\n";
        return System.Text.Encoding.ASCII.GetBytes(lines);
    }
    internal EventLoop Loop => _loop;

    /// <summary>Scratch for reads on the loop thread; a connection copies out only an incomplete request.</summary>
    internal byte[] ReadBuffer { get; }

    internal long RequestTimeoutUs { get; }
    internal long StallTimeoutUs { get; private set; }
    internal long LingerUs { get; }

    /// <summary>The bound port (the kernel's choice when <see cref="HttpServerOptions.Port"/> is 0).</summary>
    public int Port => _acceptors.Count > 0 ? _acceptors[0].Socket.Port : throw new InvalidOperationException("not started");

    /// <summary>"[::]:8000", "127.0.0.1:8000 [::1]:8000" for the start-up log.</summary>
    public string Endpoints
    {
        get
        {
            var parts = new string[_acceptors.Count];
            for (int i = 0; i < parts.Length; i++) parts[i] = _acceptors[i].Socket.Local.ToString();
            return string.Join(" ", parts);
        }
    }

    /// <summary>Every open connection (tests inspect queues through it).</summary>
    internal IReadOnlyList<HttpConnection> Connections => _connections;

    /// <summary>Connections that have sent a complete request: the ones counted against MaxClients.</summary>
    public int ClientCount => _admitted;

    /// <summary>Every open connection, with or without a request yet.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>
    /// Many connections without a complete request (idle sockets, slowloris): their header deadline shrinks to
    /// <see cref="PressuredRequestTimeoutUs"/> so they cannot hold descriptors and memory for long.
    /// </summary>
    internal bool UnderPressure => _connections.Count - _admitted > Math.Max(MinPendingForPressure, Options.MaxClients);

    private const int MinPendingForPressure = 32;

    internal long PressuredRequestTimeoutUs => Math.Min(RequestTimeoutUs, 1_000_000);

    /// <summary>
    /// A connection's first complete request: true if it may be served (and now counts against MaxClients); false
    /// means answer 503 (the connection then counts as rejecting).
    /// </summary>
    internal bool TryAdmit()
    {
        if (_admitted < Options.MaxClients)
        {
            _admitted++;
            return true;
        }
        _rejecting++;
        return false;
    }

    /// <summary>Connections receiving an endless H264 stream (fMP4 or raw H264); MJPEG clients are counted apart.</summary>
    public int StreamingClientCount
    {
        get
        {
            int n = 0;
            foreach (var c in _connections) if (c.IsStreaming && !c.IsStreamingMjpeg) n++;
            return n;
        }
    }

    /// <summary>Connections receiving the MJPEG stream of some camera.</summary>
    public int MjpegClientCount
    {
        get
        {
            int n = 0;
            foreach (var c in _connections) if (c.IsStreamingMjpeg) n++;
            return n;
        }
    }

    /// <summary>Binds and starts accepting; throws <see cref="LinuxException"/> (e.g. EADDRINUSE) or ArgumentException.</summary>
    public void Start()
    {
        foreach (var socket in ListeningSocket.OpenAll(Options.Listen, Options.Port))
        {
            var acceptor = new Acceptor(this, socket);
            _acceptors.Add(acceptor);
            _loop.Add(socket.Fd, EPOLLIN, acceptor);
        }
        Log.Info(Component, "listening on " + Endpoints);
    }

    internal void AcceptAll(Acceptor acceptor)
    {
        for (int i = 0; i < AcceptsPerWake; i++)
        {
            int fd = TcpSocket.Accept(acceptor.Socket.Fd, out var peer);
            if (fd < 0)
            {
                int errno = -fd;
                if (errno == EAGAIN || errno == ECONNABORTED) return;
                Log.Warning(Component, "accept: " + LinuxError.Name(errno));
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                {
                    // Level-triggered: leaving the listener armed would spin until a descriptor frees up.
                    foreach (var a in _acceptors) _loop.Modify(a.Socket.Fd, 0);
                    _acceptRetryTimer.Start(AcceptRetryUs);
                }
                return;
            }
            string name = peer.ToString();
            string address = AddressOf(name);
            _perAddress.TryGetValue(address, out int fromAddress);
            // One address may not hold every slot (idle sockets, slowloris); nor may a flood of unserved connections.
            // A trusted proxy carries many clients: each is counted under its forwarded address once it has sent a request.
            bool overAddress = fromAddress >= Options.MaxConnectionsPerAddress && !IsTrustedProxy(address);
            if (overAddress || (_rejecting >= MaxRejecting && UnderPressure))
            {
                Stats.OverAddressLimit.Increment();
                TcpSocket.Close(fd);
                continue;
            }
            _perAddress[address] = fromAddress + 1;
            var connection = new HttpConnection(this, fd, name, _connections.Count) { Address = address };
            _connections.Add(connection);
            connection.Start();
            if (!_sweepTimer.IsActive) _sweepTimer.Start(_sweepIntervalUs);
        }
    }

    /// <summary>Runs <see cref="HttpConnection.OnDeferred"/> right after the current dispatch (never inside a hub callback).</summary>
    internal void Defer(HttpConnection connection)
    {
        _deferred.Add(connection);
        _deferral.Schedule();
    }

    private bool IsTrustedProxy(string address) =>
        _access is not null && !_access.Options.TrustedProxies.IsEmpty && _access.Options.TrustedProxies.Contains(NetworkList.ParseAddress(address));

    /// <summary>Counts a connection under another address (its forwarded client); false when that address has no room.</summary>
    internal bool MoveToAddress(HttpConnection connection, string address)
    {
        _perAddress.TryGetValue(address, out int n);
        if (n >= Options.MaxConnectionsPerAddress)
        {
            Stats.OverAddressLimit.Increment();
            return false;
        }
        Release(connection.Address);
        _perAddress[address] = n + 1;
        connection.Address = address;
        return true;
    }

    private void Release(string address)
    {
        if (_perAddress.TryGetValue(address, out int n))
        {
            if (n <= 1) _perAddress.Remove(address);
            else _perAddress[address] = n - 1;
        }
    }

    /// <summary>"10.0.0.5" of "10.0.0.5:53122", "[::1]" of "[::1]:53122".</summary>
    private static string AddressOf(string peer)
    {
        int colon = peer.LastIndexOf(':');
        return colon > 0 ? peer[..colon] : peer;
    }

    internal void OnClosed(HttpConnection connection, bool wasRejecting, bool wasAdmitted)
    {
        if (wasAdmitted) _admitted--;
        Release(connection.Address);
        int index = connection.Index;
        int last = _connections.Count - 1;
        _connections[index] = _connections[last];
        _connections[index].Index = index;
        _connections.RemoveAt(last);
        if (wasRejecting) _rejecting--;
    }

    void IDeferredCallback.OnDeferred(Deferral deferral)
    {
        // Index loop: OnDeferred may close connections, which never touches this list.
        for (int i = 0; i < _deferred.Count; i++) _deferred[i].OnDeferred();
        _deferred.Clear();
    }

    public void OnTimer(LoopTimer timer)
    {
        if (timer == _sweepTimer)
        {
            long now = _loop.NowUs;
            for (int i = _connections.Count - 1; i >= 0; i--)
            {
                if (i < _connections.Count) _connections[i].CheckDeadlines(now);
            }
            if (_connections.Count > 0) _sweepTimer.StartAt(now + _sweepIntervalUs);
        }
        else if (timer == _acceptRetryTimer)
        {
            foreach (var a in _acceptors) _loop.Modify(a.Socket.Fd, EPOLLIN);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        for (int i = _connections.Count - 1; i >= 0; i--)
        {
            if (i < _connections.Count) _connections[i].Close("server stopping");
        }
        foreach (var a in _acceptors)
        {
            _loop.Remove(a.Socket.Fd);
            a.Socket.Dispose();
        }
        _acceptors.Clear();
        _sweepTimer.Stop();
        _deferral.Cancel();
        _acceptRetryTimer.Stop();
        AccessHolds.Stop();
        // Saves already asked for are written before the daemon exits.
        _settingsSaver?.Dispose();
    }
}
