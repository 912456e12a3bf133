namespace Fmp4Streamer.Http;

/// <summary>What a request path names.</summary>
public enum Resource
{
    NotFound,
    Page,
    /// <summary>"/" with several cameras: one tile per camera.</summary>
    Tiles,
    Stream,
    Manifest,
    Logo,
    AppleTouchIcon,
    Favicon,
    /// <summary>/icon-192.png: the manifest's home-screen icon.</summary>
    HomeScreenIcon,
    /// <summary>/icon-512.png: the manifest's splash-screen icon.</summary>
    SplashIcon,
    /// <summary>/stream.m3u8: the HLS master playlist.</summary>
    MasterPlaylist,
    /// <summary>/streaminf.m3u8 (the reference's name): the live media playlist.</summary>
    MediaPlaylist,
    /// <summary>/init.mp4 or /init&lt;G&gt;.mp4: an HLS init segment (the number is the generation).</summary>
    HlsInit,
    /// <summary>/seg&lt;N&gt;.m4s: an HLS media segment (the number is its media sequence number).</summary>
    HlsSegment,
    /// <summary>/seg&lt;N&gt;.&lt;P&gt;.m4s: a Low-Latency HLS part of a segment.</summary>
    HlsPart,
    /// <summary>"/name" of a camera without the trailing slash: redirect so relative links resolve under it.</summary>
    AddSlash,
}
