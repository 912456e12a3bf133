using System.Text;

namespace Fmp4Streamer.Access;

/// <summary>
/// Whether a request that changes something comes from our own page: a browser names the page's origin in Origin
/// (RFC 6454 7) on every POST, so another site's form or script shows a foreign origin and is refused. No Origin is a
/// client that is not a browser (curl, a printer's host software), which cross-site forgery cannot drive.
/// </summary>
public static class OriginCheck
{
    /// <param name="origin">The Origin header (empty: none).</param>
    /// <param name="host">The Host header.</param>
    /// <param name="allowedOrigin">cors_origin when it names one origin (a page elsewhere that is allowed), else "".</param>
    public static bool IsSameOrigin(ReadOnlySpan<byte> origin, ReadOnlySpan<byte> host, string allowedOrigin)
    {
        if (origin.IsEmpty) return true;
        // "null": a sandboxed frame, a file: page, a redirect across sites.
        if (origin.SequenceEqual("null"u8)) return false;
        if (allowedOrigin.Length > 0 && allowedOrigin != "*" && Ascii.EqualsIgnoreCase(origin, Encoding.ASCII.GetBytes(allowedOrigin)))
            return true;
        int scheme = origin.IndexOf("://"u8);
        if (scheme <= 0 || host.IsEmpty) return false;
        var authority = origin[(scheme + 3)..];
        if (Ascii.EqualsIgnoreCase(authority, host)) return true;
        // The default port may be written on one side only.
        var schemeName = origin[..scheme];
        ReadOnlySpan<byte> defaultPort = Ascii.EqualsIgnoreCase(schemeName, "https"u8) ? ":443"u8 : ":80"u8;
        return (host.EndsWith(defaultPort) && Ascii.EqualsIgnoreCase(authority, host[..^defaultPort.Length]))
            || (authority.EndsWith(defaultPort) && Ascii.EqualsIgnoreCase(authority[..^defaultPort.Length], host));
    }
}
