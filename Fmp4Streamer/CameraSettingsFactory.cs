using Fmp4Streamer.Alsa;
using Fmp4Streamer.Config;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Settings;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.V4L2;

namespace Fmp4Streamer;

/// <summary>Maps a camera's chain (the same devices -l lists) to the settings served over HTTP.</summary>
public static class CameraSettingsFactory
{
    /// <summary>Camera, then decoder and encoder when the chain uses them; each writes its controls in its own section.</summary>
    public static List<SettingsDevice> Devices(CameraSource camera, SourceConfig source)
    {
        var devices = new List<SettingsDevice>
        {
            new()
            {
                Role = "camera", Path = camera.Options.DevicePath, Section = source.Section, PerContext = false,
                SysfsRoot = camera.Options.SysfsRoot,
                Live = () => camera.Device, Remember = camera.RememberControl, Remembered = () => camera.ControlSettings,
            },
        };
        if (camera.Decoder is { } decoder) devices.Add(Stage("decoder", decoder));
        if (camera.Encoder is { } encoder) devices.Add(Stage("encoder", encoder));
        return devices;
    }

    private static SettingsDevice Stage(string role, V4L2.M2M.M2MStage stage) => new()
    {
        Role = role, Path = stage.Options.DevicePath, Section = stage.Options.DevicePath, PerContext = true,
        Live = () => stage.Device, Remember = stage.RememberControl, Remembered = () => stage.ControlSettings,
    };

    /// <summary>
    /// Where changes are saved: the config file the daemon read, unless persist_controls = no or there is none (built-in
    /// defaults, --test-pattern).
    /// </summary>
    public static SettingsFile? File(StreamerConfig config, string configPath)
    {
        if (!config.Server.PersistControls || config.FileName == StreamerConfig.BuiltInFile || !System.IO.File.Exists(configPath)) return null;
        return new SettingsFile(configPath);
    }

    /// <summary>
    /// The sound card the stream captures from with audio = hw:...: its mixer controls join the camera's, and a changed
    /// value is written again at each capture open. Null for any other sound (or none).
    /// </summary>
    /// <param name="io">The card's kernel interface (a simulated card in tests).</param>
    public static SettingsMicrophone? Microphone(StreamHub hub, SourceConfig source, ILinuxIo? io = null) =>
        hub.Audio?.Source is AlsaCaptureSource alsa && source.Audio is string audio
            ? new SettingsMicrophone
            {
                Audio = audio, Section = source.Section, Io = io ?? LibcIo.Instance,
                ControlPath = () => alsa.ControlPath, Remember = alsa.RememberMixer,
            }
            : null;

    public static CameraSettings Create(StreamHub hub, CameraSource camera, SourceConfig source, SettingsFile? file) =>
        new(hub.Name, LibcIo.Instance, Devices(camera, source), file) { Microphone = Microphone(hub, source) };
}
