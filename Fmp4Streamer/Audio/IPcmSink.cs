namespace Fmp4Streamer.Audio;

/// <summary>Where an audio source hands its samples; implemented by the stream's audio track.</summary>
public interface IPcmSink
{
    /// <summary>
    /// Interleaved signed 16-bit samples, valid only for the duration of the call. <paramref name="firstSampleUs"/>
    /// is when the first of them was captured, on CLOCK_MONOTONIC in microseconds, as the source measured it (it may
    /// jitter by a period; the track smooths it).
    /// </summary>
    void OnPcm(ReadOnlySpan<short> samples, long firstSampleUs);

    /// <summary>Samples were lost (an overrun or a restarted source): the next call starts a new run.</summary>
    void OnPcmDiscontinuity(string reason);
}
