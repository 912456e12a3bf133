using System.Globalization;
using System.Text;

namespace Fmp4Streamer.Mp4.Hls;

/// <summary>
/// Writes a live media playlist (RFC 8216bis) for fMP4 segments: no EXT-X-ENDLIST, so players keep reloading it.
/// Pure: the segmenter decides what is in the window and the target duration.
/// </summary>
public static class MediaPlaylistWriter
{
    public const string SegmentPrefix = "seg";
    public const string SegmentSuffix = ".m4s";

    /// <summary>
    /// The smallest EXT-X-TARGETDURATION a segment of <paramref name="ticks"/> allows: its duration rounded to the
    /// nearest second (RFC 8216bis 4.4.3.1), at least 1.
    /// </summary>
    public static int TargetDurationFor(ulong ticks, uint timescale) =>
        (int)Math.Max(1, (ticks + timescale / 2) / timescale);

    /// <summary>The playlist text; <paramref name="segments"/> oldest first, at least one.</summary>
    /// <param name="targetDuration">Whole seconds, at least <see cref="TargetDurationFor"/> of every segment.</param>
    /// <param name="discontinuitySequence">Discontinuities that have left the window (EXT-X-DISCONTINUITY-SEQUENCE).</param>
    public static string Write(uint timescale, int targetDuration, long discontinuitySequence, ReadOnlySpan<PlaylistSegment> segments)
        => Write(timescale, targetDuration, discontinuitySequence, segments, null);

    /// <summary>Name of part <paramref name="index"/> of segment <paramref name="sequence"/>.</summary>
    public static string PartUri(long sequence, int index) =>
        SegmentPrefix + sequence.ToString(CultureInfo.InvariantCulture) + "." + index.ToString(CultureInfo.InvariantCulture) + SegmentSuffix;

    /// <param name="lowLatency">With it, a Low-Latency HLS playlist: blocking reload, parts and a preload hint.</param>
    public static string Write(uint timescale, int targetDuration, long discontinuitySequence, ReadOnlySpan<PlaylistSegment> segments,
        LowLatencyInfo? lowLatency)
    {
        if (segments.IsEmpty) throw new ArgumentException("a live playlist needs at least one segment", nameof(segments));
        if (timescale == 0) throw new ArgumentOutOfRangeException(nameof(timescale));
        var text = new StringBuilder(128 + 48 * segments.Length);
        var inv = CultureInfo.InvariantCulture;
        text.Append("#EXTM3U\n");
        // Version 7: EXT-X-MAP in a playlist without I-frames-only needs 6+; 7 is what fMP4 segmenters announce.
        text.Append("#EXT-X-VERSION:7\n");
        text.Append("#EXT-X-TARGETDURATION:").Append(targetDuration.ToString(inv)).Append('\n');
        if (lowLatency is not null)
        {
            double partTarget = (double)lowLatency.PartTargetTicks / timescale;
            // PART-HOLD-BACK at least twice the part target (4.4.3.8); three times as Apple recommends.
            text.Append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=").Append((3 * partTarget).ToString("0.00000", inv)).Append('\n');
            text.Append("#EXT-X-PART-INF:PART-TARGET=").Append(partTarget.ToString("0.00000", inv)).Append('\n');
        }
        text.Append("#EXT-X-MEDIA-SEQUENCE:").Append(segments[0].Sequence.ToString(inv)).Append('\n');
        if (discontinuitySequence > 0)
            text.Append("#EXT-X-DISCONTINUITY-SEQUENCE:").Append(discontinuitySequence.ToString(inv)).Append('\n');
        // Every segment starts with an IDR and carries no dependency on the one before.
        text.Append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        string? map = null;
        for (int i = 0; i < segments.Length; i++)
        {
            var s = segments[i];
            if (i > 0 && s.Discontinuity) text.Append("#EXT-X-DISCONTINUITY\n");
            if (!string.Equals(map, s.MapUri, StringComparison.Ordinal))
            {
                map = s.MapUri;
                text.Append("#EXT-X-MAP:URI=\"").Append(map).Append("\"\n");
            }
            // Wall-clock time of every segment: players align renditions and measure latency with it.
            if (s.ProgramDateTime is { } pdt)
                text.Append("#EXT-X-PROGRAM-DATE-TIME:").Append(pdt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", inv)).Append('\n');
            if (lowLatency?.SegmentParts[i] is { } parts) AppendParts(text, timescale, s.Sequence, parts);
            double seconds = (double)s.DurationTicks / timescale;
            text.Append("#EXTINF:").Append(seconds.ToString("0.00000", inv)).Append(",\n");
            text.Append(SegmentPrefix).Append(s.Sequence.ToString(inv)).Append(SegmentSuffix).Append('\n');
        }
        if (lowLatency is not null)
        {
            if (lowLatency.OpenDiscontinuity) text.Append("#EXT-X-DISCONTINUITY\n");
            if (!string.Equals(map, lowLatency.OpenMapUri, StringComparison.Ordinal))
                text.Append("#EXT-X-MAP:URI=\"").Append(lowLatency.OpenMapUri).Append("\"\n");
            AppendParts(text, timescale, lowLatency.OpenSequence, lowLatency.OpenParts);
            text.Append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"")
                .Append(PartUri(lowLatency.OpenSequence, lowLatency.OpenParts.Length)).Append("\"\n");
        }
        return text.ToString();
    }

    private static void AppendParts(StringBuilder text, uint timescale, long sequence, PlaylistPart[] parts)
    {
        var inv = CultureInfo.InvariantCulture;
        for (int p = 0; p < parts.Length; p++)
        {
            text.Append("#EXT-X-PART:DURATION=").Append(((double)parts[p].DurationTicks / timescale).ToString("0.00000", inv))
                .Append(",URI=\"").Append(PartUri(sequence, p)).Append('"');
            if (parts[p].Independent) text.Append(",INDEPENDENT=YES");
            text.Append('\n');
        }
    }
}
