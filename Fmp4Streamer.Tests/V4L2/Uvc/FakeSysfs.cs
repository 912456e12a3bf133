using Fmp4Streamer.V4L2.Uvc;

namespace Fmp4Streamer.Tests.V4L2.Uvc;

/// <summary>
/// A temporary root with /dev and /sys laid out as for a USB camera: /dev/video0, a by-id link to it, the class link
/// /sys/class/video4linux/video0 into /sys/devices/.../1-1/1-1:1.0/video4linux/video0, and the USB device's
/// descriptors two levels above that. A decoy /sys/descriptors catches `..` collapsed before the links are followed.
/// </summary>
public sealed class FakeSysfs : IDisposable
{
    public const string ByIdPath = "/dev/v4l/by-id/usb-046d_HD_Pro_Webcam_C920_8A4E7E1F-video-index0";
    private const string UsbDevice = "sys/devices/pci0000:00/0000:00:14.0/usb1/1-1";

    public FakeSysfs(byte[] descriptors, string node = "video0")
    {
        Root = Path.Combine(Path.GetTempPath(), "fmp4streamer-sysfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "dev/v4l/by-id"));
        File.WriteAllBytes(Path.Combine(Root, "dev", node), Array.Empty<byte>());
        File.CreateSymbolicLink(Path.Combine(Root, ByIdPath.TrimStart('/')), "../../" + node);
        string videoDir = Path.Combine(Root, UsbDevice, "1-1:1.0/video4linux", node);
        Directory.CreateDirectory(videoDir);
        File.WriteAllBytes(Path.Combine(Root, UsbDevice, "descriptors"), descriptors);
        Directory.CreateDirectory(Path.Combine(Root, "sys/class/video4linux"));
        File.CreateSymbolicLink(Path.Combine(Root, "sys/class/video4linux", node),
            "../../devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/video4linux/" + node);
        File.WriteAllBytes(Path.Combine(Root, "sys/descriptors"), DeviceAndConfig(VideoControl(Xu(5, UvcGuids.H264.ToArray()))));
    }

    public string Root { get; }

    public string DescriptorsFile => Path.Combine(Root, UsbDevice, "descriptors");

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }

    // ---- descriptors, laid out as a Logitech C920 reports them (lsusb -v) ----------------------------------------------

    /// <summary>
    /// C920-like: an audio interface first whose feature unit carries the H.264 GUID bytes at the XU's offsets (a
    /// GUID search would take its unit id 0x63), then the VideoControl interface with camera terminal, processing
    /// unit, a Logitech video XU (unit 9), the peripheral XU (11) and the H.264 XU (12), then a streaming interface
    /// with an MJPEG format (CS_INTERFACE subtype 6, like an XU).
    /// </summary>
    public static byte[] C920()
    {
        byte[] audioDecoy = [20, 0x24, 0x06, 0x63, .. UvcGuids.H264.ToArray()];
        return DeviceAndConfig(
            [9, 0x04, 2, 0, 0, 0x01, 0x01, 0, 0], audioDecoy,
            [8, 0x0B, 0, 2, 0x0E, 0x03, 0, 2],
            VideoControl(
                [18, 0x24, 0x02, 1, 0x01, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0x0E, 0x20, 0],
                [11, 0x24, 0x05, 3, 1, 0, 0, 2, 0x5F, 0x12, 0],
                Xu(9, Guid.Parse("63610682-5070-49ab-b8cc-b3855e8d221d").ToByteArray()),
                Xu(11, UvcGuids.LogitechPeripheral.ToArray()),
                Xu(12, UvcGuids.H264.ToArray()),
                [9, 0x24, 0x03, 4, 1, 1, 0, 5, 0],
                [7, 0x05, 0x83, 0x03, 0x10, 0, 8]),
            [9, 0x04, 1, 0, 0, 0x0E, 0x02, 0, 0],
            [11, 0x24, 0x06, 1, 1, 0, 1, 0, 0, 0, 0]);
    }

    public static byte[] VideoControl(params byte[][] units) =>
        [9, 0x04, 0, 0, 1, 0x0E, 0x01, 0, 0, 13, 0x24, 0x01, 0x00, 0x01, 0, 0, 0x80, 0xC3, 0xC9, 0x01, 1, 1, .. units.SelectMany(u => u)];

    /// <summary>VC_EXTENSION_UNIT: bLength, CS_INTERFACE, subtype 6, bUnitID, guid, bNumControls, 1 pin, 3-byte bmControls, iExtension.</summary>
    public static byte[] Xu(byte unit, byte[] guid) => [28, 0x24, 0x06, unit, .. guid, 16, 1, 3, 3, 0xFF, 0xFF, 0x03, 0];

    public static byte[] DeviceAndConfig(params byte[][] parts)
    {
        byte[] body = parts.SelectMany(p => p).ToArray();
        int total = 9 + body.Length;
        byte[] device = [18, 0x01, 0x00, 0x02, 0xEF, 0x02, 0x01, 0x40, 0x6D, 0x04, 0x2D, 0x08, 0x11, 0x00, 0x00, 0x02, 0x01, 0x01];
        byte[] config = [9, 0x02, (byte)total, (byte)(total >> 8), 3, 1, 0, 0x80, 0xFA];
        return [.. device, .. config, .. body];
    }
}
