using Fmp4Streamer.Config;

namespace Fmp4Streamer.Pictures;

/// <summary>How one stream's pictures are made; built from the configuration, whose key table gives the defaults.</summary>
public sealed record PictureOptions
{
    public int Quality { get; init; } = ConfigDefaults.Source.SnapshotQuality;

    /// <summary>Largest picture width (scaled down, aspect kept); 0 keeps the stream's width.</summary>
    public int MaxWidth { get; init; }

    /// <summary>Most MJPEG frames a second.</summary>
    public int MjpegFps { get; init; } = ConfigDefaults.Source.MjpegFps;

    /// <summary>Clockwise rotation applied to the pixels: 0, 90, 180 or 270.</summary>
    public int Rotation { get; init; }

    /// <summary>A snapshot that cannot be made within this long is answered 503 (µs).</summary>
    public long SnapshotTimeoutUs { get; init; } = 5_000_000;

    /// <summary>
    /// Requests closer together than this share one picture (µs): pollers of the same camera, a page's images and
    /// Mainsail's adaptive MJPEG cost one decode and one encode between them.
    /// </summary>
    public long ShareWindowUs { get; init; } = 100_000;

    /// <summary>How long the access units since the last key frame are kept after the last request (µs).</summary>
    public long KeepUs { get; init; } = 30_000_000;
}
