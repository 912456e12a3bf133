using System.Globalization;
using System.Text;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.V4L2.Uvc;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.V4L2;

/// <summary>
/// The -l listing in the reference's exact format (compatibility §1): per device a Device/Name/Driver header, "Controls",
/// one line per control with class headers between blank lines, then the footer naming the config file.
/// </summary>
public static class ControlLister
{
    /// <summary>
    /// Entry point of `fmp4streamer -l -c conf`: for each device opens it, applies its section's settings (errors
    /// throw as at start-up), prints its block and an empty line; then the footer. Warnings go to the log.
    /// </summary>
    public static void Print(TextWriter output, ILinuxIo io, IReadOnlyList<ListedDevice> devices, string configFile, string sysfsRoot = "/")
    {
        foreach (var d in devices)
        {
            PrintDevice(output, io, d.Path, d.Settings, sysfsRoot, d.HasExtensionUnits);
            output.Write('\n');
        }
        PrintFooter(output, configFile);
    }

    /// <summary>
    /// One device's block; a UVC camera's extension unit lines (uvcx_*) follow its V4L2 controls (compatibility §1). Without
    /// <paramref name="extensionUnits"/> (an M2M codec) sysfs is not looked at and every setting is a V4L2 control.
    /// </summary>
    public static void PrintDevice(TextWriter output, ILinuxIo io, string path, IReadOnlyList<ControlSetting> settings,
        string sysfsRoot = "/", bool extensionUnits = true)
    {
        using var device = VideoDevice.Open(io, path);
        var caps = device.QueryCapabilities();
        var warnings = new List<string>();
        var v4l2Settings = new List<ControlSetting>();
        var uvcxSettings = new List<ControlSetting>();
        foreach (var s in settings) (extensionUnits && UvcExtensions.IsUvcxKey(s.Key) ? uvcxSettings : v4l2Settings).Add(s);
        var controls = Controls.Enumerate(device, warnings);
        controls.Apply(v4l2Settings, warnings);
        var extensionLines = new StringBuilder();
        if (extensionUnits)
        {
            var uvc = UvcExtensions.Open(device, sysfsRoot, warnings);
            uvc.Apply(uvcxSettings, warnings);
            uvc.AppendListing(extensionLines, warnings);
        }
        foreach (var w in warnings) Log.Warning("V4L2", w);
        Print(output, path, caps, controls.All);
        output.Write(extensionLines.ToString());
    }

    public static void PrintFooter(TextWriter output, string configFile) =>
        output.Write($"To set one, put ctrl_name = Value into {configFile} under the device\n");

    /// <summary>The block of one device, from already enumerated controls (pure; what tests pin).</summary>
    public static void Print(TextWriter output, string path, DeviceCapabilities caps, IReadOnlyList<ControlInfo> controls)
    {
        var sb = new StringBuilder();
        sb.Append("Device: ").Append(path).Append('\n');
        sb.Append("Name: ").Append(caps.Card).Append('\n');
        sb.Append("Driver: ").Append(caps.Driver).Append('\n');
        sb.Append('\n').Append("Controls").Append('\n');
        foreach (var c in controls)
        {
            // Disabled controls are skipped, as v4l2-ctl -l does: the driver says they do not exist right now.
            if (c.IsDisabled) continue;
            sb.Append(FormatLine(c)).Append('\n');
        }
        output.Write(sb.ToString());
    }

    public static string FormatLine(ControlInfo c)
    {
        if (c.IsClass) return "\n" + c.RawName + "\n";
        var inv = CultureInfo.InvariantCulture;
        switch (c.Type)
        {
            case V4L2_CTRL_TYPE_INTEGER:
            case V4L2_CTRL_TYPE_BOOLEAN:
            {
                var sb = new StringBuilder();
                sb.Append(c.Name).Append(" = ").Append(c.Value?.ToString(inv) ?? "")
                  .Append("\t( default: ").Append(c.Default.ToString(inv))
                  .Append(" min: ").Append(c.Minimum.ToString(inv))
                  .Append(" max: ").Append(c.Maximum.ToString(inv));
                if (c.Step != 1) sb.Append(" step: ").Append(c.Step.ToString(inv));
                return sb.Append(')').ToString();
            }
            case V4L2_CTRL_TYPE_MENU:
            case V4L2_CTRL_TYPE_INTEGER_MENU:
            {
                bool quoted = c.Type == V4L2_CTRL_TYPE_MENU;
                var sb = new StringBuilder();
                sb.Append(c.Name).Append(" = ");
                if (c.Value is long v && c.FindItem(v) is MenuItem current) sb.Append(current.Name).Append("\t( ");
                if (c.FindItem(c.Default) is MenuItem def) sb.Append("default: ").Append(def.Name).Append(' ');
                sb.Append("values: ");
                foreach (var item in c.Menu) sb.Append(quoted ? PythonRepr.Ascii(item.Name) : item.Name).Append(' ');
                return sb.Append(')').ToString();
            }
            default:
                return c.RawName + " = ";
        }
    }
}
