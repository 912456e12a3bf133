using System.Text;

namespace Fmp4Streamer.Diagnostics.Metrics;

/// <summary>
/// Every number the daemon exposes, in one place: components own their <see cref="Counter"/>s, <see cref="Gauge"/>s
/// and <see cref="Histogram"/>s (or a value they already keep, read through a function) and register them here once
/// with their labels; <see cref="Render"/> formats all of them in the Prometheus text format (version 0.0.4) for
/// <c>/metrics</c>: "# HELP" and "# TYPE" per family, counters named "…_total", histograms as cumulative
/// "_bucket{le=…}", "_sum" and "_count" in seconds. Loop thread only. Rendering reuses its buffers.
/// </summary>
public sealed class MetricsRegistry
{
    /// <summary>The content type of <see cref="Render"/>'s bytes.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly List<Family> _families = new();
    private readonly StringBuilder _text = new(4096);
    private char[] _chars = new char[4096];
    private byte[] _bytes = new byte[4096];

    public Counter CreateCounter(string name, string help, string labels = "")
    {
        var counter = new Counter();
        Add(name, help, MetricType.Counter, labels, counter);
        return counter;
    }

    public Gauge CreateGauge(string name, string help, string labels = "")
    {
        var gauge = new Gauge();
        Add(name, help, MetricType.Gauge, labels, gauge);
        return gauge;
    }

    /// <summary>Registers a <see cref="Counter"/>, <see cref="Gauge"/>, <see cref="Histogram"/> or Func&lt;long&gt;.</summary>
    /// <param name="name">Without "_total" for counters; base units (seconds, bytes) in the name.</param>
    /// <param name="labels">Made with <see cref="Labels"/>; empty for none.</param>
    public void Add(string name, string help, MetricType type, string labels, object source)
    {
        if (source is not (Counter or Gauge or Histogram or Func<long>))
            throw new ArgumentException("a Counter, Gauge, Histogram or Func<long> is expected", nameof(source));
        if (type == MetricType.Histogram != source is Histogram)
            throw new ArgumentException("a histogram family takes Histogram sources only", nameof(source));
        string exposed = type == MetricType.Counter ? name + "_total" : name;
        Family? family = null;
        foreach (var f in _families)
            if (f.Name == exposed) family = f;
        if (family is null)
        {
            family = new Family(exposed, help, type);
            _families.Add(family);
        }
        else if (family.Type != type)
        {
            throw new ArgumentException($"{name} is already a {family.Type}", nameof(type));
        }
        family.Series.Add((labels, source));
    }

    /// <summary>Label pairs as written inside braces, values escaped: name="video0",reason="bad request".</summary>
    public static string Labels(params (string Name, string Value)[] pairs)
    {
        var sb = new StringBuilder();
        foreach (var (labelName, value) in pairs)
        {
            if (sb.Length > 0) sb.Append(',');
            sb.Append(labelName).Append("=\"");
            foreach (char c in value)
            {
                if (c == '\\') sb.Append("\\\\");
                else if (c == '"') sb.Append("\\\"");
                else if (c == '\n') sb.Append("\\n");
                else sb.Append(c);
            }
            sb.Append('"');
        }
        return sb.ToString();
    }

    /// <summary>The exposition text as UTF-8; valid until the next call.</summary>
    public ReadOnlySpan<byte> Render()
    {
        var sb = _text.Clear();
        foreach (var family in _families)
        {
            sb.Append("# HELP ").Append(family.Name).Append(' ');
            foreach (char c in family.Help)
            {
                if (c == '\\') sb.Append("\\\\");
                else if (c == '\n') sb.Append("\\n");
                else sb.Append(c);
            }
            sb.Append("\n# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Type)).Append('\n');
            foreach (var (labels, source) in family.Series)
            {
                if (source is Histogram histogram) AppendHistogram(sb, family.Name, labels, histogram);
                else AppendSample(sb, family.Name, "", labels, -1, Read(source));
            }
        }
        if (_chars.Length < sb.Length) _chars = new char[Math.Max(sb.Length, _chars.Length * 2)];
        sb.CopyTo(0, _chars.AsSpan(), sb.Length);
        var chars = _chars.AsSpan(0, sb.Length);
        int length = Encoding.UTF8.GetByteCount(chars);
        if (_bytes.Length < length) _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
        int written = Encoding.UTF8.GetBytes(chars, _bytes);
        return _bytes.AsSpan(0, written);
    }

    /// <summary><see cref="Render"/> as a string (tests, logs).</summary>
    public string RenderText() => Encoding.UTF8.GetString(Render());

    private static void AppendHistogram(StringBuilder sb, string name, string labels, Histogram h)
    {
        long cumulative = 0;
        var bounds = h.BoundsUs;
        var counts = h.Counts;
        for (int i = 0; i < bounds.Length; i++)
        {
            cumulative += counts[i];
            AppendSample(sb, name, "_bucket", labels, bounds[i], cumulative);
        }
        AppendSample(sb, name, "_bucket", labels, long.MaxValue, h.Count);
        sb.Append(name).Append("_sum");
        if (labels.Length > 0) sb.Append('{').Append(labels).Append('}');
        sb.Append(' ');
        AppendSeconds(sb, h.SumUs);
        sb.Append('\n');
        AppendSample(sb, name, "_count", labels, -1, h.Count);
    }

    /// <param name="leUs">A bucket's bound in µs (long.MaxValue: +Inf), or -1 for a sample without one.</param>
    private static void AppendSample(StringBuilder sb, string name, string suffix, string labels, long leUs, long value)
    {
        sb.Append(name).Append(suffix);
        if (labels.Length > 0 || leUs >= 0)
        {
            sb.Append('{').Append(labels);
            if (leUs >= 0)
            {
                sb.Append(labels.Length > 0 ? ",le=\"" : "le=\"");
                if (leUs == long.MaxValue) sb.Append("+Inf");
                else AppendSeconds(sb, leUs);
                sb.Append('"');
            }
            sb.Append('}');
        }
        sb.Append(' ').Append(value).Append('\n');
    }

    /// <summary>Microseconds as exact decimal seconds ("0.0025", "2", "12.000001"), without floating point.</summary>
    private static void AppendSeconds(StringBuilder sb, long us)
    {
        sb.Append(us / 1_000_000);
        long fraction = us % 1_000_000;
        if (fraction == 0) return;
        int digits = 6;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }
        sb.Append('.');
        for (long scale = Pow10(digits - 1); scale > fraction; scale /= 10) sb.Append('0');
        sb.Append(fraction);
    }

    private static long Pow10(int n)
    {
        long value = 1;
        for (int i = 0; i < n; i++) value *= 10;
        return value;
    }

    private static long Read(object source) => source switch
    {
        Counter c => c.Value,
        Gauge g => g.Value,
        Func<long> f => f(),
        _ => 0,
    };

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        _ => "histogram",
    };

    private sealed class Family
    {
        public Family(string name, string help, MetricType type)
        {
            Name = name;
            Help = help;
            Type = type;
        }

        public string Name { get; }
        public string Help { get; }
        public MetricType Type { get; }
        public List<(string Labels, object Source)> Series { get; } = new();
    }
}
