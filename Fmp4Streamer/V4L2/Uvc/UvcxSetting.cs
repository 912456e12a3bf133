namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>A config line for an extension unit control, parsed: the control, its value, and where it was written.</summary>
public sealed record UvcxSetting(UvcxControl Control, long Value, string Location, string RawValue)
{
    /// <summary>"file:line: key = value", the start of every message about this setting.</summary>
    public string Where => $"{Location}: {Control.Name} = {RawValue}";
}
