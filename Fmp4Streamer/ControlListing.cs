using Fmp4Streamer.Cli;
using Fmp4Streamer.Config;

namespace Fmp4Streamer;

/// <summary>-l: prints the controls of every configured device.</summary>
public static class ControlListing
{
    public static int Print(StreamerConfig config, string configPath)
    {
        Console.Error.WriteLine("fmp4streamer: -l needs V4L2 devices, which this build cannot list yet");
        return ExitCodes.Device;
    }
}
