namespace Fmp4Streamer.Audio;

/// <summary>
/// Produces PCM on the event loop: an ALSA capture device, a command's standard output, the test pattern's tone.
/// Start/Stop follow the stream's camera, so the microphone sleeps while nobody watches.
/// </summary>
public interface IAudioSource : IDisposable
{
    /// <summary>For logs: "hw:1,0 48000 Hz 1 ch".</summary>
    string Description { get; }

    int SampleRate { get; }

    /// <summary>1 or 2; samples are interleaved.</summary>
    int Channels { get; }

    void Start(IPcmSink sink);

    void Stop();
}
