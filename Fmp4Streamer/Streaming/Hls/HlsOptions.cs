using Fmp4Streamer.Config;

namespace Fmp4Streamer.Streaming.Hls;

/// <summary>How the HLS segmenter of each stream cuts and keeps segments (configurable ones default to the key table).</summary>
public sealed record HlsOptions
{
    /// <summary>A segment ends at the first key frame after this much media (longer when key frames are rarer).</summary>
    public TimeSpan MinSegmentDuration { get; init; } = ConfigDefaults.Server.HlsSegmentDuration;

    /// <summary>Segments listed in the live playlist; older ones are released and answer 404.</summary>
    public int WindowSegments { get; init; } = ConfigDefaults.Server.HlsWindow;

    /// <summary>With no key frame for this long the open segment is dropped and a key frame requested.</summary>
    public TimeSpan MaxSegmentDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The segmenter stops (and lets the camera sleep) when no HLS request came for this long.</summary>
    public TimeSpan ClientIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Complete segments a waking stream has before the first playlist answer: three target durations, the least a
    /// live playlist may hold (RFC 8216bis 6.2.2); Shaka Player 5.2 fails to load a playlist of one segment.
    /// </summary>
    public int StartSegments { get; init; } = 3;

    /// <summary>A playlist request made while no segment exists yet waits this long, then gets a 503.</summary>
    public TimeSpan FirstSegmentTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Low-Latency HLS part length: parts end before they would pass this (or 1.25 frames, if longer); zero turns
    /// parts, blocking playlist reload and preload hints off.
    /// </summary>
    public TimeSpan PartTarget { get; init; } = ConfigDefaults.Server.HlsPartDuration;
}
