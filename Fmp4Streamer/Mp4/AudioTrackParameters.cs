namespace Fmp4Streamer.Mp4;

/// <summary>What the audio track of an init segment is built from.</summary>
/// <param name="audioSpecificConfig">The decoder configuration for the esds (ISO/IEC 14496-3 1.6.2.1).</param>
/// <param name="sampleRate">Samples per second per channel; also the track's timescale.</param>
/// <param name="channels">1 or 2.</param>
/// <param name="frameSamples">Samples per channel in one access unit (1024 for AAC-LC): every sample's duration.</param>
public readonly ref struct AudioTrackParameters(ReadOnlySpan<byte> audioSpecificConfig, int sampleRate, int channels,
    int frameSamples)
{
    public ReadOnlySpan<byte> AudioSpecificConfig { get; } = audioSpecificConfig;
    public int SampleRate { get; } = sampleRate;
    public int Channels { get; } = channels;
    public int FrameSamples { get; } = frameSamples;
}
