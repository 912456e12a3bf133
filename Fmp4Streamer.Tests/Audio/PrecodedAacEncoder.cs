using Fmp4Streamer.Audio;

namespace Fmp4Streamer.Tests.Audio;

/// <summary>
/// An <see cref="IAudioEncoder"/> that ignores its PCM and returns ffmpeg's units one by one (from the start again
/// at the end): the stream's timing and muxing are tested with real AAC whose content the test chose.
/// </summary>
internal sealed class PrecodedAacEncoder : IAudioEncoder
{
    private readonly AdtsFrames _frames;
    private int _next;

    public PrecodedAacEncoder(AdtsFrames frames) => _frames = frames;

    public int FrameSamples => 1024;

    /// <summary>ffmpeg's AAC encoder starts with one frame of priming.</summary>
    public int DelaySamples => 1024;
    public ReadOnlySpan<byte> AudioSpecificConfig => _frames.AudioSpecificConfig;
    public string Codecs => "mp4a.40.2";
    public int MaxUnitBytes => 768 * _frames.Channels;
    public int Calls { get; private set; }

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> output)
    {
        if (pcm.Length != FrameSamples * _frames.Channels) throw new ArgumentException("one frame of PCM expected", nameof(pcm));
        Calls++;
        var unit = _frames.Units[_next];
        _next = (_next + 1) % _frames.Units.Count;
        unit.CopyTo(output);
        return unit.Length;
    }
}
