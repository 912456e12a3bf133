using System.Globalization;
using Fmp4Streamer.Http.Settings;
using Fmp4Streamer.Linux;
using Fmp4Streamer.V4L2;
using Fmp4Streamer.V4L2.Uvc;

namespace Fmp4Streamer.Settings;

/// <summary>
/// A UVC camera's extension units in controls.json, each as a class of its own after the driver's classes: the
/// Logitech LED (set live) and the H.264 unit (its configuration is committed before streaming, so needs_restart).
/// The keys are the uvcx_* config keys; menus list the unit's values as their "index", so a value reads as its item.
/// </summary>
public static class ExtensionUnitDescriptions
{
    public const string LedClass = "Logitech LED Extension Unit";
    public const string H264Class = "UVC H.264 Extension Unit";

    /// <summary>Nothing for a camera without units; a unit that does not answer is left out (start-up warns about it).</summary>
    public static void Write(JsonWriter json, VideoDevice handle, string sysfsRoot)
    {
        UvcExtensions units;
        var ignored = new List<string>();
        try
        {
            units = UvcExtensions.Open(handle, sysfsRoot, ignored);
        }
        catch (LinuxException)
        {
            return;
        }
        var led = new List<UvcxState>();
        if (units.Led is { } l && l.States(led) == 0) WriteClass(json, LedClass, led, needsRestart: false);
        if (units.H264 is { } h264) WriteClass(json, H264Class, h264.States(), needsRestart: true);
    }

    private static void WriteClass(JsonWriter json, string name, List<UvcxState> states, bool needsRestart)
    {
        json.BeginObject().String("name", name).BeginArray("controls");
        foreach (var s in states)
        {
            var c = s.Control;
            json.BeginObject();
            json.String("name", c.Name).String("key", c.Name).String("label", Label(c.Name));
            json.String("type", c.IsMenu ? "menu" : "integer");
            json.Number("min", s.Minimum).Number("max", s.Maximum).Number("step", 1).Number("default", s.Default);
            json.Number("value", s.Value);
            json.Bool("read_only", UvcH264Extension.IsFormat(c)).Bool("inactive", false).Bool("write_only", false).Bool("volatile", false);
            json.Bool("needs_restart", needsRestart);
            if (c.IsMenu)
            {
                json.BeginArray("menu");
                foreach (var item in c.Menu) json.BeginObject().Number("index", item.Value).String("label", item.Name).EndObject();
                json.EndArray();
            }
            json.EndObject();
        }
        json.EndArray().EndObject();
    }

    /// <summary>"uvcx_h264_i_frame_period" → "H.264 i frame period", "uvcx_logitech_led1_mode" → "LED 1 mode".</summary>
    public static string Label(string key)
    {
        string rest = key.StartsWith("uvcx_h264_", StringComparison.Ordinal) ? "H.264 " + key["uvcx_h264_".Length..]
            : key.StartsWith("uvcx_logitech_led1_", StringComparison.Ordinal) ? "LED 1 " + key["uvcx_logitech_led1_".Length..]
            : key;
        return rest.Replace('_', ' ');
    }

    /// <summary>
    /// A request's value for a uvcx control: a menu item by label or by the unit's value, an integer as written (the
    /// unit's range is applied by the caller). False with a message naming what is valid.
    /// </summary>
    public static bool TryParse(UvcxControl c, string raw, out long value, out string error)
    {
        string v = raw.Trim();
        error = "";
        value = 0;
        if (c.IsMenu)
        {
            if (c.FindLabel(v) is MenuItem byLabel)
            {
                value = byLabel.Value;
                return true;
            }
            if (long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            {
                foreach (var item in c.Menu)
                    if (item.Value == n)
                    {
                        value = n;
                        return true;
                    }
            }
            var labels = new List<string>();
            foreach (var item in c.Menu) labels.Add("'" + item.Name + "'");
            error = $"'{raw}' is not a menu item of {c.Name}; valid values: {string.Join(", ", labels)}";
            return false;
        }
        if (!long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = $"'{raw}' is not an integer";
            return false;
        }
        return true;
    }
}
