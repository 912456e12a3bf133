using System.Text;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// The guest console as lines, and the rig's markers in it (tests/vm/guest/lib.sh):
/// <c>RIG-BEGIN name</c> … <c>RIG-END name rc=N</c> blocks, <c>RIG-VALUE name=value</c>, <c>RIG-READY</c>,
/// <c>PAYLOAD-DONE rc=N</c>.
/// </summary>
internal sealed class ConsoleTranscript
{
    private readonly List<string> _lines = [];
    private readonly object _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Add(line);
            Monitor.PulseAll(_gate);
        }
    }

    public string[] Lines
    {
        get { lock (_gate) return [.. _lines]; }
    }

    public string Text => string.Join('\n', Lines);

    /// <summary>Blocks until a line starting with <paramref name="prefix"/> arrives after line index <paramref name="from"/>.</summary>
    public string? WaitFor(string prefix, TimeSpan timeout, Func<bool> stillRunning, int from = 0)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (true)
            {
                for (int i = from; i < _lines.Count; i++)
                {
                    if (_lines[i].StartsWith(prefix, StringComparison.Ordinal)) return _lines[i];
                }
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !stillRunning()) return null;
                Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            }
        }
    }

    /// <summary>The output of the payload's <c>rig_run name …</c> (or <c>rig_dump</c>), or null if absent.</summary>
    public SectionOutput? Section(string name)
    {
        string[] lines = Lines;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i] != "RIG-BEGIN " + name) continue;
            var body = new StringBuilder();
            for (int j = i + 1; j < lines.Length; j++)
            {
                string endPrefix = "RIG-END " + name + " rc=";
                if (lines[j].StartsWith(endPrefix, StringComparison.Ordinal))
                {
                    return new SectionOutput(body.ToString(), int.Parse(lines[j][endPrefix.Length..]));
                }
                body.Append(lines[j]).Append('\n');
            }
            return null;
        }
        return null;
    }

    /// <summary>The last <c>RIG-VALUE name=…</c> of the payload, or null.</summary>
    public string? Value(string name)
    {
        string prefix = "RIG-VALUE " + name + "=";
        string? found = null;
        foreach (string line in Lines)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal)) found = line[prefix.Length..];
        }
        return found;
    }

    /// <summary>Seconds since guest boot when init reached RIG-READY (kernel + module loading), or null.</summary>
    public double? ReadyUptime()
    {
        foreach (string line in Lines)
        {
            const string Prefix = "RIG-READY uptime=";
            if (!line.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            string v = line[Prefix.Length..].Split(' ')[0];
            return double.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
        }
        return null;
    }
}
