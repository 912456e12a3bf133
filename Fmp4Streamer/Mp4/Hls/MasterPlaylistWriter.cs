using System.Globalization;
using System.Text;

namespace Fmp4Streamer.Mp4.Hls;

/// <summary>The multivariant ("master") playlist: one variant, the live media playlist.</summary>
public static class MasterPlaylistWriter
{
    /// <param name="bandwidth">Peak segment bit rate in bit/s (RFC 8216bis 4.4.6.2: BANDWIDTH is the peak).</param>
    /// <param name="codecs">RFC 6381 string from the SPS, e.g. "avc1.64001f".</param>
    /// <param name="mediaUri">Relative URI of the media playlist.</param>
    public static string Write(long bandwidth, long averageBandwidth, int width, int height, string codecs, string mediaUri)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder(192);
        text.Append("#EXTM3U\n");
        text.Append("#EXT-X-VERSION:7\n");
        text.Append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        text.Append("#EXT-X-STREAM-INF:BANDWIDTH=").Append(Math.Max(1, bandwidth).ToString(inv));
        if (averageBandwidth > 0) text.Append(",AVERAGE-BANDWIDTH=").Append(averageBandwidth.ToString(inv));
        text.Append(",CODECS=\"").Append(codecs).Append('"');
        text.Append(",RESOLUTION=").Append(width.ToString(inv)).Append('x').Append(height.ToString(inv)).Append('\n');
        text.Append(mediaUri).Append('\n');
        return text.ToString();
    }
}
