namespace Fmp4Streamer.V4L2.M2M;

/// <summary>What an M2M stage is for: it decides the stop command and whether source-change events matter.</summary>
public enum M2MRole
{
    Decoder,
    Encoder,
}
