using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.V4L2;

/// <summary>
/// The controls of one device: enumerated with VIDIOC_QUERY_EXT_CTRL and NEXT_CTRL|NEXT_COMPOUND (VIDIOC_QUERYCTRL
/// on drivers without it), menus via VIDIOC_QUERYMENU, values read and written with the extended-control ioctls
/// (S_CTRL/G_CTRL on drivers without them), and config settings applied by name (compatibility §2, made strict).
/// </summary>
public sealed unsafe class Controls
{
    private const int MaxControls = 4096;
    private const int MaxMenuItems = 1024;

    private readonly VideoDevice _device;
    private readonly List<ControlInfo> _all = new();
    private bool _hasExtCtrls = true;
    private bool _hasQueryExt = true;

    private Controls(VideoDevice device) => _device = device;

    public IReadOnlyList<ControlInfo> All => _all;

    public string DevicePath => _device.Path;

    /// <summary>
    /// Walks every control of the device in driver order; unreadable values add a warning and stay null. Start-up
    /// skips reading values (<paramref name="readValues"/> false): on UVC cameras each read is a USB round trip, and
    /// a wake-up from auto-sleep should reach STREAMON quickly.
    /// </summary>
    public static Controls Enumerate(VideoDevice device, ICollection<string>? warnings = null, bool readValues = true)
    {
        var controls = new Controls(device);
        controls.Walk(warnings, readValues);
        return controls;
    }

    /// <summary>A settable control by config key (classes and disabled controls are not settable).</summary>
    public ControlInfo? Find(string name)
    {
        foreach (var c in _all)
            if (!c.IsClass && !c.IsDisabled && c.Name == name) return c;
        return null;
    }

    public ControlInfo? FindById(uint id)
    {
        foreach (var c in _all)
            if (c.Id == id) return c;
        return null;
    }

    private void Walk(ICollection<string>? warnings, bool readValues)
    {
        uint next = V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CTRL_FLAG_NEXT_COMPOUND;
        uint previous = 0;
        while (_all.Count < MaxControls)
        {
            ControlInfo? c = Query(next);
            if (c is null) break;
            // A driver that does not advance would loop forever.
            if (_all.Count > 0 && c.Id <= previous) break;
            previous = c.Id;
            next = c.Id | V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CTRL_FLAG_NEXT_COMPOUND;
            _all.Add(c);
            if (readValues && (c.IsScalar || c.Type == V4L2_CTRL_TYPE_INTEGER64) && !c.IsWriteOnly)
            {
                int err = Read(c, out long value);
                if (err == 0) c.Value = value;
                else warnings?.Add($"{_device.Path}: can't get control '{c.RawName}' value: {LinuxError.Name(err)}");
            }
        }
    }

    /// <summary>One control by id (or the next one when the id carries NEXT flags); null at the end or on error.</summary>
    private ControlInfo? Query(uint id)
    {
        if (_hasQueryExt)
        {
            v4l2_query_ext_ctrl q = default;
            q.id = id;
            int err = _device.Ioctl(VIDIOC_QUERY_EXT_CTRL, &q);
            if (err == 0) return Build(q.id, q.type, NativeText.Read(q.name, 32), q.minimum, q.maximum, q.step, q.default_value, q.flags);
            if (err != Tmds.Linux.LibC.ENOTTY) return null;
            _hasQueryExt = false;
        }
        v4l2_queryctrl qc = default;
        qc.id = id;
        if (_device.Ioctl(VIDIOC_QUERYCTRL, &qc) != 0) return null;
        return Build(qc.id, qc.type, NativeText.Read(qc.name, 32), qc.minimum, qc.maximum, (ulong)qc.step, qc.default_value, qc.flags);
    }

