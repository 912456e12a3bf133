namespace Fmp4Streamer.Http;

/// <summary>Answers with bytes known in full: a page, the manifest, an icon, a playlist, an init segment; byte ranges of them too.</summary>
internal static class FixedResponder
{
    /// <summary>Pages, playlists and the stream are never cached (as the reference sends them).</summary>
    public const bool NoCache = true;

    public static void Send(HttpConnection connection, scoped in RouteRequest request, string contentType, byte[] body, bool noCache) =>
        Send(connection, contentType, body, noCache, request.HeadOnly, request.KeepAlive, request.Range);

    public static void Send(HttpConnection connection, string contentType, byte[] body, bool noCache, bool headOnly, bool keepAlive, ByteRange range)
    {
        var kind = range.Resolve(body.Length, out long start, out long end);
        var head = connection.BeginHead(kind switch { RangeKind.Partial => 206, RangeKind.Unsatisfiable => 416, _ => 200 });
        head.Header("Content-Type", contentType);
        if (noCache) head.Append(ResponseHead.NoCache);
        head.Append(AcceptRanges);
        if (kind == RangeKind.Unsatisfiable)
        {
            head.UnsatisfiedRange(body.Length);
            head.ContentLength(0);
            connection.QueueHead(ref head, keepAlive);
            connection.BeginResponse();
            return;
        }
        if (kind == RangeKind.Partial) head.ContentRange(start, end, body.Length);
        head.ContentLength(end - start);
        connection.QueueHead(ref head, keepAlive);
        if (!headOnly) connection.Queue.EnqueuePlain(body, (int)start, (int)(end - start));
        connection.BeginResponse();
    }

    public const string AcceptRanges = "Accept-Ranges: bytes\r\n";
}
