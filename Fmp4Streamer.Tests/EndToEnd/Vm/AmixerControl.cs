using System.Text.RegularExpressions;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// One control of <c>amixer -c N contents</c>: its name, type (INTEGER, BOOLEAN, ENUMERATED), channel count, range,
/// list items and current values as amixer prints them (<c>-20,-20</c>, <c>on,on</c>, an item's index).
/// </summary>
internal sealed record AmixerControl(string Name, string Type, int Channels, long Min, long Max, IReadOnlyList<string> Items, string Values)
{
    /// <summary>The daemon's config key for this control: <c>mixer_</c>, the name in lower case, every run of other characters one <c>_</c>.</summary>
    public string Key => "mixer_" + Regex.Replace(Name.ToLowerInvariant(), "[^a-z0-9]+", "_");

    public static List<AmixerControl> Parse(string contents)
    {
        var controls = new List<AmixerControl>();
        string? name = null, type = null, values = null;
        int channels = 0;
        long min = 0, max = 0;
        var items = new List<string>();
        void Flush()
        {
            if (name != null) controls.Add(new AmixerControl(name, type ?? "?", channels, min, max, items.ToArray(), values ?? "?"));
            (name, type, values, channels, min, max) = (null, null, null, 0, 0, 0);
            items.Clear();
        }
        foreach (string line in contents.Split('\n'))
        {
            Match m;
            if ((m = Regex.Match(line, @"^numid=\d+,iface=\w+,name='(.*)'$")).Success)
            {
                Flush();
                name = m.Groups[1].Value;
            }
            else if ((m = Regex.Match(line, @"^  ; type=(\w+),access=[^,]*,values=(\d+)(?:,min=(-?\d+),max=(-?\d+))?")).Success)
            {
                type = m.Groups[1].Value;
                channels = int.Parse(m.Groups[2].Value);
                if (m.Groups[3].Success) (min, max) = (long.Parse(m.Groups[3].Value), long.Parse(m.Groups[4].Value));
            }
            else if ((m = Regex.Match(line, @"^  ; Item #\d+ '(.*)'$")).Success) items.Add(m.Groups[1].Value);
            else if ((m = Regex.Match(line, @"^  : values=(.*)$")).Success) values = m.Groups[1].Value;
        }
        Flush();
        return controls;
    }

    /// <summary>The daemon's <c>-l</c> mixer lines by key: the value as printed and what the parentheses hold.</summary>
    public static Dictionary<string, (string Value, string Info)> ParseListing(string listing)
    {
        var lines = new Dictionary<string, (string, string)>();
        foreach (string line in listing.Split('\n'))
        {
            Match m = Regex.Match(line, @"^(mixer_\w+) = (.*)\t\( (.*)\)$");
            if (m.Success) lines[m.Groups[1].Value] = (m.Groups[2].Value, m.Groups[3].Value);
        }
        return lines;
    }
}
