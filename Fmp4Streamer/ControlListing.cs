using Fmp4Streamer.Alsa;
using Fmp4Streamer.Cli;
using Fmp4Streamer.Config;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.V4L2;

namespace Fmp4Streamer;

/// <summary>
/// -l: prints the controls of every configured V4L2 device in the original's format, and after a stream's devices
/// the mixer controls of its sound card (audio = hw:...).
/// </summary>
public static class ControlListing
{
    public static int Print(StreamerConfig config, string configPath) =>
        Print(config, configPath, LibcIo.Instance, Console.Out);

    /// <summary>The listing through <paramref name="io"/> (a simulated driver in tests); returns the exit code.</summary>
    public static int Print(StreamerConfig config, string configPath, ILinuxIo io, TextWriter output, string sysfsRoot = "/",
        string cardsFile = "/proc/asound/cards")
    {
        bool any = false;
        foreach (var source in config.Sources) any |= source.Kind == SourceKind.Device || source.Audio is not null;
        if (!any)
        {
            Log.Error("fmp4streamer", "-l: the configuration has no V4L2 device section and no audio device");
            return ExitCodes.Device;
        }
        try
        {
            foreach (var source in config.Sources)
            {
                foreach (var d in DevicesOf(source))
                {
                    ControlLister.PrintDevice(output, io, d.Path, d.Settings, sysfsRoot, d.HasExtensionUnits);
                    output.Write('\n');
                }
                if (source.Audio is null) continue;
                PrintMixer(output, io, source, cardsFile);
                output.Write('\n');
            }
            ControlLister.PrintFooter(output, configPath);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is V4l2Exception or LinuxException or MixerException or ConfigException)
        {
            output.Flush();
            Log.Error("fmp4streamer", e.Message);
            return e is ConfigException ? ExitCodes.Usage : ExitCodes.Device;
        }
    }

    /// <summary>The sound card of <paramref name="source"/>'s audio device, with the section's mixer keys applied first.</summary>
    private static void PrintMixer(TextWriter output, ILinuxIo io, SourceConfig source, string cardsFile)
    {
        var name = AlsaDeviceName.TryParse(source.Audio!, out string error)
            ?? throw source.Error(ConfigKeys.Audio.Name, $"'{source.Audio}' {error}");
        var mixer = new MixerSettings(io, name, DeviceSources.MixerSettings(source.Mixer), cardsFile);
        string path = mixer.ControlPath
            ?? throw new MixerException($"{source.Audio}: card '{name.CardId}' is not in {cardsFile} (unplugged?)");
        using var device = MixerDevice.Open(io, path);
        var warnings = new List<string>();
        mixer.Apply(device, warnings);
        foreach (var w in warnings) Log.Warning("ALSA " + name, w);
        // Read anew: a write may change other controls' flags (snd-dummy's I/O box makes its CD controls inactive).
        var controls = device.Enumerate();
        MixerLister.Print(output, source.Audio!, device, controls);
    }

    /// <summary>
    /// Per device section: the camera, then the decoder and the encoder when the chain uses them (compatibility §1;
    /// the same rule as start-up, so an H264 camera's unused encoder is not listed), each with its own section's controls.
    /// </summary>
    public static List<ListedDevice> Devices(StreamerConfig config)
    {
        var devices = new List<ListedDevice>();
        foreach (var source in config.Sources) devices.AddRange(DevicesOf(source));
        return devices;
    }

    private static List<ListedDevice> DevicesOf(SourceConfig source)
    {
        var devices = new List<ListedDevice>();
        if (source.Kind != SourceKind.Device) return devices;
        devices.Add(new ListedDevice(source.DevicePath!, DeviceSources.ControlSettings(source.Controls)));
        if (DeviceSources.DecoderStage(source) is { } decoder)
            devices.Add(new ListedDevice(decoder.DevicePath, decoder.Controls, HasExtensionUnits: false));
        if (DeviceSources.EncoderStage(source) is { } encoder)
            devices.Add(new ListedDevice(encoder.DevicePath, encoder.Controls, HasExtensionUnits: false));
        return devices;
    }
}
