namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>
/// Finds the extension units of a V4L2 node from the USB descriptors in sysfs (compatibility §7): the node's name (after
/// following /dev/v4l/by-id links), /sys/class/video4linux/NAME resolved to its device directory, three levels up to
/// the USB device, whose `descriptors` file holds the device and configuration descriptors. Links are resolved before
/// walking up: .NET collapses `..` lexically and would read /sys/descriptors. The descriptors are walked by bLength
/// and only extension unit descriptors of a VideoControl interface count (the original searched for the GUID bytes
/// anywhere and took the byte before them).
/// </summary>
public static class UvcUnitFinder
{
    private const byte DescriptorInterface = 0x04;
    private const byte DescriptorCsInterface = 0x24;
    private const byte VcExtensionUnit = 0x06;
    private const byte ClassVideo = 0x0E;
    private const byte SubclassVideoControl = 0x01;
    private const int MaxLinks = 40;

    /// <summary>
    /// The unit ids of <paramref name="devicePath"/>; <see cref="UvcUnitIds.None"/> for a node that is not a USB video
    /// device. <paramref name="root"/> prefixes every path ("/" in production, a fake tree in tests). An unreadable
    /// descriptors file adds a warning.
    /// </summary>
    public static UvcUnitIds Find(string devicePath, string root, ICollection<string>? warnings = null)
    {
        string? descriptors = DescriptorsPath(devicePath, root);
        if (descriptors is null || !File.Exists(descriptors)) return UvcUnitIds.None;
        byte[] bytes;
        try
        {
            bytes = ReadToEnd(descriptors);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings?.Add($"{devicePath}: failed to read the UVC extension unit ids from {descriptors}: {e.Message}");
            return UvcUnitIds.None;
        }
        return FromDescriptors(bytes);
    }

    // sysfs gives the descriptors attribute its largest possible size (18 + 65535) as its length, not what a read
    // returns: File.ReadAllBytes reads that length and fails at the real end (IO_EOF_ReadBeyondEOF after a few
    // hundred bytes, seen with uvcvideo in the VM rig). Read until EOF instead.
    private static byte[] ReadToEnd(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        using var bytes = new MemoryStream();
        file.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>The sysfs descriptors file of the USB device behind the node, or null when there is none.</summary>
    public static string? DescriptorsPath(string devicePath, string root)
    {
        try
        {
            string node = ResolveLinks(Under(root, devicePath));
            string name = Path.GetFileName(node);
            if (name.Length == 0) return null;
            string videoDir = ResolveLinks(Under(root, "/sys/class/video4linux/" + name));
            if (!Directory.Exists(videoDir)) return null;
            // videoN -> video4linux -> interface (1-1:1.0) -> USB device (1-1)
            string? usbDevice = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(videoDir)));
            return usbDevice is null ? null : Path.Combine(usbDevice, "descriptors");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Walks raw USB descriptors; ids of the H.264 and Logitech extension units of VideoControl interfaces.</summary>
    public static UvcUnitIds FromDescriptors(ReadOnlySpan<byte> d)
    {
        byte h264 = 0, logitech = 0;
        bool inVideoControl = false;
        int pos = 0;
        while (pos + 2 <= d.Length)
        {
            int length = d[pos];
            if (length < 2 || pos + length > d.Length) break;
            var desc = d.Slice(pos, length);
            byte type = desc[1];
            if (type == DescriptorInterface && length >= 9)
                inVideoControl = desc[5] == ClassVideo && desc[6] == SubclassVideoControl;
            else if (inVideoControl && type == DescriptorCsInterface && length >= 20 && desc[2] == VcExtensionUnit)
            {
                var guid = desc.Slice(4, 16);
                byte unit = desc[3];
                if (h264 == 0 && guid.SequenceEqual(UvcGuids.H264)) h264 = unit;
                else if (logitech == 0 && guid.SequenceEqual(UvcGuids.LogitechPeripheral)) logitech = unit;
            }
            pos += length;
        }
        return new UvcUnitIds(h264, logitech);
    }

    private static string Under(string root, string path) =>
        root == "/" ? path : Path.Join(root, path.TrimStart('/'));

    /// <summary>Follows symlinks to the final target, each relative target taken from its link's directory.</summary>
    private static string ResolveLinks(string path)
    {
        for (int i = 0; i < MaxLinks; i++)
        {
            string? target = new FileInfo(path).LinkTarget;
            if (target is null) return path;
            path = Path.TrimEndingDirectorySeparator(
                Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(Path.GetDirectoryName(path)!, target)));
        }
        return path;
    }
}
