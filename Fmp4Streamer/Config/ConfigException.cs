namespace Fmp4Streamer.Config;

/// <summary>
/// A configuration error the user must fix: "FILE:LINE: KEY: reason" (or "FILE:LINE: reason" for syntax).
/// Thrown by the config layer and by later layers (V4L2 controls) that validate a value against a device.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(ConfigLocation location, string? key, string reason)
        : base(Format(location, key, reason))
    {
        Location = location;
        Key = key;
        Reason = reason;
    }

    public ConfigLocation Location { get; }

    /// <summary>The key the error is about, or null for syntax and file errors.</summary>
    public string? Key { get; }

    /// <summary>The message without the location and key prefix.</summary>
    public string Reason { get; }

    private static string Format(ConfigLocation location, string? key, string reason) =>
        key is null ? $"{location}: {reason}" : $"{location}: {key}: {reason}";
}
