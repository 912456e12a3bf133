namespace Fmp4Streamer.Config;

/// <summary>
/// One "key = value" line as written: key lower-cased, value stripped, continuation lines joined with '\n',
/// "%%" already turned into "%". Controls keep this form so the V4L2 layer can report errors at the line.
/// </summary>
public sealed record ConfigEntry(string Key, string Value, ConfigLocation Location)
{
    /// <summary>An exception naming this entry's file, line and key.</summary>
    public ConfigException Error(string reason) => new(Location, Key, reason);
}