    private ControlInfo Build(uint id, uint type, string rawName, long min, long max, ulong step, long def, uint flags)
    {
        var menu = type is V4L2_CTRL_TYPE_MENU or V4L2_CTRL_TYPE_INTEGER_MENU ? QueryMenu(id, type, min, max) : Array.Empty<MenuItem>();
        return new ControlInfo
        {
            Id = id, Type = type, RawName = rawName, Name = ControlNames.Normalise(rawName),
            Minimum = min, Maximum = max, Step = step, Default = def, Flags = flags, Menu = menu,
        };
    }

    /// <summary>Every index from minimum to maximum; indices the driver refuses are gaps, skipped (compatibility §1).</summary>
    private MenuItem[] QueryMenu(uint id, uint type, long min, long max)
    {
        var items = new List<MenuItem>();
        if (min < 0) min = 0;
        for (long i = min; i <= max && items.Count < MaxMenuItems; i++)
        {
            v4l2_querymenu m = default;
            m.id = id;
            m.index = (uint)i;
            if (_device.Ioctl(VIDIOC_QUERYMENU, &m) != 0) continue;
            items.Add(type == V4L2_CTRL_TYPE_MENU
                ? new MenuItem((uint)i, NativeText.Read(m.name, 32), i)
                : new MenuItem((uint)i, m.value.ToString(System.Globalization.CultureInfo.InvariantCulture), m.value));
        }
        return items.ToArray();
    }

    /// <summary>Re-reads the flags of one control: INACTIVE changes when, say, an automatic mode is switched off.</summary>
    public void RefreshFlags(ControlInfo c)
    {
        var fresh = Query(c.Id);
        if (fresh is not null && fresh.Id == c.Id) c.Flags = fresh.Flags;
    }

    /// <summary>The current value (menu: index); returns 0 or the errno.</summary>
    public int Read(ControlInfo c, out long value)
    {
        value = 0;
        if (_hasExtCtrls)
        {
            v4l2_ext_control ctrl = default;
            ctrl.id = c.Id;
            v4l2_ext_controls ctrls = default;
            ctrls.which = V4L2_CTRL_WHICH_CUR_VAL;
            ctrls.count = 1;
            ctrls.controls = (ulong)&ctrl;
            int err = _device.Ioctl(VIDIOC_G_EXT_CTRLS, &ctrls);
            if (err == 0)
            {
                value = c.Type == V4L2_CTRL_TYPE_INTEGER64 ? ctrl.value64 : ctrl.value;
                return 0;
            }
            if (err != Tmds.Linux.LibC.ENOTTY) return err;
            _hasExtCtrls = false;
        }
        v4l2_control old = default;
        old.id = c.Id;
        int rc = _device.Ioctl(VIDIOC_G_CTRL, &old);
        value = old.value;
        return rc;
    }

    /// <summary>Writes one value (menu: index; button: any); returns 0 or the errno.</summary>
    public int Write(ControlInfo c, long value)
    {
        if (_hasExtCtrls)
        {
            v4l2_ext_control ctrl = default;
            ctrl.id = c.Id;
            if (c.Type == V4L2_CTRL_TYPE_INTEGER64) ctrl.value64 = value;
            else ctrl.value = (int)value;
            v4l2_ext_controls ctrls = default;
            ctrls.which = V4L2_CTRL_WHICH_CUR_VAL;
            ctrls.count = 1;
            ctrls.controls = (ulong)&ctrl;
            int err = _device.Ioctl(VIDIOC_S_EXT_CTRLS, &ctrls);
            if (err != Tmds.Linux.LibC.ENOTTY) return err;
            _hasExtCtrls = false;
        }
        v4l2_control old = default;
        old.id = c.Id;
        old.value = (int)value;
        return _device.Ioctl(VIDIOC_S_CTRL, &old);
    }

