using System.Text;
using Fmp4Streamer.Linux;
using static Fmp4Streamer.Linux.Native.uvcvideo;

namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>
/// LED 1 of the Logitech peripheral extension unit (compatibility §7): a 5-byte control whose byte 1 is the mode and byte 3
/// the blink frequency. Each setting is read, changed, written and read back; -l queries the device live.
/// </summary>
public sealed class LogitechLedExtension
{
    public const byte Led1Selector = 0x09;
    public const int Led1Length = 5;

    public static IReadOnlyList<UvcxControl> Controls { get; } = new UvcxControl[]
    {
        new("uvcx_logitech_led1_mode", 1, 1, 0, UvcxControl.MenuOf((0, "Off"), (1, "On"), (2, "Blink"), (3, "Auto"))),
        new("uvcx_logitech_led1_frequency", 3, 1, 0, []),
    };

    private readonly ExtensionUnit _unit;

    public LogitechLedExtension(VideoDevice device, byte unitId) => _unit = new ExtensionUnit(device, unitId);

    public byte UnitId => _unit.UnitId;

    public static UvcxControl? Find(string name)
    {
        foreach (var c in Controls)
            if (c.Name == name) return c;
        return null;
    }

    /// <summary>
    /// Sets each value; integers out of the control's GET_MIN..GET_MAX throw <see cref="V4l2Exception"/>. A query the
    /// camera refuses, or a value it does not keep, adds a warning.
    /// </summary>
    public void Apply(IReadOnlyList<UvcxSetting> settings, ICollection<string> warnings)
    {
        Span<byte> data = stackalloc byte[Led1Length];
        foreach (var s in settings)
        {
            if (!s.Control.IsMenu)
            {
                _unit.QueryOrThrow(Led1Selector, UVC_GET_MIN, data);
                long min = s.Control.Read(data);
                _unit.QueryOrThrow(Led1Selector, UVC_GET_MAX, data);
                long max = s.Control.Read(data);
                if (s.Value < min || s.Value > max)
                    throw new V4l2Exception($"{s.Where} is out of range; {_unit.DevicePath} accepts {min} to {max}");
            }
            int err = _unit.Query(Led1Selector, UVC_GET_CUR, data, out _);
            if (err == 0)
            {
                s.Control.Write(data, s.Value);
                err = _unit.Query(Led1Selector, UVC_SET_CUR, data, out _);
            }
            if (err == 0) err = _unit.Query(Led1Selector, UVC_GET_CUR, data, out _);
            if (err != 0)
            {
                warnings.Add($"{s.Where}: {_unit.DevicePath} refused it: {LinuxError.Name(err)}");
                continue;
            }
            long used = s.Control.Read(data);
            if (used != s.Value)
                warnings.Add($"{s.Location}: {_unit.DevicePath} did not take {s.Control.Name} = {s.Control.Describe(s.Value)}; it uses {s.Control.Describe(used)}");
        }
    }

    /// <summary>Each setting from live GET_CUR/DEF/MIN/MAX; 0 or the errno of the first query that failed.</summary>
    public int States(List<UvcxState> states)
    {
        Span<byte> def = stackalloc byte[Led1Length], min = stackalloc byte[Led1Length];
        Span<byte> max = stackalloc byte[Led1Length], cur = stackalloc byte[Led1Length];
        int err = _unit.Query(Led1Selector, UVC_GET_DEF, def, out _);
        if (err == 0) err = _unit.Query(Led1Selector, UVC_GET_MIN, min, out _);
        if (err == 0) err = _unit.Query(Led1Selector, UVC_GET_MAX, max, out _);
        if (err == 0) err = _unit.Query(Led1Selector, UVC_GET_CUR, cur, out _);
        if (err != 0) return err;
        foreach (var c in Controls) states.Add(new UvcxState(c, c.Read(cur), c.Read(def), c.Read(min), c.Read(max)));
        return 0;
    }

    /// <summary>The -l lines, from live GET_DEF/MIN/MAX/CUR; a control that does not answer is left out with a warning.</summary>
    public void AppendListing(StringBuilder sb, ICollection<string> warnings)
    {
        Span<byte> def = stackalloc byte[Led1Length], min = stackalloc byte[Led1Length];
        Span<byte> max = stackalloc byte[Led1Length], cur = stackalloc byte[Led1Length];
        int err = _unit.Query(Led1Selector, UVC_GET_DEF, def, out _);
        if (err == 0) err = _unit.Query(Led1Selector, UVC_GET_MIN, min, out _);
        if (err == 0) err = _unit.Query(Led1Selector, UVC_GET_MAX, max, out _);
        if (err == 0) err = _unit.Query(Led1Selector, UVC_GET_CUR, cur, out _);
        if (err != 0)
        {
            warnings.Add($"{_unit.DevicePath}: can't read the Logitech LED control: {LinuxError.Name(err)}");
            return;
        }
        foreach (var c in Controls)
            sb.Append(UvcxListing.Line(c, c.Read(cur), c.Read(def), c.Read(min), c.Read(max))).Append('\n');
    }
}
