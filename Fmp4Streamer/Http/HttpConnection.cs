using System.Buffers;
using System.Net;
using System.Text;
using Fmp4Streamer.Access;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Http.Access;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Sockets;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Http;

/// <summary>
/// One client socket: reads and parses requests (pipelined ones in order), passes each through the gate to its
/// route, and writes what the responders queue, with keep-alive, deadlines and a lingering close. What to write
/// belongs to the responders: fixed bytes, the endless fMP4 stream, HLS playlists, segments and parts.
/// </summary>
internal sealed class HttpConnection
{
    // 256 fragments is over 8 s at 30 fps; a reader that far behind skips to a key frame anyway.
    private const int MaxQueuedFragments = 256;
    private const int HeadBufferBytes = 1024;
    private const int DrainReadsPerWake = 4;

    private readonly HttpServer _server;
    private readonly EventLoop _loop;
    private readonly int _fd;
    private readonly byte[] _head = new byte[HeadBufferBytes];

    private static readonly string ServerAllow = Route.AllowList(AllowedMethods.Read);

    private ConnectionState _state;
    private int _events;
    private byte[]? _pending;
    private int _pendingLength;
    private bool _closeAfterResponse;
    // The client shut its sending side (its FIN arrived) while we still had to answer: it may still read.
    private bool _readShut;
    private bool _rejecting;
    // Sent a complete request and counts against max_clients.
    private bool _admitted;
    private long _readingSinceUs;
    // A held request was answered: the requests pipelined behind it still wait in the pending buffer.
    private bool _answeredLate;
    private long _deadlineUs;
    private long _lastProgressUs;
    private string? _closeReason;

    private ProgressiveResponder? _progressive;
    private HlsResponder? _hls;
    private SnapshotResponder? _snapshot;
    private Settings.SettingsSaveResponder? _settingsSave;
    private MjpegResponder? _mjpeg;
    // The responder of the endless answer being sent (fMP4, raw H264 or MJPEG).
    private IStreamResponder? _streamer;

    public HttpConnection(HttpServer server, int fd, string peer, int index)
    {
        _server = server;
        _loop = server.Loop;
        _fd = fd;
        Peer = peer;
        Component = "HTTP " + peer;
        AccessWaiter = new AccessReady(this);
        Index = index;
        Handler = new PollHandler(this);
    }

    public string Peer { get; }

    /// <summary>The client's address without the port (the per-address limit's key; behind a trusted proxy the forwarded one).</summary>
    internal string Address { get; set; } = "";
    internal string Component { get; private set; }

    /// <summary>The peer's address (the proxy's, behind one).</summary>
    internal IPAddress PeerAddress => _peerAddress ??= NetworkList.ParseAddress(Peer.AsSpan(0, Math.Max(0, Peer.LastIndexOf(':')))) ?? IPAddress.None;
    private IPAddress? _peerAddress;

    /// <summary>Who asked, as the gate decided for the current request (routes that change settings ask it).</summary>
    internal AccessDecision Access { get; set; }

    /// <summary>A Set-Cookie value the current response carries (a login on the page), or null.</summary>
    internal string? SetCookie { get; set; }

    internal IAccessWaiter AccessWaiter { get; }

    private sealed class AccessReady(HttpConnection connection) : IAccessWaiter
    {
        public void OnAccessReady() => connection.ResumeAfterAccess();
    }
    internal HttpServer Server => _server;
    internal SendQueue Queue { get; } = new(MaxQueuedFragments);
    internal ConnectionState State => _state;

    /// <summary>The socket (tests shrink its send buffer to exercise EPOLLOUT).</summary>
    internal int Fd => _fd;

    /// <summary>Slot in the server's connection list.</summary>
    internal int Index;

    public bool IsStreaming => _state == ConnectionState.Streaming;

    /// <summary>Streaming the MJPEG stream (multipart JPEGs), not H264.</summary>
    public bool IsStreamingMjpeg => IsStreaming && _streamer is MjpegResponder;

    /// <summary>Bytes queued for this client and not yet taken by the kernel.</summary>
    public long QueuedBytes => Queue.QueuedBytes;

