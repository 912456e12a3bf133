namespace Fmp4Streamer.Config;

/// <summary>A parsed INI file: its sections in file order.</summary>
public sealed class IniDocument
{
    public IniDocument(string fileName, IReadOnlyList<IniSection> sections)
    {
        FileName = fileName;
        Sections = sections;
    }

    /// <summary>The file name as given (used in error messages).</summary>
    public string FileName { get; }

    public IReadOnlyList<IniSection> Sections { get; }

    public IniSection? Find(string name)
    {
        foreach (IniSection section in Sections)
            if (section.Name == name) return section;
        return null;
    }
}
