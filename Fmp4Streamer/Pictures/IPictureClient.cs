using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Pictures;

/// <summary>A snapshot request waiting for its picture (an HTTP connection).</summary>
public interface ISnapshotWaiter
{
    /// <summary>
    /// The picture, shared: the waiter retains it if it keeps it beyond the call (its JPEG is at
    /// <see cref="JpegPart.JpegOffset"/>); null when none could be made in time (answer 503).
    /// </summary>
    void OnSnapshot(SharedFragment? picture);
}

/// <summary>An MJPEG client (an HTTP connection streaming multipart JPEG parts).</summary>
public interface IMjpegClient
{
    /// <summary>Whether it can take a part now: it has sent everything it was given.</summary>
    bool IsReady { get; }

    /// <summary>The generation of the last part it was given (0 before the first).</summary>
    long Generation { get; }

    /// <summary>The newest part for a ready client (retain to keep it; the part starts at <see cref="JpegPart.PartStart"/>).</summary>
    void OnPart(SharedFragment picture, long generation);
}
