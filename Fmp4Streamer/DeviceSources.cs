using Fmp4Streamer.Config;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.V4L2;

namespace Fmp4Streamer;

/// <summary>Maps a device section of the configuration to its V4L2 capture chain.</summary>
public static class DeviceSources
{
    /// <summary>
    /// Builds the camera and checks it once against the device (capabilities, format, controls). What no retry can
    /// fix throws <see cref="SourceSetupException"/>; a camera that is missing or busy now is waited for.
    /// </summary>
    public static IVideoSource Create(EventLoop loop, SourceConfig source)
    {
        string path = source.DevicePath!;
        try
        {
            var camera = new CameraSource(loop, LibcIo.Instance, new CameraOptions(path, source.Width, source.Height,
                source.Fps, source.IsMjpgH264 ? source.CaptureFormat : source.CaptureFourCC,
                ControlSettings(source.Controls)));
            camera.Probe();
            return camera;
        }
        catch (V4l2Exception e)
        {
            throw new SourceSetupException(e.Message, e);
        }
    }

    /// <summary>The section's control keys as the V4L2 layer takes them (uvcx_ keys go to the extension units).</summary>
    public static IReadOnlyList<ControlSetting> ControlSettings(IReadOnlyList<ConfigEntry> entries)
    {
        var settings = new List<ControlSetting>(entries.Count);
        foreach (var entry in entries) settings.Add(new ControlSetting(entry.Key, entry.Value, entry.Location.ToString()));
        return settings;
    }
}
