namespace Fmp4Streamer.V4L2;

/// <summary>A device for -l: its path and the control settings of its config section (applied before listing, as at start).</summary>
public sealed record ListedDevice(string Path, IReadOnlyList<ControlSetting> Settings);