    public int WriteString(ControlInfo c, string value)
    {
        int size = System.Text.Encoding.UTF8.GetByteCount(value) + 1;
        byte* text = stackalloc byte[size];
        NativeText.Write(text, size, value);
        v4l2_ext_control ctrl = default;
        ctrl.id = c.Id;
        ctrl.size = (uint)size;
        ctrl.@string = (ulong)text;
        v4l2_ext_controls ctrls = default;
        ctrls.which = V4L2_CTRL_WHICH_CUR_VAL;
        ctrls.count = 1;
        ctrls.controls = (ulong)&ctrl;
        return _device.Ioctl(VIDIOC_S_EXT_CTRLS, &ctrls);
    }

    /// <summary>
    /// Applies config settings in order. Unknown keys, values of the wrong kind or out of range and read-only
    /// controls throw <see cref="V4l2Exception"/> naming the location and the valid names or values. A control that is
    /// inactive, a write the driver refuses, or a value it adjusts add warnings saying what the device uses.
    /// </summary>
    public void Apply(IReadOnlyList<ControlSetting> settings, ICollection<string> warnings)
    {
        foreach (var setting in settings)
        {
            if (Find(setting.Key) is null && IsOriginalSampleControl(setting.Key))
            {
                warnings.Add($"{setting.Location}: {_device.Path} has no control '{setting.Key}' (the original sample configuration sets it for Raspberry Pi cameras); ignored");
                continue;
            }
            var c = Find(setting.Key) ?? throw new V4l2Exception(
                $"{setting.Location}: {_device.Path} has no control '{setting.Key}'; valid controls: {ValidNames()}");
            var value = ControlValueParser.Parse(c, setting, _device.Path);
            RefreshFlags(c);
            if (c.IsReadOnly)
                throw new V4l2Exception($"{setting.Location}: control '{setting.Key}' of {_device.Path} is read-only and cannot be set");
            if (c.IsInactive)
                warnings.Add($"{setting.Location}: control '{setting.Key}' of {_device.Path} is inactive (another control, such as an automatic mode, overrides it); setting {setting.Value} anyway");

            int err = value.Text is not null ? WriteString(c, value.Text) : Write(c, value.Number);
            if (err != 0)
            {
                warnings.Add($"{setting.Location}: {_device.Path} refused {setting.Key} = {setting.Value}: {LinuxError.Name(err)}");
                continue;
            }
            if (value.Text is not null || c.Type == V4L2_CTRL_TYPE_BUTTON || c.IsWriteOnly) continue;
            if (Read(c, out long used) != 0) continue;
            c.Value = used;
            if (used != value.Number && !c.IsVolatile)
                warnings.Add($"{setting.Location}: {_device.Path} set {setting.Key} to {Describe(c, used)} instead of {setting.Value}");
        }
    }

    /// <summary>
    /// Controls that the original program's sample configuration sets unconditionally. Users copy that file to any
    /// camera, so on devices without them these only warn, as the original did; every other unknown key is an error.
    /// </summary>
    private static bool IsOriginalSampleControl(string key) =>
        key is "h264_profile" or "h264_level" or "h264_i_frame_period";

    /// <summary>A value as the config would write it (menu items by name).</summary>
    public static string Describe(ControlInfo c, long value)
    {
        if (c.IsMenu && c.FindItem(value) is MenuItem item) return item.Name;
        return value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What a config key may name: a writable, enabled control of a type that takes a value.</summary>
    public static bool IsConfigurable(ControlInfo c) => !c.IsDisabled && !c.IsReadOnly && c.Type is V4L2_CTRL_TYPE_INTEGER
        or V4L2_CTRL_TYPE_BOOLEAN or V4L2_CTRL_TYPE_MENU or V4L2_CTRL_TYPE_INTEGER_MENU or V4L2_CTRL_TYPE_INTEGER64
        or V4L2_CTRL_TYPE_STRING or V4L2_CTRL_TYPE_BITMASK;

    private string ValidNames()
    {
        var names = new List<string>();
        foreach (var c in _all)
            if (IsConfigurable(c)) names.Add(c.Name);
        return names.Count == 0 ? "(none)" : string.Join(", ", names);
    }
}
