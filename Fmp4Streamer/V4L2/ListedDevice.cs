namespace Fmp4Streamer.V4L2;

/// <summary>
/// A device for -l: its path and the control settings of its config section (applied before listing, as at start).
/// Only a camera has UVC extension units; an M2M codec's section goes to its V4L2 controls alone, as at start-up.
/// </summary>
public sealed record ListedDevice(string Path, IReadOnlyList<ControlSetting> Settings, bool HasExtensionUnits = true);
