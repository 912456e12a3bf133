namespace Fmp4Streamer.Mp4.Hls;

/// <summary>One Low-Latency HLS partial segment (EXT-X-PART), named seg&lt;N&gt;.&lt;index&gt;.m4s.</summary>
/// <param name="Independent">Starts with a key frame (INDEPENDENT=YES).</param>
public readonly record struct PlaylistPart(ulong DurationTicks, bool Independent);
