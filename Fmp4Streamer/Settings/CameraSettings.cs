using Fmp4Streamer.Alsa;
using Fmp4Streamer.Config;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Http.Settings;
using Fmp4Streamer.Linux;
using Fmp4Streamer.V4L2;
using Fmp4Streamer.V4L2.Uvc;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.Settings;

/// <summary>
/// The controls of one camera's chain (camera, decoder, encoder) over HTTP: described from the devices themselves and
/// changed live through the extended-control ioctls, each value read back. While the chain sleeps the camera node is
/// opened just for the request; a closed M2M device only remembers the value for its next open. Every change is
/// remembered for later opens, logged, and saved to the config file through <see cref="SettingsFile"/>. A camera with
/// <c>audio = hw:...</c> also lists its sound card's mixer controls (mixer_ keys), set the same way.
/// </summary>
public sealed class CameraSettings : ICameraSettings
{
    private readonly ILinuxIo _io;
    private readonly string _component;
    private SettingsFile? _file;

    /// <param name="devices">The chain; the first is the camera.</param>
    /// <param name="file">Where changes are saved; null keeps them in memory (persist_controls = no).</param>
    public CameraSettings(string streamName, ILinuxIo io, IReadOnlyList<SettingsDevice> devices, SettingsFile? file)
    {
        _io = io;
        _component = "settings " + streamName;
        Devices = devices;
        _file = file;
    }

    /// <summary>The chain; replaced when a reload restarts the camera with another chain.</summary>
    public IReadOnlyList<SettingsDevice> Devices { get; set; }

    /// <summary>The sound card of the camera's audio = hw:... device; null without one.</summary>
    public SettingsMicrophone? Microphone { get; set; }

    /// <summary>Where changes are saved (null: kept in memory); a reload may switch persist_controls.</summary>
    public SettingsFile? File
    {
        get => _file;
        set => _file = value;
    }

    public void WriteControls(JsonWriter json)
    {
        json.Bool("persist", _file is not null);
        json.BeginArray("devices");
        foreach (var device in Devices)
        {
            using var session = DeviceSession.Open(_io, device);
            if (device.SysfsRoot is string sysfs && session.Handle is VideoDevice handle)
                session.Describe(json, j => ExtensionUnitDescriptions.Write(j, handle, sysfs));
            else session.Describe(json);
        }
        if (Microphone is { } microphone)
        {
            using var mixer = MixerSession.Open(microphone);
            MixerDescriptions.Write(json, mixer);
        }
        json.EndArray();
    }

    public bool Apply(IReadOnlyList<SettingChange> changes, string client, JsonWriter json, out IPendingSave? save) =>
        Apply(changes, client, json, persist: true, null, out save);

    /// <summary>
    /// A reload's changed control lines, applied live like a request but not saved (they come from the file), each
    /// refusal logged as a warning. Returns the number applied.
    /// </summary>
    public int ApplyFromConfig(IReadOnlyList<SettingChange> changes, string client)
    {
        var refusals = new List<string>();
        var json = new JsonWriter().BeginObject();
        Apply(changes, client, json, persist: false, refusals, out _);
        foreach (var refusal in refusals) Log.Warning(_component, $"{client}: {refusal}");
        return changes.Count - refusals.Count;
    }

    private bool Apply(IReadOnlyList<SettingChange> changes, string client, JsonWriter json, bool persist, List<string>? refusals,
        out IPendingSave? save)
    {
        save = null;
        var sessions = new Dictionary<SettingsDevice, DeviceSession>();
        var saved = new List<SettingsFile.Change>();
        MixerSession? mixer = null;
        bool all = true;
        try
        {
            json.BeginArray("results");
            foreach (var change in changes)
            {
                json.BeginObject().String("key", change.Key);
                bool ok = MixerNames.IsMixerKey(change.Key)
                    ? TryApplyMixer(change, client, ref mixer, saved, json, out string error)
                    : TryApply(change, client, sessions, saved, json, out error);
                if (ok)
                {
                    json.Bool("ok", true);
                }
                else
                {
                    all = false;
                    json.Bool("ok", false).String("error", error);
                    refusals?.Add(change.Key + ": " + error);
                }
                json.EndObject();
            }
            json.EndArray();
        }
        finally
        {
            foreach (var session in sessions.Values) session.Dispose();
            mixer?.Dispose();
        }
        if (!persist || saved.Count == 0) json.Bool("saved", false);
        else if (_file is null) json.Bool("saved", false).String("saved_reason", "persist_controls = no: kept until the daemon stops");
        else save = new PendingSave(_file, saved, _component);
        return all;
    }

