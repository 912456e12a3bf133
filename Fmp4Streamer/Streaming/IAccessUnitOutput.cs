namespace Fmp4Streamer.Streaming;

/// <summary>
/// An output of a stream that takes its access units themselves rather than fMP4 fragments: JPEG pictures and MJPEG
/// today; RTP packets and a recorder can attach the same way. Attached with <see cref="StreamHub.AttachOutput"/>, it
/// sees every access unit from the next key frame on while the source runs, without keeping the source awake;
/// <see cref="StreamHub.HoldSource"/> makes it count as a viewer (wakes the source, asks for a key frame) until
/// <see cref="StreamHub.ReleaseSource"/>. Each output builds its own bytes once for all of its clients.
/// </summary>
public interface IAccessUnitOutput
{
    /// <summary>
    /// One access unit on the loop thread; its bytes are valid only during the call (copy what is kept). The first
    /// unit after attaching, and after every <see cref="OnDiscontinuity"/>, is a key frame.
    /// </summary>
    void OnAccessUnit(in AccessUnit unit);

    /// <summary>
    /// The source stopped (went to sleep, was interrupted or closed): what the output kept from earlier units cannot
    /// be continued; the next unit it sees is a key frame.
    /// </summary>
    void OnDiscontinuity();
}
