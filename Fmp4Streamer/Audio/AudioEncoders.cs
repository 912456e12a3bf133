namespace Fmp4Streamer.Audio;

/// <summary>Where a stream gets its AAC encoder: the one place that picks the implementation.</summary>
public static class AudioEncoders
{
    /// <summary>
    /// The AAC-LC encoder for <paramref name="sampleRate"/> and <paramref name="channels"/>, or null when this build
    /// has none (the C# encoder is built in a folder of its own and plugs in here).
    /// </summary>
    public static IAudioEncoder? Create(int sampleRate, int channels) => null;
}
