namespace Fmp4Streamer.Mp4.Hls;

/// <summary>The multivariant ("master") playlist: one variant, the live media playlist.</summary>
public static class MasterPlaylistWriter
{
    /// <param name="bandwidth">Peak segment bit rate in bit/s with headroom (RFC 8216bis 4.4.6.2: BANDWIDTH is the peak).</param>
    /// <param name="averageBandwidth">Average bit rate over the window (0: not written).</param>
    /// <param name="codecs">RFC 6381 string from the SPS, e.g. "avc1.64001f".</param>
    /// <param name="frameRate">Frames per second × 1000 (FRAME-RATE has three decimals); 0: not written.</param>
    /// <param name="mediaUri">Relative URI of the media playlist.</param>
    public static void Write(PlaylistText text, long bandwidth, long averageBandwidth, int width, int height, string codecs,
        long frameRate, string mediaUri)
    {
        text.Clear();
        text.Append("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH="u8);
        text.Append(Math.Max(1, bandwidth));
        if (averageBandwidth > 0)
        {
            text.Append(",AVERAGE-BANDWIDTH="u8);
            text.Append(averageBandwidth);
        }
        text.Append(",CODECS=\""u8);
        text.Append(codecs);
        text.Append("\",RESOLUTION="u8);
        text.Append(width);
        text.Append((byte)'x');
        text.Append(height);
        if (frameRate > 0)
        {
            text.Append(",FRAME-RATE="u8);
            text.AppendDecimal((ulong)frameRate, 1000, 3);
        }
        text.Append((byte)'\n');
        text.Append(mediaUri);
        text.Append((byte)'\n');
    }

    /// <summary>The playlist as a string (tests, tools).</summary>
    public static string Write(long bandwidth, long averageBandwidth, int width, int height, string codecs, string mediaUri,
        long frameRate = 0)
    {
        var text = new PlaylistText(256);
        Write(text, bandwidth, averageBandwidth, width, height, codecs, frameRate, mediaUri);
        return text.ToString();
    }
}
