namespace Fmp4Streamer.Mp4.Hls;

/// <summary>
/// What a Low-Latency HLS media playlist adds (RFC 8216bis 4.4.3.7–4.4.5.3): the part target, the parts of the
/// newest complete segments, the parts of the segment still being written, and the part to preload next.
/// </summary>
/// <param name="PartTargetTicks">EXT-X-PART-INF:PART-TARGET in the timescale; every part is at most this long.</param>
/// <param name="SegmentParts">Parts of each listed segment (same order); null entries list no parts.</param>
/// <param name="OpenSequence">Media sequence number of the segment being written.</param>
/// <param name="OpenParts">Its completed parts.</param>
/// <param name="OpenInitGeneration">Its init segment (it may follow a discontinuity).</param>
public sealed record LowLatencyInfo(ulong PartTargetTicks, PlaylistPart[]?[] SegmentParts, long OpenSequence,
    PlaylistPart[] OpenParts, int OpenInitGeneration, bool OpenDiscontinuity = false);
