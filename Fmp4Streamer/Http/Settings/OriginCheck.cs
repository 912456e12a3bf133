namespace Fmp4Streamer.Http.Settings;

/// <summary>
/// Refuses cross-site changes: a browser names the page that sent a POST in Origin (RFC 6454 section 7), so a page on
/// another site cannot change the camera through a visitor's browser. Requests without Origin come from tools, not
/// from pages, and pass; so does the one origin cors_origin names.
/// </summary>
public static class OriginCheck
{
    public static bool Allows(ReadOnlySpan<byte> origin, ReadOnlySpan<byte> host, string corsOrigin)
    {
        if (origin.IsEmpty) return true;
        if (corsOrigin.Length > 0 && corsOrigin != "*" && System.Text.Ascii.Equals(origin, corsOrigin)) return true;
        // "null" (a sandboxed frame, a file: page) is never the camera's own page.
        int scheme = origin.IndexOf("://"u8);
        if (scheme <= 0 || host.IsEmpty) return false;
        var authority = origin[(scheme + 3)..];
        if (authority.IndexOf((byte)'/') >= 0) return false;
        return System.Text.Ascii.EqualsIgnoreCase(authority, host);
    }
}
