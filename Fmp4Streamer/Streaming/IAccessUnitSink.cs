namespace Fmp4Streamer.Streaming;

/// <summary>Where a source hands its access units; implemented by the <see cref="StreamHub"/>.</summary>
public interface IAccessUnitSink
{
    /// <summary>
    /// One access unit (one picture) as an Annex-B byte stream (3- or 4-byte start codes), valid only for the
    /// duration of the call. <paramref name="captureTimeUs"/> is CLOCK_MONOTONIC in microseconds, or 0 when the
    /// source has no timestamps (durations then follow the nominal frame rate).
    /// </summary>
    void OnAccessUnit(ReadOnlySpan<byte> annexB, long captureTimeUs);

    /// <summary>The source lost its device or process; it will retry by itself. Clients keep their connection.</summary>
    void OnSourceInterrupted(string reason);
}
