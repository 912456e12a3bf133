using System.Text.RegularExpressions;
using Fmp4Streamer.Config;

namespace Fmp4Streamer.Tests.Config;

/// <summary>The shipped fmp4streamer.conf.dist, the key table and the built-in defaults agree (mediamtx style).</summary>
public class DefaultConfigTests
{
    private static string DistPath()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "fmp4streamer.conf.dist");
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail("fmp4streamer.conf.dist not found above " + TestContext.CurrentContext.TestDirectory);
        return "";
    }

    /// <summary>Every typed value, so two configs compare equal regardless of where values were written.</summary>
    private static string Describe(StreamerConfig config)
    {
        ServerConfig s = config.Server;
        var lines = new List<string>
        {
            $"server listen={s.Listen} port={s.Port} priority={s.Priority} log={s.LogLevel} max_clients={s.MaxClients} " +
            $"queue={s.ClientQueueBytes} stall={s.ClientStallTimeout} grace={s.SleepGrace} " +
            $"hls={s.HlsSegmentDuration}/{s.HlsWindow}/{s.HlsPartDuration}",
        };
        foreach (SourceConfig c in config.Sources)
        {
            lines.Add($"[{c.Section}] {c.Kind} name={c.Name} command={c.Command} {c.Width}x{c.Height}@{c.Fps} " +
                $"sleep={c.AutoSleep} rotation={c.Rotation} format={c.CaptureFormat} decoder={c.Decoder} encoder={c.Encoder} " +
                $"mem={c.CaptureMemory}/{c.DecoderMemory}/{c.EncoderMemory} in={c.DecoderInputFormat}/{c.EncoderInputFormat} " +
                $"controls={c.Controls.Count}/{c.DecoderControls.Count}/{c.EncoderControls.Count}");
        }
        return string.Join("\n", lines);
    }

    [Test]
    public void DistLoadsToTheBuiltInDefaults()
    {
        StreamerConfig dist = ConfigLoader.Load(DistPath(), explicitPath: true);
        Assert.That(Describe(dist), Is.EqualTo(Describe(StreamerConfig.Default)));
        Assert.That(dist.Warnings, Is.Empty);
    }

    [Test]
    public void BuiltInDefaultsMatchTheOriginal()
    {
        Assert.That(Describe(StreamerConfig.Default), Is.EqualTo(
            "server listen= port=8000 priority=0 log=Info max_clients=100 queue=4194304 stall=00:00:10 grace=00:00:05 " +
            "hls=00:00:01/6/00:00:00.2500000\n" +
            "[/dev/video0] Device name=video0 command= 640x480@30 sleep=True rotation=0 format=H264 decoder= encoder= " +
            "mem=Mmap/MMAP-DMABUF/MMAP-MMAP in=H264/H264 controls=0/0/0"));
        Assert.That(StreamerConfig.Default.Server.BindAddress, Is.EqualTo("::"));
    }

    [Test]
    public void HlsDefaultsAreTheSegmentersDefaults()
    {
        var builtIn = new Fmp4Streamer.Streaming.Hls.HlsOptions();
        ServerConfig server = StreamerConfig.Default.Server;
        Assert.That(server.HlsSegmentDuration, Is.EqualTo(builtIn.MinSegmentDuration));
        Assert.That(server.HlsWindow, Is.EqualTo(builtIn.WindowSegments));
        Assert.That(server.HlsPartDuration, Is.EqualTo(builtIn.PartTarget));
        Assert.That(Streamer.HlsOptions(server), Is.EqualTo(builtIn), "an unconfigured server runs today's segmenter");
    }

    [Test]
    public void OptionsRecordsDefaultToTheKeyTable()
    {
        ServerConfig server = StreamerConfig.Default.Server;
        var http = new Fmp4Streamer.Http.HttpServerOptions();
        Assert.That(http, Is.EqualTo(Streamer.ServerOptions(server)),
            "an unconfigured HTTP server is the configured one with an empty file");
        Assert.That((http.MaxClients, http.ClientQueueBytes), Is.EqualTo((100, 4 * 1024 * 1024)));
        var hub = new Fmp4Streamer.Streaming.StreamHubOptions { Name = "x" };
        SourceConfig source = StreamerConfig.Default.Sources[0];
        Assert.That((hub.SleepGraceUs, hub.AutoSleep, hub.ConfiguredWidth, hub.ConfiguredHeight),
            Is.EqualTo((5_000_000L, source.AutoSleep, source.Width, source.Height)));
    }

    [Test]
    public void ReadmeListsEveryServerKey()
    {
        string readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(DistPath())!, "README.md"));
        foreach (ConfigKey key in ConfigKeys.All)
            if (key.Scope == ConfigScope.Server)
                Assert.That(readme, Does.Contain($"| `{key.Name}` | {key.DefaultText} |"), key.Name);
    }

    [Test]
    public void DistMentionsEveryKey()
    {
        string text = File.ReadAllText(DistPath());
        foreach (ConfigKey key in ConfigKeys.All)
            Assert.That(Regex.IsMatch(text, $@"^(# )?{key.Name} =", RegexOptions.Multiline), Is.True,
                $"{key.Name} is not in fmp4streamer.conf.dist");
    }

    [Test]
    public void DistCommentedValuesAreTheTableDefaults()
    {
        // "# key = value" lines of table keys with a fixed default show that default (examples of other
        // values live in the prose comments or in commented example sections).
        string[] lines = File.ReadAllLines(DistPath());
        int checkedKeys = 0;
        foreach (string line in lines)
        {
            Match m = Regex.Match(line, @"^# ([a-z_]+) = (.*)$");
            if (!m.Success) continue;
            ConfigKey? key = ConfigKeys.Find(m.Groups[1].Value);
            if (string.IsNullOrEmpty(key?.Default)) continue;
            if (key.Name is "width" or "height" or "fps" or "test_pattern") continue; // example sections
            Assert.That(m.Groups[2].Value, Is.EqualTo(key.Default), line);
            checkedKeys++;
        }
        Assert.That(checkedKeys, Is.GreaterThanOrEqualTo(10));
    }

    [Test]
    public void WritingAnyDefaultExplicitlyChangesNothing()
    {
        foreach (ConfigKey key in ConfigKeys.All)
        {
            Assert.That(key.Help, Is.Not.Empty, key.Name);
            if (string.IsNullOrEmpty(key.Default)) continue;
            string section = key.Scope == ConfigScope.Server ? "server" : "/dev/video0";
            StreamerConfig config = ConfigLoader.Parse($"[{section}]\n{key.Name} = {key.Default}\n", "c.conf");
            Assert.That(Describe(config), Is.EqualTo(Describe(StreamerConfig.Default)), key.Name);
        }
    }

    [Test]
    public void TableNamesAreUniqueAndLowerCase()
    {
        var seen = new HashSet<string>();
        foreach (ConfigKey key in ConfigKeys.All)
        {
            Assert.That(seen.Add(key.Name), Is.True, key.Name);
            Assert.That(key.Name, Is.EqualTo(key.Name.ToLowerInvariant()));
        }
    }
}
