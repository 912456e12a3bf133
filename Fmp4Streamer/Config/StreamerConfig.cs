using System.Globalization;

namespace Fmp4Streamer.Config;

/// <summary>The whole configuration, typed and immutable: [server] and the sources in file order.</summary>
public sealed record StreamerConfig
{
    /// <summary>The file name used for locations when nothing was read.</summary>
    public const string BuiltInFile = "(built-in default)";

    /// <summary>Name and section of the source made by --test-pattern.</summary>
    public const string TestPatternName = "test";

    private static readonly Lazy<StreamerConfig> s_default =
        new(() => ConfigParser.Parse(new IniDocument(BuiltInFile, Array.Empty<IniSection>())));

    /// <summary>The file the config was read from (or <see cref="BuiltInFile"/>).</summary>
    public required string FileName { get; init; }

    public required ServerConfig Server { get; init; }

    /// <summary>At least one source, in file order.</summary>
    public required IReadOnlyList<SourceConfig> Sources { get; init; }

    /// <summary>Non-fatal findings ("FILE:LINE: KEY: ignored, ..."), logged by <see cref="ConfigLoader"/>.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>What an empty file gives: [server] defaults and /dev/video0 at 640x480@30 H264.</summary>
    public static StreamerConfig Default => s_default.Value;

    /// <summary>
    /// --test-pattern: the sources are replaced by one test pattern named "test" with the first source's
    /// size, rate, rotation and auto_sleep; [server] is kept. So a camera's config can be tried without it.
    /// </summary>
    public static StreamerConfig ForTestPattern(StreamerConfig config)
    {
        SourceConfig first = config.Sources[0];
        var location = new ConfigLocation("--test-pattern", 0);
        var source = new SourceConfig
        {
            Section = TestPatternName,
            Kind = SourceKind.TestPattern,
            Name = TestPatternName,
            Width = first.Width,
            Height = first.Height,
            Fps = first.Fps,
            AutoSleep = first.AutoSleep,
            Rotation = first.Rotation,
            SnapshotQuality = first.SnapshotQuality,
            SnapshotWidth = first.SnapshotWidth,
            MjpegFps = first.MjpegFps,
            CaptureFormat = "H264",
            CaptureMemory = MemoryType.Mmap,
            DecoderMemory = new MemoryPair(MemoryType.Mmap, MemoryType.DmaBuf),
            EncoderMemory = new MemoryPair(MemoryType.Mmap, MemoryType.Mmap),
            DecoderInputFormat = "H264",
            EncoderInputFormat = "H264",
            Controls = Array.Empty<ConfigEntry>(),
            DecoderControls = Array.Empty<ConfigEntry>(),
            EncoderControls = Array.Empty<ConfigEntry>(),
            Location = location,
            Entries = TakenFrom(first),
        };
        return config with { Sources = [source] };
    }

    /// <summary>The entries of the keys the test pattern takes from the first source, so errors name their lines.</summary>
    private static Dictionary<string, ConfigEntry> TakenFrom(SourceConfig first)
    {
        var entries = new Dictionary<string, ConfigEntry>();
        foreach (ConfigKey key in new[] { ConfigKeys.Width, ConfigKeys.Height, ConfigKeys.Fps, ConfigKeys.AutoSleep, ConfigKeys.Rotation,
            ConfigKeys.SnapshotQuality, ConfigKeys.SnapshotWidth, ConfigKeys.MjpegFps })
            if (first.Entries.TryGetValue(key.Name, out ConfigEntry? entry)) entries[key.Name] = entry;
        return entries;
    }

    /// <summary>
    /// --listen / --port: command-line values replace [server]'s, validated like config values; errors and
    /// later <see cref="ServerConfig.Error"/> calls name "command line" instead of a file line.
    /// </summary>
    public StreamerConfig WithServerOverrides(string? listen, int? port)
    {
        if (listen is null && port is null) return this;
        var location = new ConfigLocation("command line", 0);
        var entries = new Dictionary<string, ConfigEntry>(Server.Entries);
        ServerConfig server = Server;
        if (listen is not null)
        {
            var entry = new ConfigEntry(ConfigKeys.Listen.Name, listen, location);
            server = server with { Listen = ConfigValues.ParseAddress(entry) };
            entries[entry.Key] = entry;
        }
        if (port is not null)
        {
            var entry = new ConfigEntry(ConfigKeys.Port.Name, port.Value.ToString(CultureInfo.InvariantCulture), location);
            server = server with { Port = ConfigValues.ParsePort(entry) };
            entries[entry.Key] = entry;
        }
        return this with { Server = server with { Entries = entries } };
    }
}