    /// <summary>Frames this streaming client did not get because it read too slowly.</summary>
    public long Skipped => _streamer?.Skipped ?? 0;

    public long FragmentsSent => Queue.FragmentsSent;

    /// <summary>Times a streaming send found the socket full and armed EPOLLOUT.</summary>
    public long WouldBlockCount { get; private set; }

    internal ProgressiveResponder Progressive => _progressive ??= new ProgressiveResponder(this);
    internal HlsResponder Hls => _hls ??= new HlsResponder(this);
    internal SnapshotResponder Snapshot => _snapshot ??= new SnapshotResponder(this);
    internal Settings.SettingsSaveResponder SettingsSave => _settingsSave ??= new Settings.SettingsSaveResponder(this);
    internal MjpegResponder Mjpeg => _mjpeg ??= new MjpegResponder(this);

    // The loop's handler: keeps OnPoll off this type's public surface.
    private sealed class PollHandler(HttpConnection connection) : IPollable
    {
        public void OnPoll(int events) => connection.OnPoll(events);
    }

    private PollHandler Handler { get; }

    public void Start()
    {
        _events = EPOLLIN | EPOLLRDHUP;
        _loop.Add(_fd, _events, Handler);
        _readingSinceUs = _loop.NowUs;
        _state = ConnectionState.Reading;
    }

    private void OnPoll(int events)
    {
        if (_state == ConnectionState.Closed) return;
        if ((events & EPOLLERR) != 0)
        {
            // SO_ERROR 0: the error was already reported to a send, or the event was fetched for an earlier socket
            // with this fd number in the same epoll batch; the send/read paths see real failures anyway.
            int error = TcpSocket.PendingError(_fd);
            if (error != 0)
            {
                Close(error == ECONNRESET || error == EPIPE ? "closed by client" : "socket error: " + LinuxError.Name(error));
                return;
            }
        }
        if ((events & EPOLLOUT) != 0) OnWritable();
        if (_state == ConnectionState.Closed) return;
        if ((events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) != 0) OnReadable();
    }

    // ---- requests --------------------------------------------------------------------------------------------

    private void OnReadable()
    {
        switch (_state)
        {
            case ConnectionState.Reading: ReadRequests(); break;
            case ConnectionState.Streaming:
            case ConnectionState.Lingering: Drain(); break;
            // Responding: only EPOLLOUT is armed; a hang-up also reports EPOLLOUT, whose send then fails.
            // Holding: a FIN may be a half-close (some tools shut their side after the request): answer anyway;
            // a client that is gone makes that send fail.
            case ConnectionState.Holding:
            case ConnectionState.Authenticating: ShutRead(); break;
        }
    }

    private void ReadRequests()
    {
        int n;
        if (_pendingLength == 0)
        {
            n = TcpSocket.Receive(_fd, _server.ReadBuffer);
            if (!ReadOk(n)) return;
            Process(_server.ReadBuffer, 0, n, shared: true);
        }
        else
        {
            n = TcpSocket.Receive(_fd, _pending.AsSpan(_pendingLength));
            if (!ReadOk(n)) return;
            _pendingLength += n;
            Process(_pending!, 0, _pendingLength, shared: false);
        }
    }

    private bool ReadOk(int n)
    {
        if (n > 0) return true;
        if (n == TcpSocket.WouldBlock) return false;
        Close(n == 0 ? null : "read: " + LinuxError.Name(-n));
        return false;
    }

