using Fmp4Streamer.Config;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Http;
using Fmp4Streamer.Http.Settings;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Settings;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.V4L2;
using Fmp4Streamer.V4L2.Uvc;

namespace Fmp4Streamer;

/// <summary>
/// SIGHUP: reads the config file again and takes what can change while running. Changed control lines are applied
/// live; a camera whose other keys changed restarts alone (its clients reconnect); server keys read per request
/// (log_level, cors_origin, client limits, persist_controls) are taken, the ones bound at start (listen, port, HLS,
/// RTSP) are logged as needing a restart. An invalid file is logged with its file:line and changes nothing.
/// Cameras added, removed or renamed also need a restart. Runs on the loop thread.
/// </summary>
public sealed class ConfigReloader
{
    private const string Component = "reload";
    private const string Client = "config reload";

    private readonly EventLoop _loop;
    private readonly Func<StreamerConfig> _load;
    private readonly HttpServer _server;
    private readonly IReadOnlyList<StreamHub> _hubs;
    private readonly bool _verbose;
    private readonly Func<StreamerConfig, SettingsFile?> _settingsFile;

    public ConfigReloader(EventLoop loop, StreamerConfig current, Func<StreamerConfig> load, HttpServer server,
        IReadOnlyList<StreamHub> hubs, IReadOnlyList<CameraSettings?> settings, bool verbose,
        Func<StreamerConfig, SettingsFile?> settingsFile)
    {
        _loop = loop;
        Current = current;
        _load = load;
        _server = server;
        _hubs = hubs;
        Settings = new List<CameraSettings?>(settings);
        _verbose = verbose;
        _settingsFile = settingsFile;
    }

    public StreamerConfig Current { get; private set; }

    /// <summary>The kernel seam for sound cards' mixer controls (a simulated card in tests).</summary>
    public ILinuxIo MixerIo { get; init; } = LibcIo.Instance;

    /// <summary>Each stream's settings (null: no device); a restart may give a stream settings or take them away.</summary>
    public List<CameraSettings?> Settings { get; }

    /// <summary>
    /// After a reload was taken, with the new configuration: other parts that read the file (a user table) read it
    /// again here.
    /// </summary>
    public event Action<StreamerConfig>? Reloaded;

    /// <summary>Returns false when the file was invalid and nothing changed.</summary>
    public bool Reload()
    {
        StreamerConfig next;
        try
        {
            next = _load();
            Streamer.CheckStreamNames(next);
        }
        catch (ConfigException e)
        {
            Log.Error(Component, $"{e.Message}; keeping the running configuration");
            return false;
        }

        int restarted = 0, controls = 0;
        for (int i = 0; i < _hubs.Count; i++)
        {
            var old = Current.Sources[i];
            var fresh = Find(next, old.Section);
            if (fresh is null || fresh.Name != old.Name)
            {
                Log.Warning(Component, $"[{old.Section}] was removed or renamed: that takes a restart; it keeps running as before");
                continue;
            }
            controls += ApplyMixer(i, old, fresh);
            if (SameStart(old, fresh) && !UvcxChanged(old, fresh))
            {
                controls += ApplyControls(i, old, fresh);
                continue;
            }
            if (Restart(i, next.Server, fresh)) restarted++;
        }
        foreach (var source in next.Sources)
            if (Find(Current, source.Section) is null)
                Log.Warning(Component, $"[{source.Section}] is new: adding a camera takes a restart");

        TakeServerKeys(next);
        Current = next with { Sources = MergeSources(next) };
        Log.Info(Component, $"reloaded {next.FileName}: {restarted} camera(s) restarted, {controls} control(s) changed");
        Reloaded?.Invoke(next);
        return true;
    }

    /// <summary>The running sources, each replaced by its new section when that was taken.</summary>
    private List<SourceConfig> MergeSources(StreamerConfig next)
    {
        var merged = new List<SourceConfig>(Current.Sources.Count);
        foreach (var old in Current.Sources)
            merged.Add(Find(next, old.Section) is { } fresh && fresh.Name == old.Name ? fresh : old);
        return merged;
    }

    private static SourceConfig? Find(StreamerConfig config, string section)
    {
        foreach (var s in config.Sources)
            if (s.Section == section) return s;
        return null;
    }

    /// <summary>Everything a camera reads when it starts, apart from control lines and where the keys were written.</summary>
    internal static bool SameStart(SourceConfig a, SourceConfig b) => Strip(a) == Strip(b);

    private static readonly IReadOnlyDictionary<string, ConfigEntry> s_noEntries = new Dictionary<string, ConfigEntry>();

    private static SourceConfig Strip(SourceConfig s) => s with
    {
        Controls = Array.Empty<ConfigEntry>(), Mixer = Array.Empty<ConfigEntry>(), DecoderControls = Array.Empty<ConfigEntry>(), EncoderControls = Array.Empty<ConfigEntry>(),
        Entries = s_noEntries, Location = default,
    };

    /// <summary>The UVC H.264 unit's configuration is committed before streaming: a change restarts the camera.</summary>
    private static bool UvcxChanged(SourceConfig a, SourceConfig b)
    {
        var before = new Dictionary<string, string>();
        foreach (var e in a.Controls)
            if (IsH264UnitKey(e.Key)) before[e.Key] = e.Value;
        int count = 0;
        foreach (var e in b.Controls)
        {
            if (!IsH264UnitKey(e.Key)) continue;
            count++;
            if (!before.TryGetValue(e.Key, out var value) || value != e.Value) return true;
        }
        return count != before.Count;
    }

