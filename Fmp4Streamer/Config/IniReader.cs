using System.Text;

namespace Fmp4Streamer.Config;

/// <summary>
/// Reads the INI dialect of Python's configparser with its default options, so existing fmp4streamer.conf
/// files keep their meaning: "=" or ":" separators (the first one splits), "#"/";" full-line comments only,
/// keys lower-cased, section names case-sensitive, lines indented deeper than their key line continue its
/// value (blank and comment lines in between do not end it), "%%" is "%". Strict mode: a duplicate section
/// or key is an error. Unlike configparser, "%(name)s" interpolation is rejected instead of expanded.
/// </summary>
public static class IniReader
{
    public static IniDocument Load(string path) => Parse(File.ReadAllText(path, Encoding.UTF8), path);

    public static IniDocument Parse(string text, string fileName)
    {
        var sections = new List<IniSection>();
        IniSection? section = null;
        var pending = new PendingEntry();

        int lineNumber = 0;
        int start = 0;
        while (start <= text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            string line = text.Substring(start, end - start);
            start = end + 1;
            lineNumber++;
            if (end == text.Length && line.Length == 0) break;
            if (line.EndsWith('\r')) line = line[..^1];
            if (lineNumber == 1 && line.StartsWith('\uFEFF')) line = line[1..];

            string trimmed = line.Trim();
            // Comment lines are transparent, even inside a multi-line value (configparser skips them).
            if (trimmed.StartsWith('#') || trimmed.StartsWith(';')) continue;
            if (trimmed.Length == 0)
            {
                // empty_lines_in_values=True: a blank line belongs to the value; trailing ones are stripped later.
                if (pending.Active) pending.Lines.Add("");
                continue;
            }

            int indent = line.Length - line.TrimStart().Length;
            if (pending.Active && indent > pending.Indent)
            {
                pending.Lines.Add(trimmed);
                continue;
            }
            if (pending.Active) section!.Add(pending.Finish(fileName));

            var location = new ConfigLocation(fileName, lineNumber);
            if (trimmed[0] == '[')
            {
                string name = ParseSectionHeader(trimmed, location);
                foreach (IniSection existing in sections)
                    if (existing.Name == name)
                        throw new ConfigException(location, null,
                            $"duplicate section [{name}] (first at line {existing.Location.Line})");
                section = new IniSection(name, location);
                sections.Add(section);
                continue;
            }

            int separator = trimmed.IndexOfAny(s_separators);
            if (separator < 0)
                throw new ConfigException(location, null,
                    $"expected '[section]', 'key = value' or a comment, found '{trimmed}'");
            string key = trimmed[..separator].TrimEnd().ToLowerInvariant();
            if (key.Length == 0)
                throw new ConfigException(location, null, $"missing key before '{trimmed[separator]}' in '{trimmed}'");
            if (section is null)
                throw new ConfigException(location, null,
                    $"'{trimmed}' comes before the first [section]; put it under [server] or a device section such as [/dev/video0]");
            ConfigEntry? duplicate = section.Find(key);
            if (duplicate is not null)
                throw new ConfigException(location, key,
                    $"duplicate key in [{section.Name}] (first at line {duplicate.Location.Line})");
            pending.Start(key, trimmed[(separator + 1)..].Trim(), lineNumber, indent);
        }
        if (pending.Active) section!.Add(pending.Finish(fileName));
        return new IniDocument(fileName, sections);
    }

    private static readonly char[] s_separators = ['=', ':'];

    private static string ParseSectionHeader(string trimmed, ConfigLocation location)
    {
        // configparser matches "\[(.+)\]" at the start: the last ']' closes the name, text after it is ignored.
        // We only allow a comment there.
        int close = trimmed.LastIndexOf(']');
        if (close < 0)
            throw new ConfigException(location, null, $"section header '{trimmed}' is missing its closing ']'");
        string rest = trimmed[(close + 1)..].TrimStart();
        if (rest.Length > 0 && rest[0] != '#' && rest[0] != ';')
            throw new ConfigException(location, null, $"unexpected '{rest}' after the section header");
        string name = trimmed[1..close];
        if (name.Length == 0)
            throw new ConfigException(location, null, "empty section name '[]'");
        if (name.Trim().Length != name.Length)
            throw new ConfigException(location, null,
                $"section name '[{name}]' has spaces around it; write [{name.Trim()}]");
        return name;
    }

    /// <summary>Turns "%%" into "%"; any other '%' is an error (configparser's BasicInterpolation syntax).</summary>
    internal static string Unescape(string value, ConfigLocation location, string key)
    {
        int percent = value.IndexOf('%');
        if (percent < 0) return value;
        var sb = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            if (i + 1 < value.Length && value[i + 1] == '%')
            {
                sb.Append('%');
                i++;
                continue;
            }
            if (i + 1 < value.Length && value[i + 1] == '(')
                throw new ConfigException(location, key,
                    $"'{value}': %(name)s interpolation is not supported; write %% for a literal %");
            throw new ConfigException(location, key, $"'{value}': a literal % must be written as %%");
        }
        return sb.ToString();
    }

    /// <summary>
    /// A NUL or another control character in a value is an error: .NET's number parsing ignores trailing NULs, so
    /// "8000" followed by a NUL byte would be taken as 8000 without a word. Tabs and joined continuation lines stay.
    /// </summary>
    private static void RejectControlCharacters(string value, ConfigLocation location, string key)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c is '\t' or '\n' || (c >= 0x20 && c != 0x7F)) continue;
            string name = c == 0 ? "a NUL byte" : $"the control character 0x{(int)c:X2}";
            throw new ConfigException(location, key,
                $"'{value[..i]}' is followed by {name} (character {i + 1} of the value); remove it");
        }
    }

    /// <summary>The key line being read and its continuation lines.</summary>
    private sealed class PendingEntry
    {
        public readonly List<string> Lines = new();
        public string? Key;
        public int Line;
        public int Indent;

        public bool Active => Key is not null;

        public void Start(string key, string firstValue, int line, int indent)
        {
            Key = key;
            Line = line;
            Indent = indent;
            Lines.Clear();
            Lines.Add(firstValue);
        }

        public ConfigEntry Finish(string fileName)
        {
            var location = new ConfigLocation(fileName, Line);
            string key = Key!;
            string value = string.Join('\n', Lines).TrimEnd();
            Key = null;
            RejectControlCharacters(value, location, key);
            return new ConfigEntry(key, Unescape(value, location, key), location);
        }
    }
}