    /// <summary>Handles every complete request in the buffer in order, and keeps an incomplete tail.</summary>
    private void Process(byte[] buffer, int start, int length, bool shared)
    {
        while (length > 0 && _state == ConnectionState.Reading)
        {
            var data = buffer.AsSpan(start, length);
            var status = RequestParser.TryParse(data, _server.Options.MaxHeaderBytes, out var request, out var reason);
            if (status == ParseStatus.Incomplete) break;
            if (status == ParseStatus.Rejected)
            {
                length = 0;
                ReleasePending();
                _server.Stats.Rejected(reason);
                // One line per reason per interval: a flood of bad requests must not flood the journal.
                if (Log.IsEnabled(Log.Level.Info) && _server.RejectionLog.TryAcquire((int)reason, _loop.NowUs, out long repeated, out long sinceUs))
                    Log.Info(Component, reason.StatusCode() + " (" + reason + ")" + (repeated > 0 ? LogRateLimiter.Repeated(repeated, sinceUs) : ""));
                SendError(reason.StatusCode());
                return;
            }
            // A POST's body follows its head; wait for all of it (the parser capped its length).
            int total = request.HeadLength + request.ContentLength;
            if (length < total) break;
            start += total;
            length -= total;
            if (!_admitted && !Admit())
            {
                ReleasePending();
                return;
            }
            Handle(data[..total], request);
            if (_state == ConnectionState.Authenticating)
            {
                // Held by the access gate: the request (head and body) stays first in the pending bytes, to run again when decided.
                start -= total;
                length += total;
                break;
            }
        }

        bool mayReadMore = _state == ConnectionState.Reading || _state == ConnectionState.Holding || _state == ConnectionState.Authenticating
            || (_state == ConnectionState.Responding && !_closeAfterResponse);
        if (length == 0 || !mayReadMore)
        {
            ReleasePending();
            return;
        }
        if (shared)
        {
            _pending ??= ArrayPool<byte>.Shared.Rent(_server.ReadBuffer.Length);
            buffer.AsSpan(start, length).CopyTo(_pending);
        }
        else if (start > 0)
        {
            buffer.AsSpan(start, length).CopyTo(_pending);
        }
        _pendingLength = length;
    }

    /// <summary>The first complete request: counts against max_clients, or gets a 503 when they are all taken.</summary>
    private bool Admit()
    {
        if (_server.TryAdmit())
        {
            _admitted = true;
            return true;
        }
        _rejecting = true;
        _server.Stats.OverMaxClients.Increment();
        _server.RejectionLog.Write(Log.Level.Warning, Component, RejectionLogReasons.MaxClients, _loop.NowUs,
            "503: more than " + _server.Options.MaxClients + " clients");
        SendError(503);
        return false;
    }

    /// <summary>Why a pictures-only camera has no video: what a player or a person reading the 404 needs to know.</summary>
    internal const string PicturesOnlyMessage =
        "this camera serves pictures only (snapshot.jpg, stream.mjpg): add an H264 encoder (encoder = ...) for video\n";

    private void Handle(ReadOnlySpan<byte> data, in HttpRequest request)
    {
        _server.Stats.Requests.Increment();
        var match = _server.Routes.Resolve(request.Path(data));
        if (Log.IsEnabled(Log.Level.Debug))
            Log.Debug(Component, request.Method + " " + Encoding.ASCII.GetString(request.Target(data)) + " -> " + (match.Route?.Name ?? "404"));
        if (!RequestGate.Admit(this, match, request, data)) return;
        _server.Stats.RouteRequests[RouteTable.KindOf(match.Route!, request.Query(data))].Increment();
        if (match.Route!.Video && _server.Routes.Streams[match.StreamIndex].PicturesOnly)
        {
            _server.Stats.NotFound.Increment();
            SendError(404, message: PicturesOnlyMessage);
            return;
        }
        var routeRequest = new RouteRequest(match, request.Method, request.KeepAlive, request.Query(data),
            ByteRange.Parse(request.Range.Of(data)))
        {
            Body = data.Slice(request.HeadLength, request.ContentLength),
            Host = request.Host.Of(data),
            Origin = request.Origin.Of(data),
            ContentType = request.ContentType.Of(data),
            IfNoneMatch = request.IfNoneMatch.Of(data),
            IfModifiedSince = request.IfModifiedSince.Of(data),
        };
        match.Route!.Handler(this, routeRequest);
    }

    // ---- writing responses -----------------------------------------------------------------------------------

    /// <summary>A response head in this connection's buffer: status line, Server, Date and the CORS headers.</summary>
    internal ResponseHead BeginHead(int status)
    {
        var head = new ResponseHead(_head);
        head.Start(status);
        head.Append(_server.CorsHeaders);
        if (SetCookie is not null) head.Header("Set-Cookie", SetCookie);
        return head;
    }

