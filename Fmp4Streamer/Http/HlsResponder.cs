using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming.Hls;

namespace Fmp4Streamer.Http;

/// <summary>
/// The HLS answers of one connection: playlists (held while the stream wakes up, or for an LL-HLS blocking reload),
/// init segments, and segments and parts sent as the window's shared fragments, with no copy.
/// </summary>
internal sealed class HlsResponder : IHlsWaiter
{
    private const string PlaylistType = "application/vnd.apple.mpegurl";

    private readonly HttpConnection _connection;
    private HeldHlsRequest? _held;
    // The playlist being sent: the segmenter must not write over its bytes until the response is out.
    private HlsPlaylist? _playlist;

    // The segment being sent: one reference held until its fragments [_next, _end) are queued, starting _skip bytes
    // into the first and _bytesLeft bytes in all.
    private HlsSegment? _segment;
    private int _next, _end, _skip;
    private long _bytesLeft;

    // The segment response in progress (until its last byte is out): which segment, and since when.
    private HlsSegmenter? _sendingFrom;
    private long _sendingSequence;
    private long _sendingSinceUs;

    public HlsResponder(HttpConnection connection) => _connection = connection;

    // ---- route handlers ----

    public static void MasterPlaylist(HttpConnection c, scoped in RouteRequest r) => c.Hls.Playlist(r, master: true);
    public static void MediaPlaylist(HttpConnection c, scoped in RouteRequest r) => c.Hls.Playlist(r, master: false);
    public static void Init(HttpConnection c, scoped in RouteRequest r) => c.Hls.SendInit(r);
    public static void Segment(HttpConnection c, scoped in RouteRequest r) => c.Hls.SendSegment(r);
    public static void Part(HttpConnection c, scoped in RouteRequest r) => c.Hls.SendPart(r);

    /// <summary>The stream's segmenter (the stream owns it; made at the first HLS request).</summary>
    private HlsSegmenter Segmenter(scoped in RouteRequest r) => _connection.Server.Routes.Streams[r.StreamIndex].Hls;

    private void Playlist(scoped in RouteRequest r, bool master)
    {
        var hls = Segmenter(r);
        hls.Touch();
        if (!HlsQuery.TryParse(r.Query, out long msn, out int part))
        {
            _connection.SendError(400);
            return;
        }
        if (master) msn = part = -1;
        var held = new HeldHlsRequest(hls, master ? HeldHlsKind.MasterPlaylist : HeldHlsKind.MediaPlaylist, msn, part,
            r.HeadOnly, r.KeepAlive, r.Range);
        switch (hls.DecidePlaylist(master, msn, part))
        {
            case HlsDecision.Ready:
                SendPlaylist(held);
                break;
            case HlsDecision.Wait:
                // The stream is waking up, or a blocking reload: hold the request on the loop (or 503 at the deadline).
                Hold(held);
                break;
            default:
                _connection.SendError(400);
                break;
        }
    }

    /// <summary>
    /// The current playlist, referenced until its last byte is out (the segmenter writes the next one elsewhere);
    /// a blocking reload's answer may be cached for about a segment, since it always lists what was asked for.
    /// </summary>
    private void SendPlaylist(in HeldHlsRequest held)
    {
        var hls = held.Segmenter;
        var playlist = held.Kind == HeldHlsKind.MasterPlaylist ? hls.MasterPlaylist! : hls.MediaPlaylist!;
        _connection.Server.Stats.HlsPlaylistResponses.Increment();
        var kind = held.Range.Resolve(playlist.Length, out long start, out long end);
        var head = _connection.BeginHead(kind switch { RangeKind.Partial => 206, RangeKind.Unsatisfiable => 416, _ => 200 });
        head.Header("Content-Type", PlaylistType);
        if (held.Sequence >= 0)
        {
            head.Append("Cache-Control: public, max-age=");
            head.Append(hls.BlockingMaxAgeSeconds);
            head.Append("\r\n");
        }
        else
        {
            head.Append(CacheHeaders.LivePlaylist);
        }
        head.Append(FixedResponder.AcceptRanges);
        if (kind == RangeKind.Unsatisfiable)
        {
            head.UnsatisfiedRange(playlist.Length);
            head.ContentLength(0);
            _connection.QueueHead(ref head, held.KeepAlive);
            _connection.BeginResponse();
            return;
        }
        if (kind == RangeKind.Partial) head.ContentRange(start, end, playlist.Length);
        head.ContentLength(end - start);
        _connection.QueueHead(ref head, held.KeepAlive);
        if (!held.HeadOnly && end > start)
        {
            ReleasePlaylist();
            playlist.Retain();
            _playlist = playlist;
            _connection.Queue.EnqueuePlain(playlist.Buffer, (int)start, (int)(end - start));
        }
        _connection.BeginResponse();
    }

