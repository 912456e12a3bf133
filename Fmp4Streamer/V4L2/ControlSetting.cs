namespace Fmp4Streamer.V4L2;

/// <summary>One control key of a device's config section: key as written (lower-cased), raw value, "file:line".</summary>
public sealed record ControlSetting(string Key, string Value, string Location);
