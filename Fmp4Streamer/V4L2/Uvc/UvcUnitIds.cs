namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>The bUnitID of each extension unit a camera has; 0 where it has none (0 is never a valid unit id).</summary>
public readonly record struct UvcUnitIds(byte H264, byte LogitechPeripheral)
{
    public static UvcUnitIds None => default;
}
