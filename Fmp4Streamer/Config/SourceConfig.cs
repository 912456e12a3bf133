namespace Fmp4Streamer.Config;

/// <summary>
/// One stream source section, typed: a V4L2 device (section name = device path) with its optional M2M
/// decoder/encoder, a command, or the test pattern. Keys that are not config keys are V4L2 (or uvcx_)
/// controls, kept as written with their file and line for the V4L2 layer to validate against the device.
/// </summary>
public sealed record SourceConfig
{
    /// <summary>The section name as written: the device path for device sources.</summary>
    public required string Section { get; init; }

    public required SourceKind Kind { get; init; }

    /// <summary>URL-safe, unique stream name.</summary>
    public required string Name { get; init; }

    /// <summary>The capture device path (= Section) for device sources, else null.</summary>
    public string? DevicePath => Kind == SourceKind.Device ? Section : null;

    /// <summary>The shell command for command sources, else null.</summary>
    public string? Command { get; init; }

    public required int Width { get; init; }
    public required int Height { get; init; }
    public required int Fps { get; init; }
    public required bool AutoSleep { get; init; }

    /// <summary>0, 90, 180 or 270.</summary>
    public required int Rotation { get; init; }

    /// <summary>JPEG quality of snapshots and MJPEG frames.</summary>
    public required int SnapshotQuality { get; init; }

    /// <summary>Largest picture width; 0 keeps the stream's.</summary>
    public required int SnapshotWidth { get; init; }

    public required int MjpegFps { get; init; }
    /// <summary>The ALSA capture device of the stream's sound as written (hw:1,0 ...), or null.</summary>
    public string? Audio { get; init; }

    /// <summary>A command writing raw S16_LE PCM for the stream's sound, or null.</summary>
    public string? AudioCommand { get; init; }

    public int AudioRate { get; init; } = 48000;
    public int AudioChannels { get; init; } = 1;

    /// <summary>AAC bitrate in kbit/s; 0 = the default for the channel count.</summary>
    public int AudioBitrate { get; init; }

    /// <summary>test_pattern_audio = yes: the test pattern flashes and has a tone burst each second.</summary>
    public bool TestPatternAudio { get; init; }

    public bool HasAudio => Audio is not null || AudioCommand is not null || TestPatternAudio;

    /// <summary>As written: a fourcc or MJPGH264. See <see cref="CaptureFourCC"/>.</summary>
    public required string CaptureFormat { get; init; }

    public string? Decoder { get; init; }
    public string? Encoder { get; init; }
    public required MemoryType CaptureMemory { get; init; }
    public required MemoryPair DecoderMemory { get; init; }
    public required MemoryPair EncoderMemory { get; init; }
    public required string DecoderInputFormat { get; init; }
    public required string EncoderInputFormat { get; init; }

    /// <summary>Controls of the capture device in file order ([DEFAULT] ones first, as configparser lists them).</summary>
    public required IReadOnlyList<ConfigEntry> Controls { get; init; }

    /// <summary>Controls of the decoder's own section [decoder path], empty if it has none.</summary>
    public required IReadOnlyList<ConfigEntry> DecoderControls { get; init; }

    /// <summary>Controls of the encoder's own section [encoder path], empty if it has none.</summary>
    public required IReadOnlyList<ConfigEntry> EncoderControls { get; init; }

    /// <summary>The section header (line 0 for the built-in /dev/video0).</summary>
    public required ConfigLocation Location { get; init; }

    /// <summary>The typed keys that were written (in the section or [DEFAULT]), by key.</summary>
    public required IReadOnlyDictionary<string, ConfigEntry> Entries { get; init; }

    /// <summary>True for capture_format = MJPGH264: H264 muxed into MJPG by the UVC H.264 extension unit.</summary>
    public bool IsMjpgH264 => CaptureFormat == ConfigKeys.MjpgH264;

    /// <summary>The fourcc set with S_FMT: MJPGH264 is captured as MJPG (compatibility §2).</summary>
    public string CaptureFourCC => CaptureFormat[..4];

    /// <summary>
    /// A camera whose frames are pictures already or raw (MJPG, JPEG, YUYV, NV12) with no encoder: it serves snapshots
    /// and MJPEG only, no video.
    /// </summary>
    public bool PicturesOnly => Kind == SourceKind.Device && Encoder is null && Decoder is null && IsPictureFormat(CaptureFormat);

    /// <summary>The capture formats the picture output takes as they are.</summary>
    public static bool IsPictureFormat(string captureFormat) => captureFormat is "MJPG" or "JPEG" or "YUYV" or "NV12";

    /// <summary>
    /// The camera's frames go through its M2M devices: a camera without H264 into the encoder (through the decoder
    /// when there is one), or an H264 camera re-encoded through a decoder and the encoder. A camera delivering H264
    /// (or MJPGH264) with only an encoder streams its own H264 and leaves the encoder unused.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Encoder))]
    public bool UsesM2MChain => Encoder is not null && !IsMjpgH264 && (CaptureFourCC != "H264" || Decoder is not null);

    /// <summary>A ConfigException at the key's line if it was written, else at the section header.</summary>
    public ConfigException Error(string key, string reason) =>
        Entries.TryGetValue(key, out ConfigEntry? entry) ? entry.Error(reason) : new ConfigException(Location, key, reason);

    /// <summary>The camera control written for this key (e.g. h264_profile), or null.</summary>
    public ConfigEntry? FindControl(string key)
    {
        foreach (ConfigEntry entry in Controls)
            if (entry.Key == key) return entry;
        return null;
    }
}
