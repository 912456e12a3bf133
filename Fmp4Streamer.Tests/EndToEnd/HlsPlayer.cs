namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>Which JavaScript player plays a playlist URL in a bare page of play.js (none: the URL is a page).</summary>
public enum HlsPlayer
{
    None,
    HlsJs,
    /// <summary>Shaka Player (npm shaka-player).</summary>
    Shaka,
    /// <summary>video.js with its own HLS engine (VHS) through MSE, not the browser's.</summary>
    VideoJs,
}
