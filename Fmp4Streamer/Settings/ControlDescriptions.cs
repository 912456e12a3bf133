using System.Globalization;
using Fmp4Streamer.Http.Settings;
using Fmp4Streamer.V4L2;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.Settings;

/// <summary>
/// Writes one device's controls into controls.json, grouped by control class in driver order: the config name (as
/// -l prints it), type, range, menu items, current value and the flags a panel needs.
/// </summary>
public static class ControlDescriptions
{
    /// <param name="moreClasses">Writes further class objects after the driver's (a UVC camera's extension units).</param>
    public static void Write(JsonWriter json, SettingsDevice device, DeviceCapabilities? caps, IReadOnlyList<ControlInfo> controls,
        bool live, string? error, Action<JsonWriter>? moreClasses = null)
    {
        json.BeginObject();
        json.String("role", device.Role);
        json.String("path", device.Path);
        json.String("section", device.Section);
        if (caps is not null)
        {
            json.String("card", caps.Card);
            json.String("driver", caps.Driver);
        }
        // Values of a closed M2M device are what its next open will set, not read from a running context.
        json.Bool("live", live);
        if (error is not null) json.String("error", error);
        json.BeginArray("classes");
        uint currentClass = uint.MaxValue;
        bool open = false;
        foreach (var c in controls)
        {
            if (c.IsDisabled || c.IsClass) continue;
            uint cls = c.Id & 0x0FFF0000;
            if (cls != currentClass)
            {
                if (open) json.EndArray().EndObject();
                json.BeginObject().String("name", ClassName(controls, cls)).BeginArray("controls");
                open = true;
                currentClass = cls;
            }
            WriteControl(json, device, c);
        }
        if (open) json.EndArray().EndObject();
        moreClasses?.Invoke(json);
        json.EndArray();
        json.EndObject();
    }

    /// <summary>The key a POST names the control by: the config name, prefixed with the role for an M2M device.</summary>
    public static string KeyOf(SettingsDevice device, ControlInfo c) => device.PerContext ? device.Role + "." + c.Name : c.Name;

    private static void WriteControl(JsonWriter json, SettingsDevice device, ControlInfo c)
    {
        json.BeginObject();
        json.String("name", c.Name);
        json.String("key", KeyOf(device, c));
        json.String("label", c.RawName);
        json.String("type", TypeName(c.Type));
        if (c.Type is not V4L2_CTRL_TYPE_BUTTON)
        {
            json.Number("min", c.Minimum).Number("max", c.Maximum).Number("step", (long)Math.Min(c.Step, long.MaxValue)).Number("default", c.Default);
        }
        if (c.Value is long value) json.Number("value", value);
        else json.Null("value");
        json.Bool("read_only", c.IsReadOnly || !IsSettable(c));
        json.Bool("inactive", c.IsInactive);
        json.Bool("write_only", c.IsWriteOnly);
        json.Bool("volatile", c.IsVolatile);
        // GRABBED: the driver refuses changes while streaming (an encoder's profile, a sensor's size).
        json.Bool("needs_restart", (c.Flags & V4L2_CTRL_FLAG_GRABBED) != 0);
        if (c.IsMenu)
        {
            json.BeginArray("menu");
            foreach (var item in c.Menu) json.BeginObject().Number("index", item.Index).String("label", item.Name).EndObject();
            json.EndArray();
        }
        json.EndObject();
    }

    /// <summary>The types a request can set: scalars, 64-bit integers, bitmasks, strings and buttons.</summary>
    public static bool IsSettable(ControlInfo c) => c.Type is V4L2_CTRL_TYPE_INTEGER or V4L2_CTRL_TYPE_BOOLEAN
        or V4L2_CTRL_TYPE_MENU or V4L2_CTRL_TYPE_INTEGER_MENU or V4L2_CTRL_TYPE_INTEGER64 or V4L2_CTRL_TYPE_BITMASK
        or V4L2_CTRL_TYPE_STRING or V4L2_CTRL_TYPE_BUTTON;

    public static string TypeName(uint type) => type switch
    {
        V4L2_CTRL_TYPE_INTEGER => "integer",
        V4L2_CTRL_TYPE_BOOLEAN => "boolean",
        V4L2_CTRL_TYPE_MENU => "menu",
        V4L2_CTRL_TYPE_BUTTON => "button",
        V4L2_CTRL_TYPE_INTEGER64 => "integer64",
        V4L2_CTRL_TYPE_STRING => "string",
        V4L2_CTRL_TYPE_BITMASK => "bitmask",
        V4L2_CTRL_TYPE_INTEGER_MENU => "integer_menu",
        _ => "compound",
    };

    /// <summary>The driver's name for the class when it lists the class control, else the kernel's usual name.</summary>
    private static string ClassName(IReadOnlyList<ControlInfo> controls, uint cls)
    {
        foreach (var c in controls)
            if (c.IsClass && (c.Id & 0x0FFF0000) == cls) return c.RawName;
        return cls switch
        {
            V4L2_CTRL_CLASS_USER => "User Controls",
            V4L2_CTRL_CLASS_CODEC => "Codec Controls",
            V4L2_CTRL_CLASS_CAMERA => "Camera Controls",
            _ => "Controls 0x" + cls.ToString("x", CultureInfo.InvariantCulture),
        };
    }
}