    private bool TryApply(SettingChange change, string client, Dictionary<SettingsDevice, DeviceSession> sessions,
        List<SettingsFile.Change> saved, JsonWriter json, out string error)
    {
        if (RestartOnly(change.Key) is string why)
        {
            error = why;
            return false;
        }
        if (UvcExtensions.IsUvcxKey(change.Key)) return TryApplyExtensionUnit(change, client, sessions, saved, json, out error);
        if (!TryFind(change.Key, sessions, out var session, out var control, out error)) return false;
        var device = session.Device;
        string path = device.Path;
        if (!ControlDescriptions.IsSettable(control) || control.IsReadOnly)
        {
            error = $"'{control.Name}' of {path} is read-only";
            return false;
        }
        if (control.IsInactive)
        {
            error = $"'{control.Name}' of {path} is inactive now: another control (such as an automatic mode) overrides it";
            return false;
        }
        if (session.IsLive && (control.Flags & V4L2_CTRL_FLAG_GRABBED) != 0)
        {
            error = $"'{control.Name}' of {path} cannot change while streaming; set it in the config file and reload";
            return false;
        }
        if (control.Type == V4L2_CTRL_TYPE_BUTTON)
        {
            if (!session.Applies)
            {
                error = $"{path} is not running; '{control.Name}' is a button and only acts on a running device";
                return false;
            }
            int pressErr = session.Controls!.Write(control, 0);
            if (pressErr != 0)
            {
                error = $"{path} refused '{control.Name}': {LinuxError.Name(pressErr)}";
                return false;
            }
            Log.Info(_component, $"{client}: pressed {control.Name} of {path}");
            return true;
        }
        if (!ControlRequestValue.TryParse(control, control.Name, change.Value, path, out var value, out bool clamped, out error)) return false;

        long used = value.Number;
        bool readBack = false;
        if (session.Applies)
        {
            int err = value.Text is not null ? session.Controls!.WriteString(control, value.Text) : session.Controls!.Write(control, value.Number);
            if (err != 0)
            {
                error = $"{path} refused {control.Name} = {change.Value}: {LinuxError.Name(err)}";
                return false;
            }
            if (value.Text is null && !control.IsWriteOnly && session.Controls.Read(control, out long fromDevice) == 0)
            {
                used = fromDevice;
                readBack = true;
            }
        }
        // The driver rounds to the step and clamps, too: compare what it kept with what was asked.
        bool adjusted = clamped || (value.Text is null && used != value.Number);
        string text = ControlRequestValue.ConfigText(control, used, value.Text);
        device.Remember(new ControlSetting(control.Name, text, "settings"));
        if (control.Type != V4L2_CTRL_TYPE_BUTTON) saved.Add(new SettingsFile.Change(device.Section, control.Name, text));

        json.String("name", control.Name).String("device", path);
        if (value.Text is not null) json.String("value", value.Text);
        else json.Number("value", used);
        json.Bool("clamped", adjusted);
        if (adjusted) json.String("requested", change.Value);
        json.Bool("live", session.Applies);
        if (!readBack && value.Text is null) json.Bool("read_back", false);
        string was = control.Value is long old ? ControlRequestValue.ConfigText(control, old, null) : "?";
        control.Value = used;
        Log.Info(_component, $"{client}: {control.Name} = {text} on {path} (was {was}" +
            (adjusted ? $", asked {change.Value}" : "") + (session.Applies ? ")" : "; applied at the next start)"));
        return true;
    }

    /// <summary>A mixer_ key: the card is opened once for the request, at its first mixer key.</summary>
    private bool TryApplyMixer(SettingChange change, string client, ref MixerSession? mixer, List<SettingsFile.Change> saved,
        JsonWriter json, out string error)
    {
        if (Microphone is not { } microphone)
        {
            error = $"unknown control '{change.Key}': mixer keys set the controls of the camera's audio = hw:... device, and it has none";
            return false;
        }
        mixer ??= MixerSession.Open(microphone);
        return MixerRequests.TryApply(mixer, change, client, _component, saved, json, out error);
    }

