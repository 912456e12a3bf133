namespace Fmp4Streamer.Mp4;

/// <summary>Media timescales (ticks per second) for mvhd/mdhd and every tfdt and trun duration.</summary>
public static class Timescales
{
    /// <summary>
    /// 90 kHz, as MPEG-TS and RTP use: an exact multiple of 24, 25, 30, 50 and 60 fps and of 29.97 fps's
    /// 3003-tick period, and fine enough (11 µs) that capture-time jitter rounds to at most one tick.
    /// </summary>
    public const uint Video = 90000;
}
