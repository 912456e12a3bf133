namespace Fmp4Streamer.Audio;

/// <summary>
/// Turns signed 16-bit PCM into compressed audio access units (AAC-LC raw data blocks, no ADTS header), one per
/// call. The muxer puts each returned unit in the stream as one sample of <see cref="FrameSamples"/> ticks.
/// </summary>
/// <remarks>
/// Implementations allocate nothing in <see cref="Encode"/> and keep their own state between calls (MDCT overlap,
/// bit reservoir). The first units of a stream are the encoder's priming: <see cref="DelaySamples"/> says how many
/// samples of the decoded output come before the first input sample, so the muxer can place the output at the
/// input's time.
/// </remarks>
public interface IAudioEncoder
{
    /// <summary>Samples per channel consumed by each <see cref="Encode"/> call and carried by each unit (1024 for AAC-LC).</summary>
    int FrameSamples { get; }

    /// <summary>Samples per channel the decoded output lags the input (1024 for a typical AAC-LC encoder).</summary>
    int DelaySamples { get; }

    /// <summary>
    /// The decoder configuration carried in the init segment's esds (for AAC the AudioSpecificConfig of
    /// ISO/IEC 14496-3 1.6.2.1: object type 2, sampling frequency index, channel configuration).
    /// </summary>
    ReadOnlySpan<byte> AudioSpecificConfig { get; }

    /// <summary>RFC 6381 codecs string of the output, "mp4a.40.2" for AAC-LC.</summary>
    string Codecs { get; }

    /// <summary>
    /// Encodes <see cref="FrameSamples"/> samples per channel, interleaved (<paramref name="pcm"/> holds
    /// FrameSamples × channels values), into <paramref name="output"/> (at least <see cref="MaxUnitBytes"/>);
    /// returns the unit's length in bytes (at least 1).
    /// </summary>
    int Encode(ReadOnlySpan<short> pcm, Span<byte> output);

    /// <summary>The largest unit <see cref="Encode"/> can return (6144 bits per channel for AAC).</summary>
    int MaxUnitBytes { get; }
}
