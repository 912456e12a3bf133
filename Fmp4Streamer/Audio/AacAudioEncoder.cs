using Fmp4Streamer.Aac;

namespace Fmp4Streamer.Audio;

/// <summary>The in-binary AAC-LC encoder as the muxer sees it.</summary>
public sealed class AacAudioEncoder : IAudioEncoder
{
    private readonly AacEncoder _encoder;

    public AacAudioEncoder(int sampleRate, int channels, int bitrate) =>
        _encoder = new AacEncoder(sampleRate, channels, bitrate);

    public int FrameSamples => _encoder.FrameSamples;

    /// <summary>
    /// The encoder looks one block ahead, so its first call returns nothing and each unit is made at the call for
    /// the block after the one it starts with; its decoded output then lags that block by the priming samples.
    /// Against the block handed in with the call that returns a unit, the unit starts one block and the priming earlier.
    /// </summary>
    public int DelaySamples => _encoder.PrimingSamples + _encoder.FrameSamples;

    public ReadOnlySpan<byte> AudioSpecificConfig => _encoder.AudioSpecificConfig;

    public string Codecs => "mp4a.40.2";

    public int MaxUnitBytes => _encoder.MaxAccessUnitBytes;

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> output) => _encoder.Encode(pcm, output);
}
