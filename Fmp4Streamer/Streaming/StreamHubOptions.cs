namespace Fmp4Streamer.Streaming;

/// <summary>How one camera's hub behaves; built by Program from the configuration.</summary>
public sealed record StreamHubOptions
{
    /// <summary>URL-safe stream name ("video0").</summary>
    public required string Name { get; init; }

    /// <summary>Size from the configuration, shown on pages before the first SPS arrives.</summary>
    public int ConfiguredWidth { get; init; } = 640;
    public int ConfiguredHeight { get; init; } = 480;

    /// <summary>Clockwise rotation written into the tkhd matrix: 0, 90, 180 or 270.</summary>
    public int Rotation { get; init; }

    /// <summary>Stop the source while nobody watches.</summary>
    public bool AutoSleep { get; init; } = true;

    /// <summary>How long the source keeps running after the last subscriber left (µs).</summary>
    public long SleepGraceUs { get; init; } = 5_000_000;

    /// <summary>A subscriber still waiting for a key frame after this long triggers another request (µs).</summary>
    public long KeyFrameRetryUs { get; init; } = 1_000_000;
}
