using System.Buffers;
using System.Text;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Sockets;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Streaming.Hls;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Http;

/// <summary>
/// One client socket: reads requests (pipelined requests in order), answers small responses with keep-alive,
/// or becomes a streaming client that queues shared fragments and sends them with gathered writes. It never
/// makes capture wait: a slow reader skips to the next key frame, a stalled one is closed.
/// </summary>
internal sealed class HttpConnection : IPollable, IFragmentSubscriber, IHlsWaiter
{
    // WaitingHls: an HLS request held on the loop until the woken stream has its first segment, or (LL-HLS) until
    // the segment or part a blocking reload or a preload hint asks for exists.
    private enum State { Reading, Responding, Streaming, Lingering, WaitingHls, Closed }

    /// <summary>HLS segments: unique URLs per run (see HlsSegmenter), immutable content.</summary>
    private const string SegmentCacheControl = "Cache-Control: public, max-age=600\r\n";

    // 256 fragments is over 8 s at 30 fps; a reader that far behind skips to a key frame anyway.
    private const int MaxQueuedFragments = 256;
    private const int HeadBufferBytes = 1024;
    private const int DrainReadsPerWake = 4;

    private readonly HttpServer _server;
    private readonly EventLoop _loop;
    private readonly int _fd;
    private readonly string _component;
    private readonly SendQueue _queue = new(MaxQueuedFragments);
    private readonly byte[] _head = new byte[HeadBufferBytes];

    private State _state;
    private int _events;
    private byte[]? _pending;
    private int _pendingLength;
    private bool _closeAfterResponse;
    private bool _rejecting;
    private long _deadlineUs;
    private long _lastProgressUs;
    private string? _closeReason;

    private ILiveStream? _stream;
    private InitSegment? _init;
    private bool _subscribed, _awaitingFirst, _skipping, _behind, _ending, _failed;
    private long _joinedUs, _skipped;

    // HLS: the segment being sent (one reference held until its fragments [next, end) are queued), and a held request.
    private HlsSegment? _segment;
    private int _segmentNext, _segmentEnd;
    private HlsSegmenter? _waitingFor;
    private bool _waitingMaster, _waitingPart, _waitHeadOnly, _waitKeepAlive, _answeringLate;
    private long _waitSequence;
    private int _waitPart;
    // The playlist being sent: the segmenter must not write over its bytes until the response is out.
    private HlsPlaylist? _playlist;

    public HttpConnection(HttpServer server, int fd, string peer, int index)
    {
        _server = server;
        _loop = server.Loop;
        _fd = fd;
        Peer = peer;
        _component = "HTTP " + peer;
        Index = index;
    }

    public string Peer { get; }

    /// <summary>The socket (tests shrink its send buffer to exercise EPOLLOUT).</summary>
    internal int Fd => _fd;

    /// <summary>Slot in the server's connection list.</summary>
    internal int Index;

    public bool IsStreaming => _state == State.Streaming;

    /// <summary>Bytes queued for this client and not yet taken by the kernel.</summary>
    public long QueuedBytes => _queue.QueuedBytes;

    /// <summary>Frames this streaming client did not get because it read too slowly.</summary>
    public long Skipped => _skipped;

    public long FragmentsSent => _queue.FragmentsSent;

    /// <summary>Times a streaming send found the socket full and armed EPOLLOUT.</summary>
    public long WouldBlockCount { get; private set; }

    public void Start(bool reject)
    {
        _events = EPOLLIN | EPOLLRDHUP;
        _loop.Add(_fd, _events, this);
        _deadlineUs = MonotonicClock.NowUs + _server.RequestTimeoutUs;
        _state = State.Reading;
        if (reject)
        {
            _rejecting = true;
            Log.Warning(_component, "503: more than " + _server.Options.MaxClients + " clients");
            SendError(503);
        }
    }

    public void OnPoll(int events)
    {
        if (_state == State.Closed) return;
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
        if (_state == State.Closed) return;
        if ((events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) != 0) OnReadable();
    }

    // ---- requests --------------------------------------------------------------------------------------------

