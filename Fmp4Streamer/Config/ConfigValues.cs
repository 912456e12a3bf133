using System.Globalization;
using System.Net;
using Fmp4Streamer.Diagnostics;

namespace Fmp4Streamer.Config;

/// <summary>
/// Parses one value of each <see cref="ConfigKeyType"/>; a bad value throws a ConfigException naming the
/// entry's file, line and key and listing what is accepted.
/// </summary>
public static class ConfigValues
{
    public static bool ParseBoolean(ConfigEntry entry)
    {
        // configparser's getboolean words (BOOLEAN_STATES), case-insensitive.
        switch (entry.Value.ToLowerInvariant())
        {
            case "1": case "yes": case "true": case "on": return true;
            case "0": case "no": case "false": case "off": return false;
        }
        throw Bad(entry, "is not a boolean; use yes/no, true/false, on/off or 1/0");
    }

    public static int ParseInteger(ConfigEntry entry, ConfigKey key)
    {
        if (!long.TryParse(entry.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw Bad(entry, "is not an integer");
        if (value < key.Min || value > key.Max)
            throw Bad(entry, $"is out of range {key.Min}..{key.Max}");
        return (int)value;
    }

    /// <summary>"first-last" with 1 &lt;= first &lt; last &lt;= 65535 (room for at least one even/odd pair).</summary>
    public static (int First, int Last) ParsePortRange(ConfigEntry entry)
    {
        string[] parts = entry.Value.Split('-');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int first)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int last)
            || first < 1 || last > 65535 || last - first < 1 + (first & 1))
            throw Bad(entry, "is not a port range first-last (1..65535) holding an even/odd pair");
        return (first, last);
    }

    public static int ParsePort(ConfigEntry entry)
    {
        if (!int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int port))
            throw Bad(entry, "is not a port number");
        if (port < 1 || port > 65535)
            throw Bad(entry, "is not a port number (1..65535)");
        return port;
    }

    public static long ParseBytes(ConfigEntry entry, ConfigKey key)
    {
        string text = entry.Value;
        long unit = 1;
        if (text.Length > 1)
        {
            switch (char.ToUpperInvariant(text[^1]))
            {
                case 'K': unit = 1024; break;
                case 'M': unit = 1024 * 1024; break;
                case 'G': unit = 1024 * 1024 * 1024; break;
            }
            if (unit != 1) text = text[..^1];
        }
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long count) ||
            count > long.MaxValue / unit)
            throw Bad(entry, "is not a size; use a number of bytes with an optional K, M or G suffix (e.g. 4M)");
        long bytes = count * unit;
        if (bytes < key.Min || bytes > key.Max)
            throw Bad(entry, $"is out of range {FormatBytes(key.Min)}..{FormatBytes(key.Max)}");
        return bytes;
    }

    public static TimeSpan ParseSeconds(ConfigEntry entry, ConfigKey key)
    {
        if (!decimal.TryParse(entry.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture,
                out decimal seconds))
            throw Bad(entry, "is not a number of seconds");
        if (seconds < key.Min || seconds > key.Max)
            throw Bad(entry, $"is out of range {key.Min}..{key.Max} seconds");
        return TimeSpan.FromMilliseconds((double)(seconds * 1000m));
    }

    public static int ParseRotation(ConfigEntry entry) => entry.Value switch
    {
        "0" => 0,
        "90" => 90,
        "180" => 180,
        "270" => 270,
        _ => throw Bad(entry, "is not a rotation; use 0, 90, 180 or 270"),
    };

    public static string ParseCaptureFormat(ConfigEntry entry)
    {
        if (entry.Value == ConfigKeys.MjpgH264 || IsFourCC(entry.Value)) return entry.Value;
        throw Bad(entry, "is not a capture format; use exactly 4 characters (H264, YUYV, MJPG, JPEG, NV12, ...) or MJPGH264");
    }

    public static string ParseFourCC(ConfigEntry entry)
    {
        if (IsFourCC(entry.Value)) return entry.Value;
        throw Bad(entry, "is not a fourcc; use exactly 4 characters (e.g. MJPG, NV12, YUYV)");
    }

    public static MemoryType ParseMemory(ConfigEntry entry)
    {
        if (TryParseMemory(entry.Value, out MemoryType memory)) return memory;
        throw Bad(entry, "is not a memory type; use MMAP or DMABUF");
    }

    public static MemoryPair ParseMemoryPair(ConfigEntry entry)
    {
        string value = entry.Value;
        int dash = value.IndexOf('-');
        if (dash > 0 && TryParseMemory(value[..dash], out MemoryType input) &&
            TryParseMemory(value[(dash + 1)..], out MemoryType capture))
            return new MemoryPair(input, capture);
        throw Bad(entry, "is not a memory pair; use INPUT-CAPTURE with MMAP or DMABUF on each side, e.g. MMAP-DMABUF");
    }

    public static string ParseAddress(ConfigEntry entry)
    {
        string value = entry.Value;
        if (value.Length == 0 || IPAddress.TryParse(value, out _) || IsHostName(value)) return value;
        throw Bad(entry, "is not an IP address or host name (leave it empty for all addresses)");
    }

    public static Log.Level ParseLogLevel(ConfigEntry entry) => entry.Value.ToLowerInvariant() switch
    {
        "error" => Log.Level.Error,
        "warning" => Log.Level.Warning,
        "info" => Log.Level.Info,
        "debug" => Log.Level.Debug,
        _ => throw Bad(entry, "is not a log level; use error, warning, info or debug"),
    };

    /// <summary>An Access-Control-Allow-Origin value (RFC 6454 serialized origin), "*" or empty.</summary>
    public static string ParseOrigin(ConfigEntry entry)
    {
        string value = entry.Value;
        if (value.Length == 0 || value == "*") return value;
        int scheme = value.IndexOf("://", StringComparison.Ordinal);
        bool ok = scheme > 0 && scheme + 3 < value.Length && !value.EndsWith('/');
        for (int i = 0; ok && i < value.Length; i++)
        {
            char c = value[i];
            ok = char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '/' or '[' or ']';
        }
        if (!ok || value.IndexOf('/', scheme + 3) >= 0)
            throw Bad(entry, "is not '*' or an origin such as https://example.com (scheme://host[:port], no path)");
        return value;
    }

    /// <summary>Addresses and networks, one parser for auth_exempt and trusted_proxies.</summary>
    public static Access.NetworkList ParseNetworks(ConfigEntry entry)
    {
        if (Access.NetworkList.TryParse(entry.Value, out var list, out string error)) return list;
        throw entry.Error(error);
    }

    /// <summary>Names separated by commas or spaces (user names: no ':' as in htpasswd).</summary>
    public static IReadOnlyList<string> ParseNameList(ConfigEntry entry)
    {
        var names = entry.Value.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        foreach (string name in names)
            if (name.Contains(':')) throw Bad(entry, "holds '" + name + "'; user names cannot contain ':'");
        return names;
    }

    public static string ParseStreamName(ConfigEntry entry)
    {
        if (IsStreamName(entry.Value)) return entry.Value;
        throw Bad(entry, "is not a stream name; use letters, digits, '.', '_' and '-', starting with a letter or digit");
    }

    public static string ParseText(ConfigEntry entry)
    {
        if (entry.Value.Length > 0) return entry.Value;
        throw entry.Error("is empty");
    }

    /// <summary>Names that are one URL path segment without escaping, and not "." or "..".</summary>
    public static bool IsStreamName(string name)
    {
        if (name.Length == 0 || name.Length > 64 || !char.IsAsciiLetterOrDigit(name[0])) return false;
        foreach (char c in name)
            if (!char.IsAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != '-') return false;
        return true;
    }

    /// <summary>A stream name made from a section name: other characters become '_', leading ones dropped.</summary>
    public static string SanitizeStreamName(string text)
    {
        var chars = new char[Math.Min(text.Length, 64)];
        int n = 0;
        foreach (char c in text)
        {
            if (n == chars.Length) break;
            bool ok = char.IsAsciiLetterOrDigit(c) || c == '.' || c == '_' || c == '-';
            if (n == 0 && !char.IsAsciiLetterOrDigit(c)) continue;
            chars[n++] = ok ? c : '_';
        }
        return new string(chars, 0, n);
    }

    public static string MemoryName(MemoryType memory) => memory == MemoryType.Mmap ? "MMAP" : "DMABUF";

    private static bool TryParseMemory(string text, out MemoryType memory)
    {
        // The original compares exactly; accepting lower case as well breaks no existing file.
        if (text.Equals("MMAP", StringComparison.OrdinalIgnoreCase))
        {
            memory = MemoryType.Mmap;
            return true;
        }
        if (text.Equals("DMABUF", StringComparison.OrdinalIgnoreCase))
        {
            memory = MemoryType.DmaBuf;
            return true;
        }
        memory = default;
        return false;
    }

    private static bool IsFourCC(string text)
    {
        if (text.Length != 4) return false;
        foreach (char c in text)
            if (c < 0x21 || c > 0x7E) return false;
        return true;
    }

    private static bool IsHostName(string text)
    {
        if (text.Length > 253) return false;
        foreach (char c in text)
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '.') return false;
        return char.IsAsciiLetterOrDigit(text[0]);
    }

    private static string FormatBytes(long bytes) =>
        bytes % (1024 * 1024 * 1024) == 0 ? bytes / (1024 * 1024 * 1024) + "G"
        : bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + "M"
        : bytes % 1024 == 0 ? bytes / 1024 + "K"
        : bytes.ToString(CultureInfo.InvariantCulture);

    /// <summary>"'VALUE' reason", plus a hint when the value shows a known configparser trap.</summary>
    internal static ConfigException Bad(ConfigEntry entry, string reason)
    {
        string value = entry.Value;
        string hint = "";
        if (value.Contains('\n'))
        {
            // An indented line after a key continues its value in configparser.
            hint = " (the indented line after it continues the value; remove the indentation)";
            value = value.Replace("\n", "\\n");
        }
        else if (value.Contains(" #") || value.Contains(" ;"))
            hint = " (comments must be on their own line)";
        return entry.Error($"'{value}' {reason}{hint}");
    }
}
