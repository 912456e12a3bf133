using Fmp4Streamer.Cli;
using Fmp4Streamer.Config;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.V4L2;

namespace Fmp4Streamer;

/// <summary>-l: prints the controls of every configured V4L2 device in the original's format.</summary>
public static class ControlListing
{
    public static int Print(StreamerConfig config, string configPath)
    {
        var devices = new List<ListedDevice>();
        foreach (var source in config.Sources)
        {
            if (source.Kind != SourceKind.Device) continue;
            devices.Add(new ListedDevice(source.DevicePath!, DeviceSources.ControlSettings(source.Controls)));
        }
        if (devices.Count == 0)
        {
            Log.Error("fmp4streamer", "-l: the configuration has no V4L2 device section");
            return ExitCodes.Device;
        }
        try
        {
            ControlLister.Print(Console.Out, LibcIo.Instance, devices, configPath);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is V4l2Exception or LinuxException)
        {
            Console.Out.Flush();
            Log.Error("fmp4streamer", e.Message);
            return ExitCodes.Device;
        }
    }
}