    private static bool IsH264UnitKey(string key) => key.StartsWith("uvcx_h264_", StringComparison.Ordinal);

    private int ApplyControls(int index, SourceConfig old, SourceConfig fresh)
    {
        var changes = new List<SettingChange>();
        Changed(old.Controls, fresh.Controls, "", changes);
        Changed(old.DecoderControls, fresh.DecoderControls, "decoder.", changes);
        Changed(old.EncoderControls, fresh.EncoderControls, "encoder.", changes);
        if (changes.Count == 0) return 0;
        if (Settings[index] is not { } settings) return 0;
        return settings.ApplyFromConfig(changes, Client);
    }

    /// <summary>
    /// Changed mixer lines are written to the card now, and the whole new set at every later open of the device.
    /// Returns how many were written.
    /// </summary>
    private int ApplyMixer(int index, SourceConfig old, SourceConfig fresh)
    {
        if (_hubs[index].Audio?.Source is not Fmp4Streamer.Alsa.AlsaCaptureSource alsa || old.Audio != fresh.Audio) return 0;
        var changed = new List<ConfigEntry>();
        foreach (var e in fresh.Mixer)
        {
            string? was = null;
            foreach (var b in old.Mixer)
                if (b.Key == e.Key) was = b.Value;
            if (was != e.Value) changed.Add(e);
        }
        // No line changed and as many lines: the same set (a removed line keeps the card's value, as for controls).
        if (changed.Count == 0 && old.Mixer.Count == fresh.Mixer.Count) return 0;
        var name = Fmp4Streamer.Alsa.AlsaDeviceName.TryParse(fresh.Audio!, out _);
        if (name is null) return 0;
        alsa.Mixer = fresh.Mixer.Count == 0 ? null
            : new Fmp4Streamer.Alsa.MixerSettings(MixerIo, name, DeviceSources.MixerSettings(fresh.Mixer));
        if (changed.Count == 0) return 0;
        new Fmp4Streamer.Alsa.MixerSettings(MixerIo, name, DeviceSources.MixerSettings(changed)).ApplyNow();
        return changed.Count;
    }

    private static void Changed(IReadOnlyList<ConfigEntry> before, IReadOnlyList<ConfigEntry> after, string prefix, List<SettingChange> changes)
    {
        foreach (var e in after)
        {
            if (IsH264UnitKey(e.Key)) continue;
            string? was = null;
            foreach (var b in before)
                if (b.Key == e.Key) was = b.Value;
            if (was != e.Value) changes.Add(new SettingChange(prefix + e.Key, e.Value));
        }
    }

    /// <summary>Replaces stream <paramref name="index"/>'s source; a section that cannot start keeps the old one.</summary>
    private bool Restart(int index, ServerConfig server, SourceConfig fresh)
    {
        var hub = _hubs[index];
        IVideoSource source;
        try
        {
            source = Streamer.CreateSource(_loop, fresh, probe: false);
        }
        catch (Exception e) when (e is ConfigException or SourceSetupException)
        {
            Log.Error(Component, $"{e.Message}; [{fresh.Section}] keeps running as before");
            return false;
        }
        Log.Info(hub.Name, $"configuration changed: restarting as {source.Description}");
        hub.ReplaceSource(source, Streamer.HubOptions(server, fresh));
        if (source is CameraSource camera)
        {
            var devices = CameraSettingsFactory.Devices(camera, fresh);
            if (Settings[index] is { } settings) settings.Devices = devices;
            else Settings[index] = new CameraSettings(hub.Name, LibcIo.Instance, devices, _settingsFile(Current));
            Settings[index]!.Microphone = CameraSettingsFactory.Microphone(hub, fresh, MixerIo);
        }
        else
        {
            Settings[index] = null;
        }
        _server.ServeSettings(index, Settings[index]);
        return true;
    }

    private void TakeServerKeys(StreamerConfig next)
    {
        var before = Current.Server;
        var after = next.Server;
        if (!_verbose) Log.Threshold = after.LogLevel;
        _server.Reconfigure(Streamer.ServerOptions(after));
        if (after.Priority != before.Priority && !ProcessPriority.TrySet(after.Priority))
            Log.Warning(Component, $"cannot set priority {after.Priority}: {LinuxError.Name(LinuxError.Last)}");
        var file = _settingsFile(next);
        foreach (var settings in Settings)
            if (settings is not null) settings.File = file;
        foreach (var key in BoundAtStart(before, after))
            Log.Warning(Component, $"{key} changed: that takes a restart; the running value stays");
    }

    private static IEnumerable<string> BoundAtStart(ServerConfig a, ServerConfig b)
    {
        if (a.Listen != b.Listen) yield return ConfigKeys.Listen.Name;
        if (a.Port != b.Port) yield return ConfigKeys.Port.Name;
        if (a.RtspPort != b.RtspPort) yield return ConfigKeys.RtspPort.Name;
        if (a.RtspMtu != b.RtspMtu) yield return ConfigKeys.RtspMtu.Name;
        if (a.RtspUdpPorts != b.RtspUdpPorts) yield return ConfigKeys.RtspUdpPorts.Name;
        if (a.HlsSegmentDuration != b.HlsSegmentDuration) yield return ConfigKeys.HlsSegmentDuration.Name;
        if (a.HlsWindow != b.HlsWindow) yield return ConfigKeys.HlsWindow.Name;
        if (a.HlsPartDuration != b.HlsPartDuration) yield return ConfigKeys.HlsPartDuration.Name;
    }
}
