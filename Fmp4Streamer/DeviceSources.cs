using Fmp4Streamer.Config;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.V4L2;
using Fmp4Streamer.V4L2.M2M;

namespace Fmp4Streamer;

/// <summary>Maps a device section of the configuration to its V4L2 capture chain.</summary>
public static class DeviceSources
{
    /// <summary>
    /// Builds the camera and checks it once against the device (capabilities, format, controls). What no retry can
    /// fix throws <see cref="SourceSetupException"/>; a camera that is missing or busy now is waited for.
    /// </summary>
    public static IVideoSource Create(EventLoop loop, SourceConfig source, bool probe = true)
    {
        string path = source.DevicePath!;
        try
        {
            var camera = new CameraSource(loop, LibcIo.Instance, new CameraOptions(path, source.Width, source.Height,
                source.Fps, source.IsMjpgH264 ? source.CaptureFormat : source.CaptureFourCC,
                ControlSettings(source.Controls))
            {
                Encoder = EncoderStage(source),
                Decoder = DecoderStage(source),
                PicturesOnly = source.PicturesOnly,
            });
            // A reload replaces a running camera: the old one still holds the device, so its first open checks instead.
            if (probe) camera.Probe();
            return camera;
        }
        catch (V4l2Exception e)
        {
            throw new SourceSetupException(e.Message, e);
        }
    }

    /// <summary>
    /// The encoder of a camera whose frames are encoded here (<see cref="SourceConfig.UsesM2MChain"/>). A link shares
    /// the upstream buffer (DMABUF import, no copy) when either side of it is DMABUF in the configuration; MMAP on both
    /// sides copies once.
    /// </summary>
    internal static M2MStageOptions? EncoderStage(SourceConfig source)
    {
        if (!source.UsesM2MChain) return null;
        var upstreamCapture = source.Decoder is null ? source.CaptureMemory : source.DecoderMemory.Capture;
        bool import = source.EncoderMemory.Input == MemoryType.DmaBuf || upstreamCapture == MemoryType.DmaBuf;
        return new M2MStageOptions(source.Encoder, M2MRole.Encoder, source.EncoderInputFormat, "H264", import,
            ControlSettings(source.EncoderControls));
    }

    /// <summary>The decoder in front of the encoder; none when the encoder is not used.</summary>
    internal static M2MStageOptions? DecoderStage(SourceConfig source)
    {
        if (source.Decoder is null || !source.UsesM2MChain) return null;
        bool import = source.DecoderMemory.Input == MemoryType.DmaBuf || source.CaptureMemory == MemoryType.DmaBuf;
        return new M2MStageOptions(source.Decoder, M2MRole.Decoder, source.DecoderInputFormat, source.EncoderInputFormat,
            import, ControlSettings(source.DecoderControls));
    }

    /// <summary>The section's control keys as the V4L2 layer takes them (uvcx_ keys go to the extension units).</summary>
    public static IReadOnlyList<ControlSetting> ControlSettings(IReadOnlyList<ConfigEntry> entries)
    {
        var settings = new List<ControlSetting>(entries.Count);
        foreach (var entry in entries) settings.Add(new ControlSetting(entry.Key, entry.Value, entry.Location.ToString()));
        return settings;
    }
}
