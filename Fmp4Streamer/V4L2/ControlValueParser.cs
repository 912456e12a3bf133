using System.Globalization;
using System.Text;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.V4L2;

/// <summary>
/// Turns a config string into a control value by the control's type: menus by item name, integer menus by value,
/// booleans as 0/1/yes/no/true/false/on/off, integers range-checked. Errors list what would be valid.
/// </summary>
public static class ControlValueParser
{
    public static ControlValue Parse(ControlInfo c, ControlSetting s, string devicePath)
    {
        string v = s.Value.Trim();
        string where = $"{s.Location}: {s.Key} = {s.Value}";
        switch (c.Type)
        {
            case V4L2_CTRL_TYPE_INTEGER:
            case V4L2_CTRL_TYPE_INTEGER64:
                if (!long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                    throw new V4l2Exception($"{where} is not an integer; {devicePath} accepts {Range(c)}");
                if (n < c.Minimum || n > c.Maximum)
                    throw new V4l2Exception($"{where} is out of range; {devicePath} accepts {Range(c)}");
                return new ControlValue(n, null);

            case V4L2_CTRL_TYPE_BOOLEAN:
                switch (v.ToLowerInvariant())
                {
                    case "1" or "yes" or "true" or "on": return new ControlValue(1, null);
                    case "0" or "no" or "false" or "off": return new ControlValue(0, null);
                }
                throw new V4l2Exception($"{where} is not a boolean; use 1, yes, true, on, 0, no, false or off");

            case V4L2_CTRL_TYPE_MENU:
                foreach (var item in c.Menu)
                    if (item.Name == v) return new ControlValue(item.Index, null);
                throw new V4l2Exception($"{where} is not a menu item; valid values: {ItemList(c, quoted: true)}");

            case V4L2_CTRL_TYPE_INTEGER_MENU:
                if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long iv))
                    foreach (var item in c.Menu)
                        if (item.Value == iv) return new ControlValue(item.Index, null);
                throw new V4l2Exception($"{where} is not one of the values; valid values: {ItemList(c, quoted: false)}");

            case V4L2_CTRL_TYPE_BITMASK:
                if (!TryParseBits(v, out uint bits))
                    throw new V4l2Exception($"{where} is not a bitmask; use a number such as 0x{c.Maximum:x} (the bits {devicePath} accepts)");
                if ((bits & ~(uint)c.Maximum) != 0)
                    throw new V4l2Exception($"{where} sets bits outside 0x{c.Maximum:x}, the bits {devicePath} accepts");
                return new ControlValue(bits, null);

            case V4L2_CTRL_TYPE_STRING:
                int length = Encoding.UTF8.GetByteCount(v);
                if (length < c.Minimum || length > c.Maximum)
                    throw new V4l2Exception($"{where} has {length} characters; {devicePath} accepts {c.Minimum} to {c.Maximum}");
                return new ControlValue(0, v);

            case V4L2_CTRL_TYPE_BUTTON:
                throw new V4l2Exception($"{where}: '{s.Key}' is a button (an action, not a setting); remove it from the config");

            default:
                throw new V4l2Exception($"{where}: '{s.Key}' has control type {c.Type}, which the config cannot set");
        }
    }

    private static string Range(ControlInfo c)
    {
        string range = $"{c.Minimum} to {c.Maximum}";
        return c.Step > 1 ? range + $" in steps of {c.Step}" : range;
    }

    private static string ItemList(ControlInfo c, bool quoted)
    {
        var sb = new StringBuilder();
        foreach (var item in c.Menu)
        {
            if (sb.Length > 0) sb.Append(", ");
            sb.Append(quoted ? "'" + item.Name + "'" : item.Name);
        }
        return sb.ToString();
    }

    private static bool TryParseBits(string v, out uint bits)
    {
        if (v.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return uint.TryParse(v.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bits);
        return uint.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out bits);
    }
}