    /// <summary>
    /// A uvcx_ key. The Logitech LED is set live through its extension unit request (read-modify-write, read back). The
    /// H.264 unit's configuration is committed before each STREAMON (a camera takes it when a stream starts; changes
    /// while streaming belong to other, runtime requests): on a camera that is not streaming it is committed now and
    /// read back through the probe; while streaming it is kept for the next start. Either way it is remembered for
    /// every later start and saved.
    /// </summary>
    private bool TryApplyExtensionUnit(SettingChange change, string client, Dictionary<SettingsDevice, DeviceSession> sessions,
        List<SettingsFile.Change> saved, JsonWriter json, out string error)
    {
        var device = Devices[0];
        var control = UvcH264Extension.Find(change.Key) ?? LogitechLedExtension.Find(change.Key);
        if (control is null)
        {
            error = $"unknown control '{change.Key}'; controls.json lists the names";
            return false;
        }
        if (UvcH264Extension.IsFormat(control))
        {
            error = $"'{change.Key}' is part of the stream's format: set it in the config file and reload (SIGHUP)";
            return false;
        }
        if (!ExtensionUnitDescriptions.TryParse(control, change.Value, out long value, out error)) return false;
        if (!sessions.TryGetValue(device, out var session))
        {
            session = DeviceSession.Open(_io, device);
            sessions[device] = session;
        }
        if (session.Handle is null || session.Controls is null)
        {
            error = session.Error ?? $"{device.Path} cannot be opened";
            return false;
        }
        var warnings = new List<string>();
        long used = value;
        bool clamped = false;
        bool live = true;
        try
        {
            var extensions = UvcExtensions.Open(session.Handle, device.SysfsRoot ?? "/", warnings);
            if (control.Name.StartsWith("uvcx_h264_", StringComparison.Ordinal))
            {
                if (extensions.H264 is not { } h264)
                {
                    error = $"{device.Path} has no UVC H.264 extension unit";
                    return false;
                }
                if (session.IsLive)
                {
                    live = false;
                    foreach (var state in h264.States())
                        if (state.Control == control && !control.IsMenu) used = Math.Clamp(value, state.Minimum, state.Maximum);
                    clamped = used != value;
                }
                else
                {
                    int err = h264.Set(control, value, out used, out clamped);
                    if (err != 0)
                    {
                        error = $"{device.Path}'s H.264 extension unit refused {change.Key} = {change.Value.Trim()}: {LinuxError.Name(err)}";
                        return false;
                    }
                }
            }
            else
            {
                if (extensions.Led is null)
                {
                    error = $"{device.Path} has no Logitech LED extension unit";
                    return false;
                }
                var setting = new ControlSetting(change.Key, control.Describe(value), "request");
                extensions.Apply([setting], warnings);
                if (warnings.Count > 0)
                {
                    error = warnings[^1].StartsWith("request: ", StringComparison.Ordinal) ? warnings[^1]["request: ".Length..] : warnings[^1];
                    return false;
                }
            }
        }
        catch (Exception e) when (e is V4l2Exception or LinuxException)
        {
            error = e.Message.StartsWith("request: ", StringComparison.Ordinal) ? e.Message["request: ".Length..] : e.Message;
            return false;
        }
        string text = control.Describe(used);
        device.Remember(new ControlSetting(change.Key, text, "settings"));
        saved.Add(new SettingsFile.Change(device.Section, change.Key, text));
        bool adjusted = clamped || used != value;
        json.String("name", change.Key).String("device", device.Path).Number("value", used).Bool("clamped", adjusted);
        if (adjusted) json.String("requested", change.Value);
        json.Bool("live", live);
        if (!live) json.String("note", "the camera is streaming: its H.264 unit takes the configuration when the stream next starts");
        Log.Info(_component, $"{client}: {change.Key} = {text} on {device.Path}" + (adjusted ? $" (asked {change.Value})" : "")
            + (live ? "" : " (streaming: used from the next start)"));
        error = "";
        return true;
    }

    /// <summary>Config keys are read when a camera starts: a request cannot change them.</summary>
    private static string? RestartOnly(string key)
    {
        var row = ConfigKeys.Find(key);
        if (row is null) return null;
        return row.Scope == ConfigScope.Server
            ? $"'{key}' is a server setting: change it in the config file and reload (SIGHUP)"
            : $"'{key}' is read when the camera starts: change it in the config file and reload (SIGHUP) to restart the camera with it";
    }

    /// <summary>"encoder.name" on that device; a plain name on the camera, else the first device of the chain that has it.</summary>
    private bool TryFind(string key, Dictionary<SettingsDevice, DeviceSession> sessions, out DeviceSession session,
        out ControlInfo control, out string error)
    {
        session = null!;
        control = null!;
        error = "";
        string name = key;
        SettingsDevice? only = null;
        int dot = key.IndexOf('.');
        if (dot > 0)
        {
            string role = key[..dot];
            foreach (var d in Devices)
                if (d.Role == role) only = d;
            if (only is null)
            {
                error = $"unknown control '{key}': this camera has no {role}";
                return false;
            }
            name = key[(dot + 1)..];
        }
        foreach (var device in Devices)
        {
            if (only is not null && device != only) continue;
            if (!sessions.TryGetValue(device, out var s))
            {
                s = DeviceSession.Open(_io, device);
                sessions[device] = s;
            }
            if (s.Controls?.Find(name) is ControlInfo found)
            {
                session = s;
                control = found;
                return true;
            }
            if (only is not null && s.Error is not null)
            {
                error = s.Error;
                return false;
            }
        }
        string? failed = null;
        foreach (var s in sessions.Values) failed ??= s.Error;
        error = failed is not null
            ? $"unknown control '{key}' ({failed})"
            : $"unknown control '{key}'; controls.json lists the names";
        return false;
    }
}
