using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.Settings;

/// <summary>
/// One device of a camera's chain as the settings see it: its role, node and config section, the open device while
/// the chain streams, and the list of settings it gets on every open.
/// </summary>
public sealed class SettingsDevice
{
    public required string Role { get; init; }
    public required string Path { get; init; }

    /// <summary>The config section its controls are written in: the camera's section, or the M2M device's own.</summary>
    public required string Section { get; init; }

    /// <summary>
    /// An M2M codec's controls belong to one open context: another open of the node neither sees nor changes the
    /// running chain's values, so while it is closed changes are only remembered for its next open.
    /// </summary>
    public required bool PerContext { get; init; }

    /// <summary>Where the camera's UVC extension units are looked up ("/"; null for an M2M device, which has none).</summary>
    public string? SysfsRoot { get; init; }

    /// <summary>The device the chain has open now, or null while it sleeps.</summary>
    public required Func<VideoDevice?> Live { get; init; }

    /// <summary>Records a changed value for every later open.</summary>
    public required Action<ControlSetting> Remember { get; init; }

    /// <summary>The settings applied at each open (config, then changes).</summary>
    public required Func<IReadOnlyList<ControlSetting>> Remembered { get; init; }
}
