using Fmp4Streamer.Diagnostics.Metrics;

namespace Fmp4Streamer.Streaming;

/// <summary>
/// What one stream's hub counts, frame by frame, in place: exposed at /metrics (labelled with the stream's name) and
/// summed up in the shutdown log.
/// </summary>
public sealed class StreamStats
{
    /// <summary>Access units with a picture that the source delivered.</summary>
    public Counter FramesCaptured { get; } = new();

    /// <summary>Frames built into a fragment (once for all of the stream's clients).</summary>
    public Counter FramesMuxed { get; } = new();

    /// <summary>Frames nobody could use (no subscriber, or only ones waiting for a key frame): not copied.</summary>
    public Counter FramesSkipped { get; } = new();

    /// <summary>Bytes of the fragments built.</summary>
    public Counter BytesMuxed { get; } = new();

    public Counter KeyFrameRequests { get; } = new();

    /// <summary>Starts of the source (the first, and each wake-up from auto-sleep).</summary>
    public Counter SourceStarts { get; } = new();

    /// <summary>Interruptions the source reported (device gone or silent, command exited): each one is a restart.</summary>
    public Counter SourceRestarts { get; } = new();

    /// <summary>From a frame's arrival to the moment its last client's kernel took its last byte.</summary>
    public Histogram FanOutDelay { get; } = new(Histogram.LatencyBoundsUs);

    public void Register(MetricsRegistry registry, string stream)
    {
        string labels = MetricsRegistry.Labels(("stream", stream));
        registry.Add("fmp4streamer_frames_captured", "Frames with a picture delivered by the source.", MetricType.Counter, labels, FramesCaptured);
        registry.Add("fmp4streamer_frames_muxed", "Frames built into an fMP4 fragment (once for all clients).", MetricType.Counter, labels, FramesMuxed);
        registry.Add("fmp4streamer_frames_skipped", "Frames no client could use (nobody watching or everyone waiting for a key frame).", MetricType.Counter, labels, FramesSkipped);
        registry.Add("fmp4streamer_muxed_bytes", "Bytes of the fragments built.", MetricType.Counter, labels, BytesMuxed);
        registry.Add("fmp4streamer_key_frame_requests", "Key frames asked of the source.", MetricType.Counter, labels, KeyFrameRequests);
        registry.Add("fmp4streamer_source_starts", "Starts of the source, including wake-ups from auto-sleep.", MetricType.Counter, labels, SourceStarts);
        registry.Add("fmp4streamer_source_restarts", "Interruptions of the source (device gone or silent, command exited).", MetricType.Counter, labels, SourceRestarts);
        registry.Add("fmp4streamer_fanout_delay_seconds", "From a frame's arrival to the last byte of it taken by the last client's kernel.", MetricType.Histogram, labels, FanOutDelay);
    }
}
