using System.Text;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Alsa;

/// <summary>
/// The mixer keys of a section with <c>audio = hw:...</c>, set on that card's controls: checked once at start when
/// the card is there, and written each time capture opens the device (so a replugged USB microphone gets its gain
/// back). Every channel of a control gets the value.
/// </summary>
public sealed class MixerSettings
{
    private readonly ILinuxIo _io;
    private readonly AlsaDeviceName _device;
    private readonly string _cardsFile;
    private readonly List<MixerSetting> _settings;

    public MixerSettings(ILinuxIo io, AlsaDeviceName device, IReadOnlyList<MixerSetting> settings,
        string cardsFile = "/proc/asound/cards")
    {
        _io = io;
        _device = device;
        _settings = new List<MixerSetting>(settings);
        _cardsFile = cardsFile;
    }

    /// <summary>The section's keys, then the values changed since (settings over HTTP), one per key.</summary>
    public IReadOnlyList<MixerSetting> Settings => _settings;

    /// <summary>Replaces the setting of the same key, or appends it: the last value set is the one the next open writes.</summary>
    public void Remember(MixerSetting setting)
    {
        for (int i = 0; i < _settings.Count; i++)
        {
            if (_settings[i].Key != setting.Key) continue;
            _settings[i] = setting;
            return;
        }
        _settings.Add(setting);
    }

    private string Component => "ALSA " + _device;

    /// <summary>The card's control node; null when the card is not there now (a card id not in the cards file).</summary>
    public string? ControlPath => _device.Resolve(_cardsFile) is { } pcm ? MixerDevice.ControlPathOf(pcm) : null;

    /// <summary>
    /// Every setting against the open card's controls, before any is written: a key naming no control or a value the
    /// control cannot take throws <see cref="MixerException"/>. Returns the control and value of each setting.
    /// </summary>
    public List<(MixerControl Control, long Value)> Resolve(IReadOnlyList<MixerControl> controls, MixerDevice device)
    {
        var resolved = new List<(MixerControl, long)>(Settings.Count);
        string described = $"{_device} ({device.CardName})";
        foreach (var s in Settings)
        {
            MixerControl? control = null;
            foreach (var c in controls)
                if (c.Key == s.Key) control = c;
            if (control is null)
                throw new MixerException($"{s.Location}: {described} has no mixer control '{s.Key}'; valid mixer controls: {Keys(controls)}");
            resolved.Add((control, MixerValueParser.Parse(control, s, described)));
        }
        return resolved;
    }

    /// <summary>
    /// Checks and writes every setting on the open card; returns its controls with the values read back. Throws
    /// <see cref="MixerException"/> as <see cref="Resolve"/> does; a write the driver refuses is a warning.
    /// </summary>
    public List<MixerControl> Apply(MixerDevice device, List<string> warnings)
    {
        var controls = device.Enumerate();
        foreach (var (control, value) in Resolve(controls, device))
        {
            try
            {
                device.Write(control, value);
            }
            catch (LinuxException e)
            {
                warnings.Add($"cannot set {control.Key}: {e.Message}");
            }
        }
        return controls;
    }

    /// <summary>At start: a card that is there must know every key; one that is not is checked when it appears.</summary>
    public void Check()
    {
        if (Settings.Count == 0 || ControlPath is not { } path) return;
        MixerDevice device;
        try
        {
            device = MixerDevice.Open(_io, path);
        }
        catch (LinuxException e)
        {
            Log.Info(Component, $"mixer not checked now ({e.Message}); its settings are applied when capture opens");
            return;
        }
        using (device) Resolve(device.Enumerate(), device);
    }

    /// <summary>When capture has opened <paramref name="pcmPath"/>: writes the settings, logging what fails.</summary>
    public void ApplyToCardOf(string pcmPath)
    {
        if (Settings.Count > 0 && MixerDevice.ControlPathOf(pcmPath) is { } path) ApplyTo(path);
    }

    /// <summary>Writes the settings to the card if it is there now (a reload), logging what fails.</summary>
    public void ApplyNow()
    {
        if (Settings.Count > 0 && ControlPath is { } path) ApplyTo(path);
    }

    private void ApplyTo(string controlPath)
    {
        var warnings = new List<string>();
        try
        {
            using var device = MixerDevice.Open(_io, controlPath);
            Apply(device, warnings);
            Log.Info(Component, $"mixer: {Settings.Count} setting(s) applied on {controlPath}");
        }
        catch (Exception e) when (e is LinuxException or MixerException)
        {
            warnings.Add(e.Message);
        }
        foreach (var w in warnings) Log.Warning(Component, w);
    }

    private static string Keys(IReadOnlyList<MixerControl> controls)
    {
        var sb = new StringBuilder();
        foreach (var c in controls)
        {
            if (sb.Length > 0) sb.Append(", ");
            sb.Append(c.Key);
        }
        return sb.Length == 0 ? "none" : sb.ToString();
    }
}
