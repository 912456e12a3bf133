using System.Text.RegularExpressions;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// Parses the daemon's <c>-l</c> output (compatibility §1): <c>Device:/Name:/Driver:</c> headers, <c>Controls</c>,
/// control class names between empty lines, one line per control, the closing "To set one" hint.
/// </summary>
internal static partial class StreamerControlListing
{
    [GeneratedRegex(@"^default: (?<def>-?\d+) min: (?<min>-?\d+) max: (?<max>-?\d+)(?: step: (?<step>-?\d+))?$")]
    private static partial Regex IntegerDetails();

    [GeneratedRegex(@"'(?<q>[^']*)' |""(?<d>[^""]*)"" |(?<n>-?\d+) ")]
    private static partial Regex Item();

    public static (List<StreamerControl> Controls, List<string> Headers) Parse(string text)
    {
        var controls = new List<StreamerControl>();
        var headers = new List<string>();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            int eq = line.IndexOf(" = ", StringComparison.Ordinal);
            if (eq < 0 || line.StartsWith("To set one", StringComparison.Ordinal))
            {
                headers.Add(line);
                continue;
            }
            string name = line[..eq];
            string rest = line[(eq + 3)..];
            controls.Add(ParseControl(name, rest));
        }
        return (controls, headers);
    }

    private static StreamerControl ParseControl(string name, string rest)
    {
        if (rest.Length == 0) return new StreamerControl(name, StreamerControlKind.Other, null, null, null, null, 1, []);
        string? current = null;
        string details = rest;
        int tab = rest.IndexOf("\t( ", StringComparison.Ordinal);
        if (tab >= 0)
        {
            current = rest[..tab];
            details = rest[(tab + 3)..];
        }
        else if (details.StartsWith("( ", StringComparison.Ordinal))
        {
            details = details[2..];
        }
        if (details.EndsWith(')')) details = details[..^1];
        Match integer = IntegerDetails().Match(details);
        if (integer.Success)
        {
            return new StreamerControl(name, StreamerControlKind.Integer, current, integer.Groups["def"].Value,
                long.Parse(integer.Groups["min"].Value), long.Parse(integer.Groups["max"].Value),
                integer.Groups["step"].Success ? long.Parse(integer.Groups["step"].Value) : 1, []);
        }
        int values = details.IndexOf("values: ", StringComparison.Ordinal);
        if (values < 0) return new StreamerControl(name, StreamerControlKind.Other, current, null, null, null, 1, []);
        string? def = details.StartsWith("default: ", StringComparison.Ordinal)
            ? details["default: ".Length..values].TrimEnd()
            : null;
        var items = new List<string>();
        bool quoted = false;
        foreach (Match m in Item().Matches(details[(values + "values: ".Length)..]))
        {
            if (m.Groups["n"].Success)
            {
                items.Add(m.Groups["n"].Value);
            }
            else
            {
                quoted = true;
                items.Add(m.Groups["q"].Success ? m.Groups["q"].Value : m.Groups["d"].Value);
            }
        }
        return new StreamerControl(name, quoted ? StreamerControlKind.Menu : StreamerControlKind.IntegerMenu,
            current, def, null, null, 1, items);
    }
}
