namespace Fmp4Streamer.V4L2;

/// <summary>
/// What the camera section asks for. <see cref="PixelFormat"/> is the config's capture_format; H264 and MJPGH264 are
/// captured directly (the others need an M2M encoder). Durations are wall-clock spans on the monotonic clock.
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
}
