namespace Fmp4Streamer.Mp4.Hls;

/// <summary>
/// The durations a media playlist prints, in units of 10 µs (its five decimals), chosen so that the times a player
/// adds up from them stay with the media's own decode times:
/// <list type="bullet">
/// <item>each EXTINF is the difference of the segment's rounded end and start, so rounding never accumulates over
/// the window: every segment starts within 5 µs of its decode time;</item>
/// <item>inside a segment, every part after the first starts 10 to 20 µs after its decode time, never before.</item>
/// </list>
/// The second matters to a player that derives a timestamp offset from every part and resets its media parser when
/// that offset moves by a millisecond or more (Shaka Player in segments mode, which also skews a negative offset by
/// exactly that millisecond): parts that started a little early would move it down past the limit and reset the
/// parser in the middle of a GOP, which drops every frame up to the next key frame. Starting a little late keeps the
/// offset within the segment just above its value at the key frame, where a reset costs nothing.
/// </summary>
public static class PlaylistDurations
{
    public const ulong UnitsPerSecond = 100_000;

    /// <summary>Units of 10 µs nearest to <paramref name="ticks"/>.</summary>
    public static long ToUnits(ulong ticks, uint timescale) =>
        (long)(((UInt128)ticks * UnitsPerSecond + timescale / 2) / timescale);

    /// <summary>The EXTINF of a segment spanning these decode times.</summary>
    public static long SegmentUnits(ulong startTicks, ulong endTicks, uint timescale) =>
        ToUnits(endTicks, timescale) - ToUnits(startTicks, timescale);

    /// <summary>How many units a part after a segment's first is printed to start after its decode time, at most.</summary>
    public const long PartStartBiasUnits = 2;

    /// <summary>Where a part starting <paramref name="ticksIntoSegment"/> after its segment's start is printed to start.</summary>
    public static long PartStartUnits(ulong ticksIntoSegment, uint timescale) =>
        ticksIntoSegment == 0 ? 0 : (long)((UInt128)ticksIntoSegment * UnitsPerSecond / timescale) + PartStartBiasUnits;

    /// <summary>
    /// PART-TARGET as printed: the configured target and the bias, which a part as long as the target (15 frames at
    /// 60 fps for 0.25 s) gains as the first of its segment. Every printed part duration stays within it (RFC 8216bis
    /// 4.4.4.9).
    /// </summary>
    public static long PartTargetUnits(ulong partTargetTicks, uint timescale) =>
        ToUnits(partTargetTicks, timescale) + PartStartBiasUnits;
}
