using System.Text;

namespace Fmp4Streamer.Config;

/// <summary>
/// Changes key values in config text while keeping everything else byte for byte: comments, blank lines, order,
/// line endings, spacing around the separator and unrelated keys. A key already in its section gets its value
/// replaced in place (a multi-line value becomes one line); a new key goes after the section's last entry; a
/// missing section is appended at the end. Reads sections, keys and continuation lines as <see cref="IniReader"/> does.
/// </summary>
public static class ConfigRewriter
{
    public static string SetValue(string text, string section, string key, string value)
    {
        if (value.Contains('\n') || value.Contains('\r'))
            throw new ArgumentException($"the value of {key} spans lines; it cannot be written to the config", nameof(value));
        // IniReader turns "%%" into "%", and a value's surrounding spaces would be stripped.
        string escaped = value.Trim().Replace("%", "%%", StringComparison.Ordinal);
        var lines = SplitLines(text);
        string newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

        int header = -1, sectionEnd = lines.Count, keyLine = -1, keyEnd = -1, lastEntryEnd = -1;
        int pendingIndent = -1;
        bool pendingIsKey = false, inSection = false;
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i].Content;
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';') continue;
            int indent = line.Length - line.TrimStart().Length;
            if (pendingIndent >= 0 && indent > pendingIndent)
            {
                // A continuation line belongs to the entry above it.
                if (inSection) lastEntryEnd = i;
                if (pendingIsKey) keyEnd = i;
                continue;
            }
            pendingIndent = -1;
            pendingIsKey = false;
            if (trimmed[0] == '[')
            {
                if (inSection)
                {
                    sectionEnd = i;
                    break;
                }
                int close = trimmed.LastIndexOf(']');
                if (close > 1 && trimmed[1..close] == section)
                {
                    inSection = true;
                    header = i;
                }
                continue;
            }
            int separator = trimmed.IndexOfAny(['=', ':']);
            if (separator < 0) continue;
            pendingIndent = indent;
            if (!inSection) continue;
            lastEntryEnd = i;
            if (trimmed[..separator].TrimEnd().ToLowerInvariant() == key)
            {
                keyLine = i;
                keyEnd = i;
                pendingIsKey = true;
            }
        }

        var sb = new StringBuilder(text.Length + key.Length + escaped.Length + 8);
        if (header < 0)
        {
            sb.Append(text);
            if (text.Length > 0 && !text.EndsWith('\n')) sb.Append(newline);
            if (text.Length > 0 && !EndsWithBlankLine(text)) sb.Append(newline);
            sb.Append('[').Append(section).Append(']').Append(newline);
            sb.Append(key).Append(" = ").Append(escaped).Append(newline);
            return sb.ToString();
        }
        for (int i = 0; i < lines.Count; i++)
        {
            var (content, ending) = lines[i];
            if (i == keyLine)
            {
                sb.Append(ReplaceValue(content, escaped)).Append(ending);
                continue;
            }
            if (keyLine >= 0 && i > keyLine && i <= keyEnd && !IsBlankOrComment(content)) continue;
            sb.Append(content).Append(ending);
            if (keyLine < 0 && i == (lastEntryEnd >= 0 ? lastEntryEnd : header))
            {
                if (ending.Length == 0) sb.Append(newline);
                sb.Append(key).Append(" = ").Append(escaped);
                // The last line of a file without a final newline keeps having none.
                sb.Append(ending.Length == 0 && i == lines.Count - 1 ? "" : newline);
            }
        }
        return sb.ToString();
    }

    /// <summary>"  key = old" → "  key = new", keeping the key's spelling and the spaces around the separator.</summary>
    private static string ReplaceValue(string line, string value)
    {
        int separator = line.IndexOfAny(['=', ':']);
        int valueStart = separator + 1;
        while (valueStart < line.Length && line[valueStart] is ' ' or '\t') valueStart++;
        string prefix = line[..valueStart];
        if (valueStart == line.Length && !prefix.EndsWith(' ') && !prefix.EndsWith('\t')) prefix += " ";
        return prefix + value;
    }

    private static bool IsBlankOrComment(string line)
    {
        string t = line.Trim();
        return t.Length == 0 || t[0] is '#' or ';';
    }

    private static bool EndsWithBlankLine(string text) =>
        text.EndsWith("\n\n", StringComparison.Ordinal) || text.EndsWith("\n\r\n", StringComparison.Ordinal);

    /// <summary>Lines with their endings ("\n", "\r\n", or "" for a last line without one).</summary>
    private static List<(string Content, string Ending)> SplitLines(string text)
    {
        var lines = new List<(string, string)>();
        int start = 0;
        while (start < text.Length)
        {
            int lf = text.IndexOf('\n', start);
            if (lf < 0)
            {
                lines.Add((text[start..], ""));
                break;
            }
            bool crlf = lf > start && text[lf - 1] == '\r';
            lines.Add((text[start..(crlf ? lf - 1 : lf)], crlf ? "\r\n" : "\n"));
            start = lf + 1;
        }
        return lines;
    }
}
