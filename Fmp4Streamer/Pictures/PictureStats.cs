using Fmp4Streamer.Diagnostics.Metrics;

namespace Fmp4Streamer.Pictures;

/// <summary>What one stream's pictures cost and served, for /metrics and the shutdown line.</summary>
public sealed class PictureStats
{
    public Counter Encodes { get; } = new();
    public Counter Passthrough { get; } = new();
    public Counter SnapshotRequests { get; } = new();

    /// <summary>Snapshot requests answered with a picture made for another request (no decode or encode of their own).</summary>
    public Counter SharedAnswers { get; } = new();

    public Counter SnapshotTimeouts { get; } = new();
    public Counter MjpegPartsSent { get; } = new();
    public Counter BrokenCameraFrames { get; } = new();
    public Histogram EncodeTime { get; } = new(Histogram.LatencyBoundsUs);

    public void Register(MetricsRegistry registry, string stream, Func<long> decodes, Func<long> mjpegClients)
    {
        string labels = MetricsRegistry.Labels(("stream", stream));
        registry.Add("fmp4streamer_picture_encodes", "JPEG pictures encoded (snapshots and MJPEG frames), once for all of their clients.", MetricType.Counter, labels, Encodes);
        registry.Add("fmp4streamer_picture_decodes", "Access units decoded for pictures.", MetricType.Counter, labels, decodes);
        registry.Add("fmp4streamer_picture_passthrough", "Camera JPEG frames passed on without decoding or encoding.", MetricType.Counter, labels, Passthrough);
        registry.Add("fmp4streamer_snapshot_requests", "Snapshot requests.", MetricType.Counter, labels, SnapshotRequests);
        registry.Add("fmp4streamer_snapshot_shared_answers", "Snapshot requests answered with a picture made for another request.", MetricType.Counter, labels, SharedAnswers);
        registry.Add("fmp4streamer_snapshot_timeouts", "Snapshot requests answered 503: no picture in time.", MetricType.Counter, labels, SnapshotTimeouts);
        registry.Add("fmp4streamer_mjpeg_clients", "Clients of the MJPEG stream.", MetricType.Gauge, labels, mjpegClients);
        registry.Add("fmp4streamer_mjpeg_parts_sent", "JPEG parts queued to MJPEG clients.", MetricType.Counter, labels, MjpegPartsSent);
        registry.Add("fmp4streamer_camera_frames_broken", "Camera JPEG frames refused as incomplete.", MetricType.Counter, labels, BrokenCameraFrames);
        registry.Add("fmp4streamer_picture_encode_seconds", "Time to rotate, scale and encode one JPEG (on the picture thread).", MetricType.Histogram, labels, EncodeTime);
    }
}
