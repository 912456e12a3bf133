namespace Fmp4Streamer.Mp4;

/// <summary>What an init segment is built from: the parameter sets, the picture size, the clock and the rotation.</summary>
/// <param name="sps">The SPS as a NAL unit without start code (header byte 0x67 or 0x27 first), emulation prevention kept.</param>
/// <param name="pps">The PPS as a NAL unit without start code (header byte 0x68 or 0x28 first).</param>
/// <param name="width">Displayed width in pixels (SPS cropping applied), before rotation.</param>
/// <param name="height">Displayed height in pixels (SPS cropping applied), before rotation.</param>
/// <param name="timescale">Ticks per second of the track, usually <see cref="Timescales.Video"/>.</param>
/// <param name="rotation">Clockwise display rotation in degrees: 0, 90, 180 or 270.</param>
/// <param name="audio">A second track of AAC audio; <c>default</c> (no AudioSpecificConfig) for video only.</param>
public readonly ref struct InitSegmentParameters(
    ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps, int width, int height, uint timescale, int rotation = 0,
    AudioTrackParameters audio = default)
{
    public AudioTrackParameters Audio { get; } = audio;
    public bool HasAudio => !Audio.AudioSpecificConfig.IsEmpty;
    public ReadOnlySpan<byte> Sps { get; } = sps;
    public ReadOnlySpan<byte> Pps { get; } = pps;
    public int Width { get; } = width;
    public int Height { get; } = height;
    public uint Timescale { get; } = timescale;
    public int Rotation { get; } = rotation;
}
