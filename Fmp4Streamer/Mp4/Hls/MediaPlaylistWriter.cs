namespace Fmp4Streamer.Mp4.Hls;

/// <summary>
/// Writes a live media playlist (RFC 8216bis) for fMP4 segments into a <see cref="PlaylistText"/>, tag by tag, so a
/// rebuild allocates nothing: no EXT-X-ENDLIST, so players keep reloading it. Pure: the segmenter decides what is in
/// the window and the target duration, and calls these in playlist order.
/// </summary>
public static class MediaPlaylistWriter
{
    public const string SegmentPrefix = "seg";
    public const string SegmentSuffix = ".m4s";

    /// <summary>Decimals of every duration printed (EXTINF, parts, part target, hold back).</summary>
    private const int Decimals = 5;
    private const ulong DecimalScale = 100_000;

    /// <summary>
    /// The smallest EXT-X-TARGETDURATION a segment of <paramref name="ticks"/> allows: its duration rounded to the
    /// nearest second (RFC 8216bis 4.4.3.1), at least 1.
    /// </summary>
    public static int TargetDurationFor(ulong ticks, uint timescale) =>
        (int)Math.Max(1, (ticks + timescale / 2) / timescale);

    /// <summary>URI of an init segment generation (a new one follows each change of SPS/PPS): init.mp4, init1.mp4, …</summary>
    public static string InitUri(int generation) => generation == 0 ? "init.mp4" : "init" + generation + ".mp4";

    /// <summary>Name of part <paramref name="index"/> of segment <paramref name="sequence"/>.</summary>
    public static string PartUri(long sequence, int index) => SegmentPrefix + sequence + "." + index + SegmentSuffix;

    /// <summary>
    /// Starts the playlist: everything before the first segment. With <paramref name="partTargetTicks"/> &gt; 0 a
    /// Low-Latency HLS playlist (blocking reload, parts, preload hint).
    /// </summary>
    /// <param name="targetDuration">Whole seconds, at least <see cref="TargetDurationFor"/> of every segment.</param>
    /// <param name="discontinuitySequence">Discontinuities that have left the window (EXT-X-DISCONTINUITY-SEQUENCE).</param>
    public static void WriteHeader(PlaylistText text, uint timescale, int targetDuration, long mediaSequence,
        long discontinuitySequence, ulong partTargetTicks)
    {
        if (timescale == 0) throw new ArgumentOutOfRangeException(nameof(timescale));
        text.Clear();
        text.Append("#EXTM3U\n"u8);
        // Version 7: EXT-X-MAP in a playlist without I-frames-only needs 6+; 7 is what fMP4 segmenters announce.
        text.Append("#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:"u8);
        text.Append(targetDuration);
        text.Append((byte)'\n');
        if (partTargetTicks > 0)
        {
            // PART-HOLD-BACK: three times the part target as printed (4.4.3.8 asks for at least twice; three is
            // Apple's advice), computed from the printed digits so the ratio holds exactly for a reader.
            ulong printedTarget = (ulong)PlaylistDurations.PartTargetUnits(partTargetTicks, timescale);
            text.Append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK="u8);
            text.AppendDecimal(3 * printedTarget, DecimalScale, Decimals);
            text.Append("\n#EXT-X-PART-INF:PART-TARGET="u8);
            text.AppendDecimal(printedTarget, DecimalScale, Decimals);
            text.Append((byte)'\n');
        }
        text.Append("#EXT-X-MEDIA-SEQUENCE:"u8);
        text.Append(mediaSequence);
        text.Append((byte)'\n');
        if (discontinuitySequence > 0)
        {
            text.Append("#EXT-X-DISCONTINUITY-SEQUENCE:"u8);
            text.Append(discontinuitySequence);
            text.Append((byte)'\n');
        }
        // Every segment starts with an IDR and carries no dependency on the one before.
        text.Append("#EXT-X-INDEPENDENT-SEGMENTS\n"u8);
    }

    /// <summary>
    /// The tags that precede a segment (or the open one) and its parts: a discontinuity (never before the first
    /// listed segment: EXT-X-DISCONTINUITY-SEQUENCE counts those), its init segment when it changes, its wall-clock
    /// time.
    /// </summary>
    /// <param name="map">The init generation of the last EXT-X-MAP written, -1 before the first; updated.</param>
    public static void WriteSegmentTags(PlaylistText text, bool first, bool discontinuity, int initGeneration, ref int map,
        DateTime? programDateTime)
    {
        if (!first && discontinuity) text.Append("#EXT-X-DISCONTINUITY\n"u8);
        if (initGeneration != map)
        {
            map = initGeneration;
            text.Append("#EXT-X-MAP:URI=\"init"u8);
            if (initGeneration != 0) text.Append(initGeneration);
            text.Append(".mp4\"\n"u8);
        }
        // Wall-clock time of every segment: players align renditions and measure latency with it.
        if (programDateTime is { } pdt)
        {
            text.Append("#EXT-X-PROGRAM-DATE-TIME:"u8);
            text.AppendDateTime(pdt);
            text.Append((byte)'\n');
        }
    }