    /// <summary>Ends <paramref name="head"/> (Connection and the empty line) and queues it first.</summary>
    internal void QueueHead(ref ResponseHead head, bool keepAlive)
    {
        head.Connection(keepAlive);
        head.End();
        Queue.EnqueuePlain(_head, 0, head.Length);
        _closeAfterResponse = !keepAlive;
    }

    /// <summary>A small text response that ends the connection (every 4xx/5xx here); a 405 lists <paramref name="allow"/>.</summary>
    internal void SendError(int status, string? allow = null, string? message = null)
    {
        // A method no route takes, refused by the parser: the server's methods.
        if (status == 405) allow ??= ServerAllow;
        var body = Encoding.ASCII.GetBytes(status + " " + ResponseHead.ReasonPhrase(status) + "\n" + message);
        var head = BeginHead(status);
        head.Header("Content-Type", "text/plain; charset=utf-8");
        if (allow != null) head.Header("Allow", allow);
        head.ContentLength(body.Length);
        QueueHead(ref head, keepAlive: false);
        Queue.EnqueuePlain(body, 0, body.Length);
        BeginResponse();
    }

    /// <summary>Sends what is queued; the response ends when the queue (and the HLS body) is empty.</summary>
    internal void BeginResponse()
    {
        _state = ConnectionState.Responding;
        _lastProgressUs = _loop.NowUs;
        var result = FlushQueue();
        if (result == FlushResult.Failed) Close(_closeReason);
        else if (result == FlushResult.Done) ResponseDone(fromWritable: false);
        else SetEvents(EPOLLOUT);
    }

    private void ResponseDone(bool fromWritable)
    {
        _hls?.OnResponseDone();
        if (_closeAfterResponse)
        {
            BeginLinger();
            return;
        }
        _state = ConnectionState.Reading;
        _readingSinceUs = _loop.NowUs;
        SetEvents(EPOLLIN | EPOLLRDHUP);
        // Pipelined requests that arrived with an earlier one; inside Process the caller's loop handles them.
        bool late = _answeredLate;
        _answeredLate = false;
        if ((fromWritable || late) && _pendingLength > 0) Process(_pending!, 0, _pendingLength, shared: false);
    }

    /// <summary>
    /// Half-closes after the last response and reads until the client closes too: closing with unread input
    /// would send a reset that can destroy the response in flight (RFC 9112 9.6).
    /// </summary>
    private void BeginLinger()
    {
        ReleasePending();
        TcpSocket.ShutdownWrite(_fd);
        _state = ConnectionState.Lingering;
        _deadlineUs = _loop.NowUs + _server.LingerUs;
        SetEvents(EPOLLIN | EPOLLRDHUP);
    }

    private void Drain()
    {
        for (int i = 0; i < DrainReadsPerWake; i++)
        {
            int n = TcpSocket.Receive(_fd, _server.ReadBuffer);
            if (n == TcpSocket.WouldBlock) return;
            if (n == 0 && _state == ConnectionState.Streaming)
            {
                // A half-close: the stream goes on until a send fails.
                ShutRead();
                return;
            }
            if (n <= 0)
            {
                Close(_state == ConnectionState.Lingering ? null : n == 0 ? "closed by client" : "read: " + LinuxError.Name(-n));
                return;
            }
        }
    }

    /// <summary>The client's FIN arrived while an answer is due: stop watching input (EOF stays readable forever).</summary>
    private void ShutRead()
    {
        _readShut = true;
        SetEvents(_events & ~(EPOLLIN | EPOLLRDHUP));
    }

    /// <summary>Input events while streaming: none once the client has half-closed.</summary>
    private int StreamingReadEvents => _readShut ? 0 : EPOLLIN | EPOLLRDHUP;

    private void OnWritable()
    {
        if (_state == ConnectionState.Responding)
        {
            var result = FlushQueue();
            if (result == FlushResult.Failed) Close(_closeReason);
            else if (result == FlushResult.Done) ResponseDone(fromWritable: true);
        }
        else if (_state == ConnectionState.Streaming)
        {
            FlushStreaming();
        }
    }

