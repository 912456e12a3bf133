using Fmp4Streamer.Cli;
using Fmp4Streamer.Config;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.V4L2;

namespace Fmp4Streamer;

/// <summary>-l: prints the controls of every configured V4L2 device in the original's format.</summary>
public static class ControlListing
{
    public static int Print(StreamerConfig config, string configPath) =>
        Print(config, configPath, LibcIo.Instance, Console.Out);

    /// <summary>The listing through <paramref name="io"/> (a simulated driver in tests); returns the exit code.</summary>
    public static int Print(StreamerConfig config, string configPath, ILinuxIo io, TextWriter output, string sysfsRoot = "/")
    {
        var devices = Devices(config);
        if (devices.Count == 0)
        {
            Log.Error("fmp4streamer", "-l: the configuration has no V4L2 device section");
            return ExitCodes.Device;
        }
        try
        {
            ControlLister.Print(output, io, devices, configPath, sysfsRoot);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is V4l2Exception or LinuxException)
        {
            output.Flush();
            Log.Error("fmp4streamer", e.Message);
            return ExitCodes.Device;
        }
    }

    /// <summary>
    /// Per device section: the camera, then the decoder and the encoder when the chain uses them (compatibility §1;
    /// the same rule as start-up, so an H264 camera's unused encoder is not listed), each with its own section's controls.
    /// </summary>
    public static List<ListedDevice> Devices(StreamerConfig config)
    {
        var devices = new List<ListedDevice>();
        foreach (var source in config.Sources)
        {
            if (source.Kind != SourceKind.Device) continue;
            devices.Add(new ListedDevice(source.DevicePath!, DeviceSources.ControlSettings(source.Controls)));
            if (DeviceSources.DecoderStage(source) is { } decoder)
                devices.Add(new ListedDevice(decoder.DevicePath, decoder.Controls, HasExtensionUnits: false));
            if (DeviceSources.EncoderStage(source) is { } encoder)
                devices.Add(new ListedDevice(encoder.DevicePath, encoder.Controls, HasExtensionUnits: false));
        }
        return devices;
    }
}
