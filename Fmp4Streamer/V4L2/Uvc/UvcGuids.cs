namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>Extension unit GUIDs in the byte order of guidExtensionCode in the USB descriptors (compatibility §7).</summary>
public static class UvcGuids
{
    /// <summary>UVC 1.5 H.264 XU, a29e7641-de04-47e3-8b2b-f4341aff003b.</summary>
    public static ReadOnlySpan<byte> H264 => [0x41, 0x76, 0x9E, 0xA2, 0x04, 0xDE, 0xE3, 0x47, 0x8B, 0x2B, 0xF4, 0x34, 0x1A, 0xFF, 0x00, 0x3B];

    /// <summary>Logitech peripheral XU (LED), ffe52d21-8030-4e2c-82d9-f587d00540bd.</summary>
    public static ReadOnlySpan<byte> LogitechPeripheral => [0x21, 0x2D, 0xE5, 0xFF, 0x30, 0x80, 0x2C, 0x4E, 0x82, 0xD9, 0xF5, 0x87, 0xD0, 0x05, 0x40, 0xBD];
}