    /// <summary>EXT-X-PART for part <paramref name="index"/> of segment <paramref name="sequence"/>.</summary>
    /// <param name="units">Its duration in units of 10 µs (<see cref="PlaylistDurations"/>).</param>
    /// <param name="independent">It starts with a key frame (INDEPENDENT=YES).</param>
    public static void WritePart(PlaylistText text, long sequence, int index, long units, bool independent)
    {
        text.Append("#EXT-X-PART:DURATION="u8);
        text.AppendUnits(units);
        text.Append(",URI=\""u8);
        AppendPartName(text, sequence, index);
        text.Append((byte)'"');
        if (independent) text.Append(",INDEPENDENT=YES"u8);
        text.Append((byte)'\n');
    }

    /// <summary>EXTINF and the URI of a complete segment.</summary>
    /// <param name="units">Its duration in units of 10 µs (<see cref="PlaylistDurations"/>).</param>
    public static void WriteSegment(PlaylistText text, long sequence, long units)
    {
        text.Append("#EXTINF:"u8);
        text.AppendUnits(units);
        text.Append(",\nseg"u8);
        text.Append(sequence);
        text.Append(".m4s\n"u8);
    }

    /// <summary>
    /// The EXT-X-PART tags of a segment's parts, durations from <see cref="PlaylistDurations"/>.
    /// </summary>
    /// <param name="parts">The segment's parts, durations in the track timescale.</param>
    /// <param name="segmentUnits">The complete segment's EXTINF units, where its last part ends; -1 while it is open.</param>
    public static void WriteParts(PlaylistText text, uint timescale, long sequence, ReadOnlySpan<PlaylistPart> parts, long segmentUnits)
    {
        ulong offset = 0;
        long start = 0;
        for (int p = 0; p < parts.Length; p++)
        {
            offset += parts[p].DurationTicks;
            long end = p == parts.Length - 1 && segmentUnits >= 0 ? segmentUnits : PlaylistDurations.PartStartUnits(offset, timescale);
            WritePart(text, sequence, p, end - start, parts[p].Independent);
            start = end;
        }
    }

    /// <summary>The part a player should request next (RFC 8216bis 4.4.5.3): the open segment's next part.</summary>
    public static void WritePreloadHint(PlaylistText text, long sequence, int index)
    {
        text.Append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\""u8);
        AppendPartName(text, sequence, index);
        text.Append("\"\n"u8);
    }

    private static void AppendPartName(PlaylistText text, long sequence, int index)
    {
        text.Append("seg"u8);
        text.Append(sequence);
        text.Append((byte)'.');
        text.Append(index);
        text.Append(".m4s"u8);
    }

    /// <summary>The whole playlist as a string, from value lists (tests, tools; the segmenter writes tag by tag).</summary>
    public static string Write(uint timescale, int targetDuration, long discontinuitySequence, ReadOnlySpan<PlaylistSegment> segments,
        LowLatencyInfo? lowLatency = null)
    {
        if (segments.IsEmpty) throw new ArgumentException("a live playlist needs at least one segment", nameof(segments));
        var text = new PlaylistText();
        WriteHeader(text, timescale, targetDuration, segments[0].Sequence, discontinuitySequence, lowLatency?.PartTargetTicks ?? 0);
        int map = -1;
        ulong position = 0;
        for (int i = 0; i < segments.Length; i++)
        {
            var s = segments[i];
            long units = PlaylistDurations.SegmentUnits(position, position + s.DurationTicks, timescale);
            position += s.DurationTicks;
            WriteSegmentTags(text, i == 0, s.Discontinuity, s.InitGeneration, ref map, s.ProgramDateTime);
            if (lowLatency?.SegmentParts[i] is { } parts) WriteParts(text, timescale, s.Sequence, parts, units);
            WriteSegment(text, s.Sequence, units);
        }
        if (lowLatency is not null)
        {
            WriteSegmentTags(text, false, lowLatency.OpenDiscontinuity, lowLatency.OpenInitGeneration, ref map, null);
            WriteParts(text, timescale, lowLatency.OpenSequence, lowLatency.OpenParts, -1);
            WritePreloadHint(text, lowLatency.OpenSequence, lowLatency.OpenParts.Length);
        }
        return text.ToString();
    }
}
