namespace Fmp4Streamer.Http;

/// <summary>Answers with bytes known in full: a page, the manifest, an icon, a playlist, an init segment; byte ranges of them too.</summary>
internal static class FixedResponder
{
    /// <summary>For <see cref="Send(HttpConnection, in RouteRequest, string, byte[], bool)"/>: never stored.</summary>
    public const bool NoCache = true;

    /// <summary>Without validators: <paramref name="noCache"/> answers are never stored, others carry no cache headers.</summary>
    public static void Send(HttpConnection connection, scoped in RouteRequest request, string contentType, byte[] body, bool noCache) =>
        Send(connection, contentType, body, noCache ? CacheHeaders.NoStore : "", default, default, request.HeadOnly, request.KeepAlive, request.Range);

    /// <summary>
    /// With <paramref name="cacheHeaders"/>, an ETag of the content (and <paramref name="lastModified"/> unless
    /// default); a request that names them gets a 304.
    /// </summary>
    public static void Send(HttpConnection connection, scoped in RouteRequest request, string contentType, byte[] body,
        string cacheHeaders, DateTime lastModified = default)
    {
        Span<byte> tag = stackalloc byte[EntityTag.MaxLength];
        tag = tag[..EntityTag.OfContent(body, tag)];
        if (ConditionalRequest.IsNotModified(request, tag, lastModified))
        {
            ConditionalRequest.SendNotModified(connection, cacheHeaders, tag, lastModified, request.KeepAlive);
            return;
        }
        Send(connection, contentType, body, cacheHeaders, tag, lastModified, request.HeadOnly, request.KeepAlive, request.Range);
    }

    private static void Send(HttpConnection connection, string contentType, byte[] body, string cacheHeaders,
        scoped ReadOnlySpan<byte> tag, DateTime lastModified, bool headOnly, bool keepAlive, ByteRange range)
    {
        var kind = range.Resolve(body.Length, out long start, out long end);
        var head = connection.BeginHead(kind switch { RangeKind.Partial => 206, RangeKind.Unsatisfiable => 416, _ => 200 });
        head.Header("Content-Type", contentType);
        head.Append(cacheHeaders);
        if (!tag.IsEmpty) ConditionalRequest.AppendValidators(ref head, tag, lastModified);
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