    private FlushResult FlushQueue()
    {
        while (true)
        {
            bool more = _hls is not null && _hls.TopUp(Queue);
            var result = Queue.Flush(_fd, out long sent, out int errno);
            if (sent > 0) _lastProgressUs = _loop.NowUs;
            if (result == FlushResult.Failed) _closeReason = "send: " + LinuxError.Name(errno);
            if (result != FlushResult.Done || !more) return result;
        }
    }

    private void SetEvents(int events)
    {
        if (events == _events) return;
        _events = events;
        _loop.Modify(_fd, events);
    }

    private void ReleasePending()
    {
        _pendingLength = 0;
        if (_pending == null) return;
        ArrayPool<byte>.Shared.Return(_pending);
        _pending = null;
    }

    // ---- the endless stream ----------------------------------------------------------------------------------

    /// <summary>The stream's head is queued: from now on fragments arrive from the hub; pipelined input is dropped.</summary>
    internal void BeginStreaming(IStreamResponder responder)
    {
        _streamer = responder;
        _state = ConnectionState.Streaming;
        _lastProgressUs = _loop.NowUs;
        ReleasePending();
        SetEvents(StreamingReadEvents);
    }

    /// <summary>The stall clock runs from the moment data is pending.</summary>
    internal void MarkPending() => _lastProgressUs = _loop.NowUs;

    /// <summary>Whether a poll for EPOLLOUT will flush (the socket was full at the last try).</summary>
    internal bool WaitingForWritable => (_events & EPOLLOUT) != 0;

    internal void FlushStreaming()
    {
        var result = FlushQueue();
        if (result == FlushResult.Done)
        {
            _streamer!.OnCaughtUp();
            SetEvents(StreamingReadEvents);
        }
        else if (result == FlushResult.WouldBlock)
        {
            if ((_events & EPOLLOUT) == 0) WouldBlockCount++;
            SetEvents(StreamingReadEvents | EPOLLOUT);
        }
        else
        {
            // Maybe inside the hub's fan-out: unsubscribe and close after it (see OnDeferred).
            _streamer!.OnSendFailed();
        }
    }

    /// <summary>Runs after the dispatch that asked for it (<see cref="HttpServer.Defer"/>), outside any hub callback.</summary>
    internal void OnDeferred()
    {
        if (_state == ConnectionState.Streaming) _streamer!.OnDeferred();
    }

    /// <summary>The stream ended (new parameter sets): finish the whole fragments already queued, then close.</summary>
    internal void FinishStream(string reason)
    {
        _closeReason = reason;
        _closeAfterResponse = true;
        BeginResponse();
    }

    // ---- held requests ---------------------------------------------------------------------------------------

    /// <summary>Holds the current request until <paramref name="deadlineUs"/>; only a hang-up is watched meanwhile.</summary>
    internal void Hold(long deadlineUs)
    {
        _state = ConnectionState.Holding;
        _deadlineUs = deadlineUs;
        // Later pipelined bytes stay in the kernel until the answer is out.
        SetEvents(_readShut ? 0 : EPOLLRDHUP);
    }

    /// <summary>The held request is about to be answered (the answer follows at once).</summary>
    internal void EndHold()
    {
        _state = ConnectionState.Reading;
        _answeredLate = true;
    }

    // ---- held by the access gate ------------------------------------------------------------------------------

    /// <summary>The current request waits for the access gate (a password check, or a wrong password's delay).</summary>
    internal void HoldForAccess()
    {
        _state = ConnectionState.Authenticating;
        _accessHeldSinceUs = _loop.NowUs;
        SetEvents(_readShut ? 0 : EPOLLRDHUP);
    }

    private long _accessHeldSinceUs;

    /// <summary>The held request was a HEAD: its delayed 401 has no body.</summary>
    internal bool HeldHeadOnly { get; set; }

    /// <summary>The gate can decide now: the held request (first in the pending bytes) runs again.</summary>
    internal void ResumeAfterAccess()
    {
        if (_state != ConnectionState.Authenticating) return;
        _state = ConnectionState.Reading;
        SetEvents(_readShut ? 0 : EPOLLIN | EPOLLRDHUP);
        if (_pendingLength > 0) Process(_pending!, 0, _pendingLength, shared: false);
    }

