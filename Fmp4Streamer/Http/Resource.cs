namespace Fmp4Streamer.Http;

/// <summary>What a request path names.</summary>
public enum Resource
{
    NotFound,
    Page,
    Stream,
    Manifest,
    Logo,
    AppleTouchIcon,
    Favicon,
    /// <summary>/stream.m3u8 and /streaminf.m3u8: HLS is not served yet (404).</summary>
    Playlist,
    /// <summary>"/name" of a camera without the trailing slash: redirect so relative links resolve under it.</summary>
    AddSlash,
}
