using Fmp4Streamer.Config;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer;

/// <summary>Maps a device section of the configuration to its V4L2 capture chain.</summary>
public static class DeviceSources
{
    public static IVideoSource Create(EventLoop loop, SourceConfig source) =>
        throw new SourceSetupException($"{source.Section}: V4L2 capture is not built yet");
}
