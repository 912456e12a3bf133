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
    {
        if (segments.IsEmpty) throw new ArgumentException("a live playlist needs at least one segment", nameof(segments));
        if (timescale == 0) throw new ArgumentOutOfRangeException(nameof(timescale));
        var text = new StringBuilder(128 + 48 * segments.Length);
        var inv = CultureInfo.InvariantCulture;
        text.Append("#EXTM3U\n");
        // Version 7: EXT-X-MAP in a playlist without I-frames-only needs 6+; 7 is what fMP4 segmenters announce.
        text.Append("#EXT-X-VERSION:7\n");
        text.Append("#EXT-X-TARGETDURATION:").Append(targetDuration.ToString(inv)).Append('\n');
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
            double seconds = (double)s.DurationTicks / timescale;
            text.Append("#EXTINF:").Append(seconds.ToString("0.00000", inv)).Append(",\n");
            text.Append(SegmentPrefix).Append(s.Sequence.ToString(inv)).Append(SegmentSuffix).Append('\n');
        }
        return text.ToString();
    }
}
