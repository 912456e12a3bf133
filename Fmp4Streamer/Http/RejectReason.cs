namespace Fmp4Streamer.Http;

/// <summary>Why a request was refused; each maps to one status code (<see cref="RejectReasonExtensions.StatusCode"/>).</summary>
public enum RejectReason
{
    None,
    /// <summary>Request line is not "method SP target SP version" (400).</summary>
    MalformedRequestLine,
    /// <summary>A header line is not "name: value", has a bad character, or is an obs-fold continuation (400).</summary>
    MalformedHeader,
    /// <summary>HTTP/1.1 without exactly one Host header (RFC 9112 3.2: 400).</summary>
    MissingHost,
    /// <summary>A body (Content-Length &gt; 0 or Transfer-Encoding) on GET/HEAD would desynchronise pipelining (400).</summary>
    UnexpectedBody,
    /// <summary>Anything but GET, HEAD, OPTIONS and POST (405).</summary>
    MethodNotAllowed,
    /// <summary>Request line longer than the header limit (414).</summary>
    UriTooLong,
    /// <summary>Request line and headers together longer than the header limit (431).</summary>
    HeadersTooLarge,
    /// <summary>A POST with Transfer-Encoding or a Content-Length that is not one number (411).</summary>
    LengthRequired,
    /// <summary>A POST body longer than <see cref="RequestParser.MaxBodyBytes"/> (413).</summary>
    PayloadTooLarge,
    /// <summary>HTTP/x.y other than 1.0 and 1.1 (505).</summary>
    VersionNotSupported,
}