    /// <summary>A wrong password's delay is over: 401, and close (the request is still unread in the pending bytes).</summary>
    internal void DenyHeldRequest()
    {
        if (_state != ConnectionState.Authenticating) return;
        _state = ConnectionState.Reading;
        ReleasePending();
        _server.Stats.Unauthorized.Increment();
        HttpAccessGate.SendChallenge(this, HeldHeadOnly, keepAlive: false);
    }

    /// <summary>Behind a trusted proxy: logs and the per-address limit name the forwarded client; false if that address is over its limit (answered 503).</summary>
    internal bool UseForwardedClient(IPAddress client)
    {
        string address = client.Equals(ForwardedChain.Unknown) ? "unknown" : client.ToString();
        if (address == Address) return true;
        Component = "HTTP " + address + " via " + Peer;
        if (_server.MoveToAddress(this, address)) return true;
        _server.RejectionLog.Write(Log.Level.Warning, Component, RejectionLogReasons.MaxClients, _loop.NowUs,
            "503: more than " + _server.Options.MaxConnectionsPerAddress + " connections from " + address);
        SendError(503);
        return false;
    }

    // ---- deadlines and close ---------------------------------------------------------------------------------

    /// <summary>Called by the server's sweep timer.</summary>
    internal void CheckDeadlines(long nowUs)
    {
        switch (_state)
        {
            case ConnectionState.Reading:
                // A connection that never sent a request gets less time while many such connections are open.
                long timeoutUs = !_admitted && _server.UnderPressure ? _server.PressuredRequestTimeoutUs : _server.RequestTimeoutUs;
                if (nowUs - _readingSinceUs > timeoutUs) Close("no complete request within " + timeoutUs / 1e6 + " s");
                break;
            case ConnectionState.Lingering:
                if (nowUs > _deadlineUs) Close(null);
                break;
            case ConnectionState.Authenticating:
                // The longest wait is the largest delay plus a check; anything longer is a bug, not a client.
                if (nowUs - _accessHeldSinceUs > 2 * LoginThrottle.MaxDelayUs) Close("held by the access gate for too long");
                break;
            case ConnectionState.Holding:
                if (nowUs > _deadlineUs && _snapshot is { IsWaiting: true })
                {
                    // The picture source answers first (503 after its own timeout): this is only a backstop.
                    _snapshot.Expire();
                    _state = ConnectionState.Reading;
                    SendError(503);
                }
                else if (nowUs > _deadlineUs && _settingsSave is { IsWaiting: true })
                {
                    _settingsSave.Stop();
                    Log.Warning(Component, "503: the settings were not written in time");
                    _state = ConnectionState.Reading;
                    SendError(503);
                }
                else if (nowUs > _deadlineUs)
                {
                    _hls!.Expire();
                    _server.Stats.HlsTimeouts.Increment();
                    Log.Warning(Component, "503: the HLS segment or part did not come in time");
                    _state = ConnectionState.Reading;
                    SendError(503);
                }
                break;
            case ConnectionState.Responding:
            case ConnectionState.Streaming:
                if (_streamer is { Failed: true }) Close(_closeReason);
                else if (_hls is not null && _hls.IsStale(nowUs, _server.StallTimeoutUs)) Close("too slow: its HLS segment left the playlist");
                else if (!Queue.IsEmpty && nowUs - _lastProgressUs > _server.StallTimeoutUs)
                    Close("stalled: nothing accepted for " + _server.Options.ClientStallTimeout.TotalSeconds + " s");
                break;
        }
    }

    /// <summary>Closes now; must not be called from inside the hub's fan-out (use <see cref="HttpServer.Defer"/>).</summary>
    internal void Close(string? reason)
    {
        if (_state == ConnectionState.Closed) return;
        _state = ConnectionState.Closed;
        _hls?.Stop();
        _snapshot?.Stop();
        _settingsSave?.Stop();
        long fragments = Queue.FragmentsSent;
        Queue.Clear();
        ReleasePending();
        _loop.Remove(_fd);
        TcpSocket.Close(_fd);
        _server.OnClosed(this, _rejecting, _admitted);
        if (_streamer is not null && _streamer.Stop(fragments, reason ?? _closeReason)) return;
        if (reason != null) Log.Debug(Component, "closed: " + reason);
    }
}
