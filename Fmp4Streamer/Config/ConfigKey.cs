namespace Fmp4Streamer.Config;

/// <summary>
/// One row of the key table: name as spelled in the original fmp4streamer, where it goes, its type, its
/// default as it would be written in the file (null when derived from other keys, see DefaultText) and help.
/// </summary>
public sealed record ConfigKey(
    string Name,
    ConfigScope Scope,
    ConfigKeyType Type,
    string? Default,
    string DefaultText,
    string Help,
    long Min = 0,
    long Max = 0);