    private void ReleasePlaylist()
    {
        _playlist?.Release();
        _playlist = null;
    }

    private void Hold(in HeldHlsRequest held)
    {
        var hls = held.Segmenter;
        _held = held;
        // Before the first segment: the wake-up allowance; after it, three target durations (6.2.5.2).
        long wait = hls.MediaPlaylist is null ? (long)(hls.Options.FirstSegmentTimeout.TotalMilliseconds * 1000) : hls.TargetDuration * 3_000_000L;
        _connection.Hold(_connection.Server.Loop.NowUs + wait);
        hls.AddWaiter(this);
    }

    public bool OnHlsUpdate(HlsSegmenter segmenter)
    {
        if (_connection.State != ConnectionState.Holding || _held is not { } held || held.Segmenter != segmenter) return true;
        if (held.Kind == HeldHlsKind.Part)
        {
            var part = segmenter.DecidePart(held.Sequence, held.Part);
            // Still ahead: the part a preload hint named arrives with the next frames.
            if (part == HlsDecision.Wait) return false;
            EndHold();
            if (part == HlsDecision.Ready && segmenter.FindPart(held.Sequence, held.Part) is { } segment)
                SendFragments(segmenter, segment, held.Part, segment.PartStart(held.Part), segment.PartEnd(held.Part), segment.PartBytes(held.Part),
                    held.HeadOnly, held.KeepAlive, held.Range);
            else _connection.SendError(404);
            return true;
        }
        var decision = segmenter.DecidePlaylist(held.Kind == HeldHlsKind.MasterPlaylist, held.Sequence, held.Part);
        if (decision == HlsDecision.Wait) return false;
        EndHold();
        if (decision == HlsDecision.Ready) SendPlaylist(held);
        else _connection.SendError(400);
        return true;
    }

    private void EndHold()
    {
        _held = null;
        _connection.EndHold();
    }

    /// <summary>The connection's deadline passed: forget the held request (the connection answers 503).</summary>
    internal void Expire()
    {
        if (_held is { } held) held.Segmenter.RemoveWaiter(this);
        _held = null;
    }

    private void SendInit(scoped in RouteRequest r)
    {
        var hls = Segmenter(r);
        hls.Touch();
        long generation = r.Number;
        var init = generation <= int.MaxValue ? hls.FindInit((int)generation) : null;
        // Generation 0 is the stream's current init while the segmenter wakes (a player may fetch it early).
        init ??= generation == 0 && hls.SegmentCount == 0 ? hls.Stream.Init : null;
        if (init is null)
        {
            _connection.SendError(404);
            return;
        }
        // Kept briefly by caches: init.mp4 of another run (another camera mode) has the same URL.
        FixedResponder.Send(_connection, r, "video/mp4", init.Bytes, CacheHeaders.Init);
    }

    private void SendSegment(scoped in RouteRequest r)
    {
        var hls = Segmenter(r);
        hls.Touch();
        var segment = hls.FindSegment(r.Number);
        if (segment is null)
        {
            _connection.SendError(404); // left the window, or not cut yet
            return;
        }
        if (NotModified(r, segment.Sequence, -1)) return;
        SendFragments(hls, segment, -1, 0, segment.Count, segment.Bytes, r.HeadOnly, r.KeepAlive, r.Range);
    }

    /// <summary>A cache revalidating a segment or part it holds: the URL's bytes never change within a run, so a 304.</summary>
    private bool NotModified(scoped in RouteRequest r, long sequence, int part)
    {
        if (r.IfNoneMatch.IsEmpty) return false;
        Span<byte> tag = stackalloc byte[EntityTag.MaxLength];
        tag = tag[..EntityTag.OfSegment(sequence, part, tag)];
        if (!ConditionalRequest.IsNotModified(r, tag, default)) return false;
        ConditionalRequest.SendNotModified(_connection, CacheHeaders.Immutable, tag, default, r.KeepAlive);
        return true;
    }

    private void SendPart(scoped in RouteRequest r)
    {
        var hls = Segmenter(r);
        hls.Touch();
        long sequence = r.Number;
        int part = r.Part;
        switch (hls.DecidePart(sequence, part))
        {
            case HlsDecision.Ready:
                if (NotModified(r, sequence, part)) return;
                var segment = hls.FindPart(sequence, part)!;
                SendFragments(hls, segment, part, segment.PartStart(part), segment.PartEnd(part), segment.PartBytes(part), r.HeadOnly, r.KeepAlive, r.Range);
                break;
            case HlsDecision.Wait:
                // A preload hint names the part after the newest: hold it until it exists (RFC 8216bis 6.2.6).
                Hold(new HeldHlsRequest(hls, HeldHlsKind.Part, sequence, part, r.HeadOnly, r.KeepAlive, r.Range));
                break;
            default:
                _connection.SendError(404);
                break;
        }
    }

