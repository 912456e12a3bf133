namespace Fmp4Streamer.Config;

/// <summary>
/// The typed keys of one section (own entries first, then [DEFAULT] ones) and their parsed values; a key
/// that was not written is parsed from the table default at the section header's location.
/// </summary>
internal sealed class SectionValues
{
    private readonly ConfigLocation _location;

    public SectionValues(ConfigLocation location) => _location = location;

    public Dictionary<string, ConfigEntry> Entries { get; } = new();

    public bool Has(ConfigKey key) => Entries.ContainsKey(key.Name);

    public ConfigEntry? Get(ConfigKey key) => Entries.TryGetValue(key.Name, out ConfigEntry? entry) ? entry : null;

    public void Remove(ConfigKey key) => Entries.Remove(key.Name);

    private ConfigEntry Entry(ConfigKey key) =>
        Get(key) ?? new ConfigEntry(key.Name, key.Default ?? throw new InvalidOperationException(key.Name + " has a derived default"), _location);

    public int Integer(ConfigKey key) => key.Type == ConfigKeyType.Port
        ? ConfigValues.ParsePort(Entry(key))
        : ConfigValues.ParseInteger(Entry(key), key);

    public (int First, int Last) PortRange(ConfigKey key) => ConfigValues.ParsePortRange(Entry(key));

    public long Bytes(ConfigKey key) => ConfigValues.ParseBytes(Entry(key), key);

    public TimeSpan Seconds(ConfigKey key) => ConfigValues.ParseSeconds(Entry(key), key);

    public bool Boolean(ConfigKey key) => ConfigValues.ParseBoolean(Entry(key));

    public int Rotation(ConfigKey key) => ConfigValues.ParseRotation(Entry(key));

    public Diagnostics.Log.Level LogLevel(ConfigKey key) => ConfigValues.ParseLogLevel(Entry(key));

    public string Address(ConfigKey key) => ConfigValues.ParseAddress(Entry(key));

    public string Origin(ConfigKey key) => ConfigValues.ParseOrigin(Entry(key));

    public Access.NetworkList Networks(ConfigKey key) => ConfigValues.ParseNetworks(Entry(key));

    public IReadOnlyList<string> NameList(ConfigKey key) => ConfigValues.ParseNameList(Entry(key));

    /// <summary>Empty = none; a relative path is taken from the config file's folder.</summary>
    public string? FilePath(ConfigKey key)
    {
        var entry = Entry(key);
        if (entry.Value.Length == 0) return null;
        string folder = Path.GetDirectoryName(Path.GetFullPath(entry.Location.File)) ?? ".";
        return Path.IsPathRooted(entry.Value) || entry.Location.Line == 0 ? entry.Value : Path.Combine(folder, entry.Value);
    }

    public string CaptureFormat(ConfigKey key) => ConfigValues.ParseCaptureFormat(Entry(key));

    public MemoryPair MemoryPair(ConfigKey key) => ConfigValues.ParseMemoryPair(Entry(key));

    /// <summary>Empty value = none (as the original treats "decoder =").</summary>
    public string? DevicePath(ConfigKey key)
    {
        string value = Entry(key).Value;
        return value.Length == 0 ? null : value;
    }
}
