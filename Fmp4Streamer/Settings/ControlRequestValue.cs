using System.Globalization;
using Fmp4Streamer.V4L2;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.Settings;

/// <summary>
/// A value from a settings request, turned into a control value by the control's type. Unlike a config line, an
/// integer out of range is not an error: it is clamped to the range (the answer reports it), as a slider would.
/// Menus take an item's name (or its index), integer menus an item's value, booleans true/false/1/0/yes/no/on/off.
/// </summary>
public static class ControlRequestValue
{
    public static bool TryParse(ControlInfo c, string key, string raw, string devicePath, out ControlValue value, out bool clamped, out string error)
    {
        value = default;
        clamped = false;
        error = "";
        string v = raw.Trim();
        if (c.Type is V4L2_CTRL_TYPE_INTEGER or V4L2_CTRL_TYPE_INTEGER64)
        {
            if (!long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
            {
                error = $"'{raw}' is not an integer; {devicePath} accepts {c.Minimum} to {c.Maximum}";
                return false;
            }
            long bounded = Math.Clamp(n, c.Minimum, c.Maximum);
            clamped = bounded != n;
            value = new ControlValue(bounded, null);
            return true;
        }
        if (c.Type == V4L2_CTRL_TYPE_MENU && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out long index)
            && c.FindItem(index) is MenuItem byIndex && !HasItemNamed(c, v))
        {
            v = byIndex.Name;
        }
        try
        {
            value = ControlValueParser.Parse(c, new ControlSetting(key, v, "request"), devicePath);
            return true;
        }
        catch (V4l2Exception e)
        {
            // The parser names a config location; the request has none.
            error = e.Message.StartsWith("request: ", StringComparison.Ordinal) ? e.Message["request: ".Length..] : e.Message;
            return false;
        }
    }

    /// <summary>The value as a config line writes it: menu items by name, integer-menu items by value, numbers in decimal.</summary>
    public static string ConfigText(ControlInfo c, long number, string? text)
    {
        if (text is not null) return text;
        if (c.FindItem(number) is MenuItem item && c.IsMenu) return item.Name;
        if (c.Type == V4L2_CTRL_TYPE_BITMASK) return "0x" + number.ToString("x", CultureInfo.InvariantCulture);
        return number.ToString(CultureInfo.InvariantCulture);
    }

    private static bool HasItemNamed(ControlInfo c, string name)
    {
        foreach (var item in c.Menu)
            if (item.Name == name) return true;
        return false;
    }
}
