using System.Globalization;
using System.Text.RegularExpressions;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>Parses the output of <c>v4l2-ctl -l</c> or <c>--list-ctrls-menus</c> (v4l-utils 1.22).</summary>
internal static partial class V4l2CtlListing
{
    [GeneratedRegex(@"^\s*(?<name>\S+) 0x(?<id>[0-9a-f]{8}) \((?<type>[^)]+)\)\s*: ?(?<rest>.*)$")]
    private static partial Regex ControlLine();

    [GeneratedRegex(@"^\t+(?<index>-?\d+): (?<label>.*)$")]
    private static partial Regex MenuLine();

    [GeneratedRegex(@"(?<key>[a-z]+)=(?<value>\S+)")]
    private static partial Regex Field();

    /// <summary>The controls in listing order, and the control class headers ("User Controls", …).</summary>
    public static (List<V4l2CtlControl> Controls, List<string> Classes) Parse(string text)
    {
        var controls = new List<V4l2CtlControl>();
        var classes = new List<string>();
        string currentClass = "";
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            Match m = ControlLine().Match(line);
            if (m.Success)
            {
                string rest = m.Groups["rest"].Value;
                var flags = new List<string>();
                int f = rest.IndexOf("flags=", StringComparison.Ordinal);
                if (f >= 0)
                {
                    foreach (string flag in rest[(f + "flags=".Length)..].Split(',')) flags.Add(flag.Trim());
                    rest = rest[..f];
                }
                var fields = new Dictionary<string, string>();
                foreach (Match fm in Field().Matches(rest)) fields[fm.Groups["key"].Value] = fm.Groups["value"].Value;
                controls.Add(new V4l2CtlControl(
                    m.Groups["name"].Value,
                    uint.Parse(m.Groups["id"].Value, NumberStyles.HexNumber),
                    m.Groups["type"].Value.Trim(),
                    currentClass,
                    fields,
                    flags,
                    []));
                continue;
            }
            Match item = MenuLine().Match(line);
            if (item.Success && controls.Count > 0)
            {
                V4l2CtlControl last = controls[^1];
                string label = item.Groups["label"].Value;
                // Integer menu items print as "13 (0xd)": the item is the integer.
                if (last.Type == "intmenu") label = label.Split(' ')[0];
                last.MenuItems[long.Parse(item.Groups["index"].Value)] = label;
                continue;
            }
            if (!char.IsWhiteSpace(line[0]))
            {
                currentClass = line.Trim();
                classes.Add(currentClass);
            }
        }
        return (controls, classes);
    }
}
