namespace Fmp4Streamer.Mp4.Hls;

/// <summary>One media segment as a media playlist lists it.</summary>
/// <param name="Sequence">Media sequence number; also names the segment (seg&lt;N&gt;.m4s).</param>
/// <param name="DurationTicks">Sum of the fragments' durations in the track timescale.</param>
/// <param name="InitGeneration">The init segment these fragments decode with (EXT-X-MAP: init.mp4, init1.mp4, …).</param>
/// <param name="Discontinuity">The segment follows a break in the timeline or new parameter sets (EXT-X-DISCONTINUITY).</param>
/// <param name="ProgramDateTime">Wall-clock time of its first frame (EXT-X-PROGRAM-DATE-TIME), if known.</param>
public readonly record struct PlaylistSegment(long Sequence, ulong DurationTicks, int InitGeneration, bool Discontinuity = false,
    DateTime? ProgramDateTime = null);
