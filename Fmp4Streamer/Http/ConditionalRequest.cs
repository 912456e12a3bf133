using System.Buffers.Text;

namespace Fmp4Streamer.Http;

/// <summary>
/// Conditional GET and HEAD (RFC 9110 13.2.2): a client or cache that already holds an answer names it by its entity
/// tag (If-None-Match) or date (If-Modified-Since) and gets a bodiless 304 when it is still current.
/// </summary>
internal static class ConditionalRequest
{
    /// <summary>
    /// Whether the request's copy is current. If-None-Match decides when present; If-Modified-Since counts only
    /// without it and for an answer with a modification time (<paramref name="lastModified"/>, default: none).
    /// A date in another format than IMF-fixdate is ignored: the full answer is always correct.
    /// </summary>
    public static bool IsNotModified(scoped in RouteRequest r, ReadOnlySpan<byte> tag, DateTime lastModified)
    {
        if (!r.IfNoneMatch.IsEmpty) return EntityTag.Matches(r.IfNoneMatch, tag);
        if (lastModified == default || r.IfModifiedSince.IsEmpty) return false;
        if (!Utf8Parser.TryParse(r.IfModifiedSince, out DateTime since, out int used, 'R') || used != r.IfModifiedSince.Length)
            return false;
        return Seconds(lastModified) <= since.Ticks / TimeSpan.TicksPerSecond;
    }

    /// <summary>The 304: the same cache headers and validators as the full answer would carry (RFC 9110 15.4.5), no body.</summary>
    public static void SendNotModified(HttpConnection connection, string cacheHeaders, scoped ReadOnlySpan<byte> tag, DateTime lastModified, bool keepAlive)
    {
        connection.Server.Stats.NotModified.Increment();
        var head = connection.BeginHead(304);
        head.Append(cacheHeaders);
        AppendValidators(ref head, tag, lastModified);
        connection.QueueHead(ref head, keepAlive);
        connection.BeginResponse();
    }

    public static void AppendValidators(ref ResponseHead head, scoped ReadOnlySpan<byte> tag, DateTime lastModified)
    {
        head.Append("ETag: ");
        head.Append(tag);
        head.Append("\r\n");
        if (lastModified == default) return;
        head.Append("Last-Modified: ");
        Span<char> date = stackalloc char[32];
        new DateTime(Seconds(lastModified) * TimeSpan.TicksPerSecond, DateTimeKind.Utc).TryFormat(date, out int n, "r");
        head.Append(date[..n]);
        head.Append("\r\n");
    }

    /// <summary>HTTP dates have whole seconds.</summary>
    private static long Seconds(DateTime utc) => utc.Ticks / TimeSpan.TicksPerSecond;
}
