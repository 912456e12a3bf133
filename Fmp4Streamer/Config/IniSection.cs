namespace Fmp4Streamer.Config;

/// <summary>One "[name]" section and its entries in file order (keys unique, lower-case).</summary>
public sealed class IniSection
{
    private readonly List<ConfigEntry> _entries = new();

    public IniSection(string name, ConfigLocation location)
    {
        Name = name;
        Location = location;
    }

    /// <summary>The name between the brackets, case-sensitive as in configparser.</summary>
    public string Name { get; }

    /// <summary>The line of the section header.</summary>
    public ConfigLocation Location { get; }

    public IReadOnlyList<ConfigEntry> Entries => _entries;

    public ConfigEntry? Find(string key)
    {
        foreach (ConfigEntry entry in _entries)
            if (entry.Key == key) return entry;
        return null;
    }

    internal void Add(ConfigEntry entry) => _entries.Add(entry);
}
