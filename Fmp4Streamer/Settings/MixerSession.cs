using Fmp4Streamer.Alsa;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Settings;

/// <summary>
/// The microphone's sound card for the length of one settings request: its control node opened and its mixer controls
/// enumerated with their values, closed after the request. A card that is not there leaves an error instead.
/// </summary>
internal sealed class MixerSession : IDisposable
{
    private MixerSession(SettingsMicrophone microphone, string? path, MixerDevice? device, List<MixerControl> controls, string? error)
    {
        Microphone = microphone;
        Path = path;
        Device = device;
        Controls = controls;
        Error = error;
    }

    public SettingsMicrophone Microphone { get; }

    /// <summary>The control node; null while the card is not plugged in.</summary>
    public string? Path { get; }
    public MixerDevice? Device { get; }
    public List<MixerControl> Controls { get; }
    public string? Error { get; }

    public static MixerSession Open(SettingsMicrophone microphone)
    {
        if (microphone.ControlPath() is not string path)
            return new MixerSession(microphone, null, null, [], $"the sound card of audio = {microphone.Audio} is not plugged in");
        MixerDevice? device = null;
        try
        {
            device = MixerDevice.Open(microphone.Io, path);
            return new MixerSession(microphone, path, device, device.Enumerate(), null);
        }
        catch (LinuxException e)
        {
            device?.Dispose();
            return new MixerSession(microphone, path, null, [], $"the sound card of audio = {microphone.Audio} cannot be read: {e.Message}");
        }
    }

    public MixerControl? Find(string key)
    {
        foreach (var c in Controls)
            if (c.Key == key) return c;
        return null;
    }

    public void Dispose() => Device?.Dispose();
}
