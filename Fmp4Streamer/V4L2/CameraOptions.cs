namespace Fmp4Streamer.V4L2;

/// <summary>
/// What the camera section asks for. <see cref="PixelFormat"/> is the config's capture_format; H264 and MJPGH264 are
/// captured directly; YUYV, MJPG and JPEG go through
/// <see cref="Encoder"/> (and optionally <see cref="Decoder"/>). Durations are wall-clock spans on the monotonic clock.
/// </summary>
public sealed record CameraOptions(
    string DevicePath,
    int Width,
    int Height,
    int Fps,
    string PixelFormat,
    IReadOnlyList<ControlSetting> Controls)
{
    /// <summary>No frame for this long while streaming restarts the device.</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First delay before reopening a missing or failed device; doubles up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryInitial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>MMAP buffers to request; the driver may grant another count (at least 2 is accepted).</summary>
    public int BufferCount { get; init; } = 4;

    /// <summary>Where /dev and /sys are looked up for the UVC extension unit ids ("/"; tests use a fake tree).</summary>
    public string SysfsRoot { get; init; } = "/";

    /// <summary>The M2M encoder turning YUYV/MJPG/JPEG (or the decoder's output) into H264; null for H264/MJPGH264.</summary>
    public M2M.M2MStageOptions? Encoder { get; init; }

    /// <summary>The optional M2M decoder in front of the encoder (MJPG/JPEG → NV12).</summary>
    public M2M.M2MStageOptions? Decoder { get; init; }

    /// <summary>
    /// MJPG, JPEG, YUYV or NV12 without an encoder: the camera's frames go to the picture output only (snapshots and
    /// MJPEG), and no H264 is made.
    /// </summary>
    public bool PicturesOnly { get; init; }
}