    private void OnReadable()
    {
        switch (_state)
        {
            case State.Reading: ReadRequests(); break;
            case State.Streaming:
            case State.Lingering: Drain(); break;
            // Responding: only EPOLLOUT is armed; a hang-up also reports EPOLLOUT, whose send then fails.
            case State.WaitingHls: Close("closed by client while its HLS request was held"); break;
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
        while (length > 0 && _state == State.Reading)
        {
            var data = buffer.AsSpan(start, length);
            var status = RequestParser.TryParse(data, _server.Options.MaxHeaderBytes, out var request, out var reason);
            if (status == ParseStatus.Incomplete) break;
            if (status == ParseStatus.Rejected)
            {
                length = 0;
                ReleasePending();
                if (Log.IsEnabled(Log.Level.Info)) Log.Info(_component, reason.StatusCode() + " (" + reason + ")");
                SendError(reason.StatusCode());
                return;
            }
            start += request.HeadLength;
            length -= request.HeadLength;
            Handle(data, request);
        }

        bool mayReadMore = _state == State.Reading || _state == State.WaitingHls
            || (_state == State.Responding && !_closeAfterResponse);
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

    private void Handle(ReadOnlySpan<byte> data, in HttpRequest request)
    {
        var routes = _server.Routes;
        var resource = routes.Resolve(request.Path(data), out int streamIndex, out long number, out int part);
        bool headOnly = request.Method == RequestMethod.Head;
        bool keepAlive = request.KeepAlive;
        if (Log.IsEnabled(Log.Level.Debug))
            Log.Debug(_component, request.Method + " " + Encoding.ASCII.GetString(request.Target(data)) + " -> " + resource);
        switch (resource)
        {
            case Resource.Page:
                Respond(200, "text/html; charset=utf-8", routes.Page(streamIndex), true, headOnly, keepAlive);
                break;
            case Resource.Tiles:
                Respond(200, "text/html; charset=utf-8", routes.Tiles(), true, headOnly, keepAlive);
                break;
            case Resource.Manifest:
                Respond(200, "application/json", ManifestJson.Bytes, true, headOnly, keepAlive);
                break;
            case Resource.Logo:
                Respond(200, "image/png", Icons.Logo, false, headOnly, keepAlive);
                break;
            case Resource.AppleTouchIcon:
                Respond(200, "image/png", Icons.AppleTouch, false, headOnly, keepAlive);
                break;
            case Resource.Favicon:
                Respond(200, "image/png", Icons.Favicon, false, headOnly, keepAlive);
                break;
            case Resource.HomeScreenIcon:
                Respond(200, "image/png", Icons.HomeScreen, false, headOnly, keepAlive);
                break;
            case Resource.SplashIcon:
                Respond(200, "image/png", Icons.Splash, false, headOnly, keepAlive);
                break;
            case Resource.AddSlash:
                Respond(301, null, [], false, headOnly, keepAlive, "Location", routes.Streams[streamIndex].Name + "/");
                break;
            case Resource.Stream:
                if (headOnly) Respond(200, "video/mp4", null, true, headOnly: true, keepAlive: false);
                else StartStreaming(streamIndex);
                break;
            case Resource.MasterPlaylist:
            case Resource.MediaPlaylist:
                if (!HlsQuery.TryParse(request.Query(data), out long msn, out int msnPart))
                {
                    SendError(400);
                    break;
                }
                RespondPlaylist(_server.Hls(streamIndex), resource == Resource.MasterPlaylist, msn, msnPart, headOnly, keepAlive);
                break;
            case Resource.HlsInit:
                RespondHlsInit(_server.Hls(streamIndex), number, headOnly, keepAlive);
                break;
            case Resource.HlsSegment:
                RespondSegment(_server.Hls(streamIndex), number, headOnly, keepAlive);
                break;
            case Resource.HlsPart:
                RespondPart(_server.Hls(streamIndex), number, part, headOnly, keepAlive);
                break;
            default:
                SendError(404);
                break;
        }
    }

    /// <param name="body">null: no Content-Length (the stream's head for HEAD).</param>
    private void Respond(int status, string? contentType, byte[]? body, bool noCache, bool headOnly, bool keepAlive,
        string? extraName = null, string? extraValue = null)
    {
        var head = new ResponseHead(_head);
        head.Start(status);
        if (contentType != null) head.Header("Content-Type", contentType);
        if (noCache) head.Append(ResponseHead.NoCache);
        if (extraName != null) head.Header(extraName, extraValue!);
        if (body != null) head.ContentLength(body.Length);
        head.Connection(keepAlive);
        head.End();
        _queue.EnqueuePlain(_head, 0, head.Length);
        if (!headOnly && body != null) _queue.EnqueuePlain(body, 0, body.Length);
        _closeAfterResponse = !keepAlive;
        BeginResponse();
    }

    /// <summary>A small text response that ends the connection (every 4xx/5xx here).</summary>
    private void SendError(int status)
    {
        var body = Encoding.ASCII.GetBytes(status + " " + ResponseHead.ReasonPhrase(status) + "\n");
        if (status == 405) Respond(status, "text/plain; charset=utf-8", body, false, false, false, "Allow", "GET, HEAD");
        else Respond(status, "text/plain; charset=utf-8", body, false, false, false);
    }

    private void BeginResponse()
    {
        _state = State.Responding;
        _lastProgressUs = MonotonicClock.NowUs;
        var result = FlushQueue();
        if (result == FlushResult.Failed) Close(_closeReason);
        else if (result == FlushResult.Done) ResponseDone(fromWritable: false);
        else SetEvents(EPOLLOUT);
    }

    private void ResponseDone(bool fromWritable)
    {
        ReleasePlaylist();
        if (_closeAfterResponse)
        {
            BeginLinger();
            return;
        }
        _state = State.Reading;
        _deadlineUs = MonotonicClock.NowUs + _server.RequestTimeoutUs;
        SetEvents(EPOLLIN | EPOLLRDHUP);
        // Pipelined requests that arrived with an earlier one; inside Process the caller's loop handles them.
        bool late = _answeringLate;
        _answeringLate = false;
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
        _state = State.Lingering;
        _deadlineUs = MonotonicClock.NowUs + _server.LingerUs;
        SetEvents(EPOLLIN | EPOLLRDHUP);
    }

    private void Drain()
    {
        for (int i = 0; i < DrainReadsPerWake; i++)
        {
            int n = TcpSocket.Receive(_fd, _server.ReadBuffer);
            if (n == TcpSocket.WouldBlock) return;
            if (n <= 0)
            {
                Close(_state == State.Lingering ? null : n == 0 ? "closed by client" : "read: " + LinuxError.Name(-n));
                return;
            }
        }
    }

    private void OnWritable()
    {
        if (_state == State.Responding)
        {
            var result = FlushQueue();
            if (result == FlushResult.Failed) Close(_closeReason);
            else if (result == FlushResult.Done) ResponseDone(fromWritable: true);
        }
        else if (_state == State.Streaming)
        {
            FlushStreaming();
        }
    }

    private FlushResult FlushQueue()
    {
        while (true)
        {
            TopUpSegment();
            var result = _queue.Flush(_fd, out long sent, out int errno);
            if (sent > 0) _lastProgressUs = MonotonicClock.NowUs;
            if (result == FlushResult.Failed) _closeReason = "send: " + LinuxError.Name(errno);
            if (result != FlushResult.Done || _segment is null) return result;
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

    // ---- streaming -------------------------------------------------------------------------------------------

    private void StartStreaming(int streamIndex)
    {
        var stream = _server.Routes.Streams[streamIndex];
        var head = new ResponseHead(_head);
        head.Start(200);
        head.Header("Content-Type", "video/mp4");
        head.Append(ResponseHead.NoCache);
        // No Content-Length and no chunking: the body is ended by the close (seed spec 3).
        head.Connection(false);
        head.End();
        _queue.EnqueuePlain(_head, 0, head.Length);

        _stream = stream;
        _state = State.Streaming;
        _awaitingFirst = true;
        _joinedUs = _lastProgressUs = MonotonicClock.NowUs;
        ReleasePending();
        SetEvents(EPOLLIN | EPOLLRDHUP);
        Log.Info(_component, "joined " + stream.Name);
        _subscribed = true;
        stream.Subscribe(this);
        if (_state == State.Streaming && (_events & EPOLLOUT) == 0) FlushStreaming();
    }

    public void OnFragment(SharedFragment fragment)
    {
        if (_state != State.Streaming || _failed || _ending) return;
        bool wasEmpty = _queue.IsEmpty;
        if (_awaitingFirst)
        {
            // The hub starts every subscriber at a key frame; never start a client anywhere else.
            if (!fragment.IsKeyFrame) return;
            _init = fragment.Init;
            _queue.EnqueuePlain(_init.Bytes, 0, _init.Bytes.Length);
            _awaitingFirst = false;
        }
        else if (!ReferenceEquals(fragment.Init, _init))
        {
            // New parameter sets without a reset: these fragments do not fit the moov this client already has.
            OnStreamReset();
            return;
        }
        if (_skipping)
        {
            if (!fragment.IsKeyFrame)
            {
                _skipped++;
                return;
            }
            _skipping = false;
        }

        long queued = _queue.QueuedBytes;
        if (queued > 0 && (queued + fragment.Length > _server.Options.ClientQueueBytes || _queue.IsFragmentRingFull))
        {
            // Whole fragments only: drop what has not started and resume at a key frame, so the bytes the
            // client gets stay a valid fMP4 stream (camera-streamer's keyed queue limit).
            _skipped += _queue.DropUnstarted();
            if (!_behind)
            {
                // One line per episode: it ends when the client has caught up (its queue ran empty).
                _behind = true;
                Log.Info(_component, "falling behind: skipping to the next key frame");
            }
            if (!fragment.IsKeyFrame)
            {
                _skipping = true;
                _skipped++;
                return;
            }
        }

        // The stall clock runs from the moment data is pending.
        if (wasEmpty) _lastProgressUs = MonotonicClock.NowUs;
        _queue.TryEnqueue(fragment);
        // Send at once; while EPOLLOUT is armed the socket was full at the last try and the poll will flush.
        if ((_events & EPOLLOUT) == 0) FlushStreaming();
    }

    public void OnStreamReset()
    {
        if (_state != State.Streaming || _ending) return;
        _ending = true;
        _server.Defer(this);
    }

    private void FlushStreaming()
    {
        var result = FlushQueue();
        if (result == FlushResult.Done)
        {
            _behind = false;
            SetEvents(EPOLLIN | EPOLLRDHUP);
        }
        else if (result == FlushResult.WouldBlock)
        {
            if ((_events & EPOLLOUT) == 0) WouldBlockCount++;
            SetEvents(EPOLLIN | EPOLLRDHUP | EPOLLOUT);
        }
        else if (!_failed)
        {
            // Maybe inside the hub's fan-out: unsubscribe and close after it (see OnDeferred).
            _failed = true;
            _server.Defer(this);
        }
    }

    /// <summary>Runs after the dispatch that asked for it, outside any hub callback.</summary>
    internal void OnDeferred()
    {
        if (_state != State.Streaming) return;
        if (_failed)
        {
            Close(_closeReason);
            return;
        }
        if (_ending)
        {
            Unsubscribe();
            _closeReason = "stream reset";
            // Finish the whole fragments already queued, then close.
            _closeAfterResponse = true;
            _state = State.Responding;
            var result = FlushQueue();
            if (result == FlushResult.Failed) Close(_closeReason);
            else if (result == FlushResult.Done) ResponseDone(fromWritable: false);
            else SetEvents(EPOLLOUT);
        }
    }

    private void Unsubscribe()
    {
        if (!_subscribed) return;
        _subscribed = false;
        _stream!.Unsubscribe(this);
    }

    // ---- HLS -------------------------------------------------------------------------------------------------

    /// <param name="msn">LL-HLS _HLS_msn (-1: none): hold the answer until that segment (or its part) exists.</param>
    private void RespondPlaylist(HlsSegmenter hls, bool master, long msn, int part, bool headOnly, bool keepAlive)
    {
        hls.Touch();
        if (master) msn = part = -1;
        var decision = hls.DecidePlaylist(master, msn, part);
        if (decision == HlsDecision.BadRequest)
        {
            SendError(400);
            return;
        }
        _waitingPart = false;
        _waitingMaster = master;
        _waitSequence = msn;
        _waitPart = part;
        if (decision == HlsDecision.Ready)
        {
            SendPlaylist(hls, headOnly, keepAlive);
            return;
        }
        // The stream is waking up, or a blocking reload: hold the request on the loop (or 503 at the deadline).
        Wait(hls, headOnly, keepAlive);
    }

    /// <summary>The current playlist, held until sent; a blocking reload's answer may be cached briefly.</summary>
    private void SendPlaylist(HlsSegmenter hls, bool headOnly, bool keepAlive)
    {
        var playlist = (_waitingMaster ? hls.MasterPlaylist : hls.MediaPlaylist)!;
        var head = new ResponseHead(_head);
        head.Start(200);
        head.Header("Content-Type", HlsContentType);
        if (_waitSequence >= 0)
        {
            head.Append("Cache-Control: public, max-age=");
            head.Append(hls.BlockingMaxAgeSeconds);
            head.Append("\r\n");
        }
        else
        {
            head.Append(ResponseHead.NoCache);
        }
        head.ContentLength(playlist.Length);
        head.Connection(keepAlive);
        head.End();
        _queue.EnqueuePlain(_head, 0, head.Length);
        if (!headOnly)
        {
            ReleasePlaylist();
            playlist.Retain();
            _playlist = playlist;
            _queue.EnqueuePlain(playlist.Buffer, 0, playlist.Length);
        }
        _closeAfterResponse = !keepAlive;
        BeginResponse();
    }

    private void ReleasePlaylist()
    {
        _playlist?.Release();
        _playlist = null;
    }

    private void Wait(HlsSegmenter hls, bool headOnly, bool keepAlive)
    {
        _state = State.WaitingHls;
        _waitingFor = hls;
        _waitHeadOnly = headOnly;
        _waitKeepAlive = keepAlive;
        // Before the first segment: the wake-up allowance; after it, three target durations (6.2.5.2).
        _deadlineUs = MonotonicClock.NowUs + (hls.MediaPlaylist is null ? _server.HlsWaitUs : hls.TargetDuration * 3_000_000L);
        // Only a hang-up matters now; later pipelined bytes stay in the kernel until the answer is out.
        SetEvents(EPOLLRDHUP);
        hls.AddWaiter(this);
    }

    public bool OnHlsUpdate(HlsSegmenter segmenter)
    {
        if (_state != State.WaitingHls || _waitingFor != segmenter) return true;
        if (_waitingPart)
        {
            var part = segmenter.DecidePart(_waitSequence, _waitPart);
            // Still ahead: the part a preload hint named arrives with the next frames.
            if (part == HlsDecision.Wait) return false;
            EndWait();
            if (part == HlsDecision.Ready) SendPart(segmenter.FindPart(_waitSequence, _waitPart)!, _waitPart, _waitHeadOnly, _waitKeepAlive);
            else SendError(404);
            return true;
        }
        var decision = segmenter.DecidePlaylist(_waitingMaster, _waitSequence, _waitPart);
        if (decision == HlsDecision.Wait) return false;
        EndWait();
        if (decision == HlsDecision.Ready) SendPlaylist(segmenter, _waitHeadOnly, _waitKeepAlive);
        else SendError(400);
        return true;
    }

    private void EndWait()
    {
        _waitingFor = null;
        _state = State.Reading;
        _answeringLate = true;
    }

    private void RespondPart(HlsSegmenter hls, long sequence, int part, bool headOnly, bool keepAlive)
    {
        hls.Touch();
        var decision = hls.DecidePart(sequence, part);
        if (decision == HlsDecision.Ready)
        {
            SendPart(hls.FindPart(sequence, part)!, part, headOnly, keepAlive);
            return;
        }
        // A preload hint names the part after the newest: hold it until it exists (RFC 8216bis 6.2.6).
        if (decision == HlsDecision.Wait)
        {
            _waitingPart = true;
            _waitSequence = sequence;
            _waitPart = part;
            Wait(hls, headOnly, keepAlive);
            return;
        }
        SendError(404);
    }

    private void SendPart(HlsSegment segment, int part, bool headOnly, bool keepAlive) =>
        SendFragments(segment, segment.PartStart(part), segment.PartEnd(part), segment.PartBytes(part), headOnly, keepAlive);

    private void RespondHlsInit(HlsSegmenter hls, long generation, bool headOnly, bool keepAlive)
    {
        hls.Touch();
        var init = generation <= int.MaxValue ? hls.FindInit((int)generation) : null;
        // Generation 0 is the stream's current init while the segmenter wakes (a player may fetch it early).
        init ??= generation == 0 && hls.SegmentCount == 0 ? hls.Stream.Init : null;
        if (init is null)
        {
            SendError(404);
            return;
        }
        // Not cached: init.mp4 of another run (another camera mode) has the same URL.
        Respond(200, "video/mp4", init.Bytes, true, headOnly, keepAlive);
    }

    private void RespondSegment(HlsSegmenter hls, long sequence, bool headOnly, bool keepAlive)
    {
        hls.Touch();
        var segment = hls.FindSegment(sequence);
        if (segment is null)
        {
            SendError(404); // left the window, or not cut yet
            return;
        }
        SendFragments(segment, 0, segment.Count, segment.Bytes, headOnly, keepAlive);
    }

    /// <summary>Fragments [start, end) of a segment as one response body.</summary>
    private void SendFragments(HlsSegment segment, int start, int end, long bytes, bool headOnly, bool keepAlive)
    {
        var head = new ResponseHead(_head);
        head.Start(200);
        head.Header("Content-Type", "video/mp4");
        head.Append(SegmentCacheControl);
        head.ContentLength((int)bytes); // a segment is seconds of video: far below 2 GB
        head.Connection(keepAlive);
        head.End();
        _queue.EnqueuePlain(_head, 0, head.Length);
        if (!headOnly)
        {
            // The window's fragments themselves go out (no copy); the reference keeps them if the segment leaves it.
            segment.Retain();
            _segment = segment;
            _segmentNext = start;
            _segmentEnd = end;
        }
        _closeAfterResponse = !keepAlive;
        BeginResponse();
    }

    /// <summary>Queues as many of the segment's fragments as the send ring takes (a long GOP can exceed it).</summary>
    private void TopUpSegment()
    {
        var segment = _segment;
        if (segment is null) return;
        ulong origin = segment.DecodeTimeOrigin;
        while (_segmentNext < _segmentEnd)
        {
            var fragment = segment[_segmentNext];
            if (!_queue.TryEnqueue(fragment, 0, fragment.Length, rebase: origin != 0, origin)) break;
            _segmentNext++;
        }
        if (_segmentNext == _segmentEnd) ReleaseSegment();
    }

    private void ReleaseSegment()
    {
        if (_segment is null) return;
        _segment.Release();
        _segment = null;
    }

    private const string HlsContentType = "application/vnd.apple.mpegurl";

    // ---- deadlines and close ---------------------------------------------------------------------------------

    /// <summary>Called by the server's sweep timer.</summary>
    internal void CheckDeadlines(long nowUs)
    {
        switch (_state)
        {
            case State.Reading:
                if (nowUs > _deadlineUs) Close("no complete request within " + _server.Options.RequestTimeout.TotalSeconds + " s");
                break;
            case State.Lingering:
                if (nowUs > _deadlineUs) Close(null);
                break;
            case State.WaitingHls:
                if (nowUs > _deadlineUs)
                {
                    _waitingFor!.RemoveWaiter(this);
                    _waitingFor = null;
                    Log.Warning(_component, "503: the HLS segment or part did not come in time");
                    _state = State.Reading;
                    SendError(503);
                }
                break;
            case State.Responding:
            case State.Streaming:
                if (_failed) Close(_closeReason);
                else if (!_queue.IsEmpty && nowUs - _lastProgressUs > _server.StallTimeoutUs)
                    Close("stalled: nothing accepted for " + _server.Options.ClientStallTimeout.TotalSeconds + " s");
                break;
        }
    }

    /// <summary>Closes now; must not be called from inside the hub's fan-out (use <see cref="HttpServer.Defer"/>).</summary>
    internal void Close(string? reason)
    {
        if (_state == State.Closed) return;
        _state = State.Closed;
        Unsubscribe();
        _waitingFor?.RemoveWaiter(this);
        _waitingFor = null;
        ReleaseSegment();
        ReleasePlaylist();
        long fragments = _queue.FragmentsSent;
        _queue.Clear();
        ReleasePending();
        _loop.Remove(_fd);
        TcpSocket.Close(_fd);
        _server.OnClosed(this, _rejecting);
        if (_stream != null)
        {
            long seconds = (MonotonicClock.NowUs - _joinedUs) / 1_000_000;
            Log.Info(_component, "left after " + seconds + " s, " + fragments + " fragments, " + _skipped + " skipped"
                + (reason != null ? " (" + reason + ")" : ""));
        }
        else if (reason != null)
        {
            Log.Debug(_component, "closed: " + reason);
        }
    }
}