    /// <summary>
    /// Fragments [start, end) of a segment (<paramref name="bytes"/> in all), or a byte range of them, as one response
    /// body: the whole segment (<paramref name="part"/> -1) or one of its parts.
    /// </summary>
    private void SendFragments(HlsSegmenter hls, HlsSegment segment, int part, int start, int end, long bytes, bool headOnly, bool keepAlive, ByteRange range)
    {
        _connection.Server.Stats.HlsSegmentResponses.Increment();
        _sendingFrom = hls;
        _sendingSequence = segment.Sequence;
        _sendingSinceUs = _connection.Server.Loop.NowUs;
        var kind = range.Resolve(bytes, out long from, out long to);
        var head = _connection.BeginHead(kind switch { RangeKind.Partial => 206, RangeKind.Unsatisfiable => 416, _ => 200 });
        head.Header("Content-Type", "video/mp4");
        head.Append(CacheHeaders.Immutable);
        Span<byte> tag = stackalloc byte[EntityTag.MaxLength];
        ConditionalRequest.AppendValidators(ref head, tag[..EntityTag.OfSegment(segment.Sequence, part, tag)], default);
        head.Append(FixedResponder.AcceptRanges);
        if (kind == RangeKind.Unsatisfiable)
        {
            head.UnsatisfiedRange(bytes);
            head.ContentLength(0);
            _connection.QueueHead(ref head, keepAlive);
            _connection.BeginResponse();
            return;
        }
        if (kind == RangeKind.Partial) head.ContentRange(from, to, bytes);
        head.ContentLength(to - from);
        _connection.QueueHead(ref head, keepAlive);
        if (!headOnly && to > from)
        {
            // The window's fragments themselves go out (no copy); the reference keeps them if the segment leaves it.
            segment.Retain();
            _segment = segment;
            // Skip whole fragments before the range, then start inside the first one.
            long position = 0;
            while (start < end && position + segment[start].Length <= from) position += segment[start++].Length;
            _next = start;
            _end = end;
            _skip = (int)(from - position);
            _bytesLeft = to - from;
        }
        _connection.BeginResponse();
    }

    /// <summary>Queues as many of the segment's fragments as the send ring takes (a long GOP can exceed it); true while some remain.</summary>
    internal bool TopUp(SendQueue queue)
    {
        var segment = _segment;
        if (segment is null) return false;
        while (_next < _end && _bytesLeft > 0)
        {
            var fragment = segment[_next];
            int length = (int)Math.Min(fragment.Length - _skip, _bytesLeft);
            // Each segment's timeline starts where the segmenter says (its playlist position).
            // The audio origin is the same instant in the audio timescale (audio before the segmenter's first picture
            // stays at 0).
            ulong audioOrigin = fragment.Init.AudioSampleRate == 0 ? 0
                : segment.DecodeTimeOrigin * (ulong)fragment.Init.AudioSampleRate / fragment.Init.Timescale;
            if (!queue.TryEnqueue(fragment, _skip, _skip + length, rebase: true, segment.DecodeTimeOrigin, audioOrigin)) return true;
            _bytesLeft -= length;
            _skip = 0;
            _next++;
        }
        ReleaseSegment();
        return false;
    }

    private void ReleaseSegment()
    {
        if (_segment is null) return;
        _segment.Release();
        _segment = null;
    }

    /// <summary>The response's last byte went out.</summary>
    internal void OnResponseDone()
    {
        _sendingFrom = null;
        ReleasePlaylist();
    }

    /// <summary>
    /// A reader so slow that the segment it is being sent has left the playlist window, for longer than the stall
    /// timeout: its player has lost the live edge, and it would pin old fragments in memory. The connection drops it.
    /// </summary>
    internal bool IsStale(long nowUs, long stallUs) =>
        _sendingFrom is { } hls && _sendingSequence < hls.OpenSequence && hls.FindSegment(_sendingSequence) is null
        && nowUs - _sendingSinceUs > stallUs;

    /// <summary>The connection closed: forget a held request and let go of the segment.</summary>
    internal void Stop()
    {
        Expire();
        _sendingFrom = null;
        ReleaseSegment();
        ReleasePlaylist();
    }
}
