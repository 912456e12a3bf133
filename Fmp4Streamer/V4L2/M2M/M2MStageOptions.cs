namespace Fmp4Streamer.V4L2.M2M;

/// <summary>
/// One M2M device of a chain, from the config: its node, role, the fourcc it takes (capture_format or
/// decoder_input_format for the decoder, encoder_input_format for the encoder) and gives (encoder_input_format for
/// the decoder, H264 for the encoder), whether its OUTPUT queue imports the upstream's dmabufs, and its section's
/// controls. Width/height/sizeimage of the input come from the upstream's negotiated format.
/// </summary>
public sealed record M2MStageOptions(
    string DevicePath,
    M2MRole Role,
    string InputFormat,
    string CaptureFormat,
    bool ImportDmabuf,
    IReadOnlyList<ControlSetting> Controls)
{
    /// <summary>Buffers to request on each queue (the reference asks for 6).</summary>
    public int BufferCount { get; init; } = 6;
}
