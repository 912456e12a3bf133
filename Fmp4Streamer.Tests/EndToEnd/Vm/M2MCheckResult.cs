using System.Globalization;
using System.Text.RegularExpressions;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>One `M2M-RESULT key=value ...` line of tests/vm/M2MCheck, with typed access to its fields.</summary>
internal sealed partial class M2MCheckResult
{
    private readonly Dictionary<string, string> _fields = new();

    private M2MCheckResult(string line) => Line = line;

    public string Line { get; }

    public string this[string key] => _fields.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"no '{key}' in: {Line}");

    public long Long(string key) => long.Parse(this[key], CultureInfo.InvariantCulture);

    public double Double(string key) => double.Parse(this[key], CultureInfo.InvariantCulture);

    /// <summary>The result line inside a section's text; null when the program printed none (it crashed or never ran).</summary>
    public static M2MCheckResult? Find(string text)
    {
        string? line = text.Split('\n').FirstOrDefault(l => l.StartsWith("M2M-RESULT ", StringComparison.Ordinal));
        if (line is null) return null;
        var result = new M2MCheckResult(line);
        foreach (Match m in Field().Matches(line)) result._fields[m.Groups[1].Value] = m.Groups[2].Value.Trim('\'');
        return result;
    }

    [GeneratedRegex(@"(\w+)=('[^']*'|\S+)")]
    private static partial Regex Field();

    public override string ToString() => Line;
}
