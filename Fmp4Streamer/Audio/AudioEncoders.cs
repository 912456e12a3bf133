using Fmp4Streamer.Aac;

namespace Fmp4Streamer.Audio;

/// <summary>Where a stream gets its AAC encoder: the one place that picks the implementation.</summary>
public static class AudioEncoders
{
    /// <summary>The AAC-LC encoder for <paramref name="sampleRate"/> and <paramref name="channels"/> at <paramref name="bitrate"/> bit/s (0: the default for the channel count).</summary>
    public static IAudioEncoder Create(int sampleRate, int channels, int bitrate = 0) =>
        new AacAudioEncoder(sampleRate, channels, bitrate > 0 ? bitrate : AacEncoder.DefaultBitrate(channels));
}
