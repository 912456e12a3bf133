namespace Fmp4Streamer.Http;

/// <summary>
/// A parsed request head as offsets into the buffer it was parsed from (no strings). The path is the
/// origin-form path even for an absolute-form target ("http://host/x?y" gives path "/x", query "y").
/// </summary>
public struct HttpRequest
{
    public RequestMethod Method;
    /// <summary>1 for HTTP/1.1, 0 for HTTP/1.0.</summary>
    public int MinorVersion;
    public int TargetStart, TargetLength;
    public int PathStart, PathLength;
    /// <summary>Query after '?', without it; -1 when the target has no '?'.</summary>
    public int QueryStart, QueryLength;
    public int HeaderCount;
    /// <summary>Bytes of the head including the empty line that ends it.</summary>
    public int HeadLength;
    /// <summary>HTTP/1.1 without "Connection: close"; HTTP/1.0 always closes here.</summary>
    public bool KeepAlive;
    /// <summary>The Range header's value (empty: none).</summary>
    public HeaderValue Range;
    /// <summary>If-None-Match and If-Modified-Since of a conditional request (empty: none).</summary>
    public HeaderValue IfNoneMatch, IfModifiedSince;
    /// <summary>Access-Control-Request-Headers of a CORS preflight (empty: none).</summary>
    public HeaderValue RequestedHeaders;
    /// <summary>Authorization, Cookie, Origin and Host (empty: none); X-Forwarded-For seen (a proxy in front).</summary>
    public HeaderValue Authorization, Cookie, Origin, Host;
    public bool Forwarded;

    /// <summary>A header value as offset and length in the request buffer.</summary>
    public readonly record struct HeaderValue(int Start, int Length)
    {
        public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> buffer) => buffer.Slice(Start, Length);
    }

    public readonly ReadOnlySpan<byte> Target(ReadOnlySpan<byte> buffer) => buffer.Slice(TargetStart, TargetLength);
    public readonly ReadOnlySpan<byte> Path(ReadOnlySpan<byte> buffer) => buffer.Slice(PathStart, PathLength);
    public readonly ReadOnlySpan<byte> Query(ReadOnlySpan<byte> buffer) =>
        QueryStart < 0 ? default : buffer.Slice(QueryStart, QueryLength);
}
