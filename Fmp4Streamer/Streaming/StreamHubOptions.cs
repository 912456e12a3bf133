using Fmp4Streamer.Config;
using Fmp4Streamer.Streaming.Hls;

namespace Fmp4Streamer.Streaming;

/// <summary>How one camera's hub behaves; built by Program from the configuration, whose key table gives the defaults.</summary>
public sealed record StreamHubOptions
{
    /// <summary>URL-safe stream name ("video0").</summary>
    public required string Name { get; init; }

    /// <summary>Size from the configuration, shown on pages before the first SPS arrives.</summary>
    public int ConfiguredWidth { get; init; } = ConfigDefaults.Source.Width;
    public int ConfiguredHeight { get; init; } = ConfigDefaults.Source.Height;

    /// <summary>Clockwise rotation written into the tkhd matrix: 0, 90, 180 or 270.</summary>
    public int Rotation { get; init; }

    /// <summary>Stop the source while nobody watches.</summary>
    public bool AutoSleep { get; init; } = ConfigDefaults.Source.AutoSleep;

    /// <summary>How long the source keeps running after the last subscriber left (µs).</summary>
    public long SleepGraceUs { get; init; } = ConfigDefaults.Microseconds(ConfigDefaults.Server.SleepGrace);

    /// <summary>A subscriber still waiting for a key frame after this long triggers another request (µs).</summary>
    public long KeyFrameRetryUs { get; init; } = 1_000_000;

    /// <summary>How the stream's HLS segmenter cuts and keeps segments.</summary>
    public HlsOptions Hls { get; init; } = new();
}
