using Fmp4Streamer.Cli;
using Fmp4Streamer.Config;

namespace Fmp4Streamer.Tests.Cli;

public class CommandLineTests
{
    private sealed class Outcome
    {
        public int ExitCode;
        public string Output = "";
        public string Error = "";
        public CliOptions? Options;
    }

    private static Outcome Run(string[] args, Func<CliOptions, int>? run = null)
    {
        var outcome = new Outcome();
        var output = new StringWriter();
        var error = new StringWriter();
        outcome.ExitCode = CommandLine.Run(args, options =>
        {
            outcome.Options = options;
            return run?.Invoke(options) ?? 0;
        }, output, error);
        outcome.Output = output.ToString();
        outcome.Error = error.ToString();
        return outcome;
    }

    [Test]
    public void NoArgumentsGiveTheDefaults()
    {
        Outcome outcome = Run([]);
        Assert.That(outcome.ExitCode, Is.EqualTo(0));
        Assert.That(outcome.Options, Is.EqualTo(CliOptions.Default));
        Assert.That(outcome.Error, Is.Empty);
    }

    [TestCase("--help")]
    [TestCase("-h")]
    [TestCase("-l", "-h")]
    public void HelpExitsZeroAndListsEveryOption(params string[] args)
    {
        Outcome outcome = Run(args);
        Assert.That(outcome.ExitCode, Is.EqualTo(0));
        Assert.That(outcome.Options, Is.Null, "help must not run the program");
        foreach (string option in new[] { "-h, --help", "-c, --config <FILE>", "-l, --list-controls", "--version",
                     "--test-pattern", "--listen <ADDR>", "--port <N>" })
            Assert.That(outcome.Output, Does.Contain(option));
        Assert.That(outcome.Output, Does.Contain("fmp4streamer [options]"));
        foreach (ConfigKey key in ConfigKeys.All)
            Assert.That(outcome.Output, Does.Contain($"    {key.Name} "), "help lists config key " + key.Name);
        Assert.That(outcome.Output, Does.Contain("    port                  TCP port of the HTTP server (default: 8000)"));
    }

    [Test]
    public void VersionPrintsOurAssemblyVersion()
    {
        Outcome outcome = Run(["--version"]);
        Assert.That(outcome.ExitCode, Is.EqualTo(0));
        Assert.That(outcome.Options, Is.Null);
        string expected = typeof(CommandLine).Assembly.GetName().Version!.ToString(3);
        Assert.That(outcome.Output.Trim(), Is.EqualTo("fmp4streamer " + expected));
    }

    [TestCase(new[] { "--bogus" }, "fmp4streamer: Unrecognized command or argument '--bogus'.")]
    [TestCase(new[] { "-c" }, "fmp4streamer: Required argument missing for option: '-c'.")]
    [TestCase(new[] { "--port", "abc" }, "fmp4streamer: --port: 'abc' is not a port number (1..65535)")]
    [TestCase(new[] { "--port", "70000" }, "fmp4streamer: --port: '70000' is not a port number (1..65535)")]
    [TestCase(new[] { "-c", "a.conf", "b.conf" }, "fmp4streamer: Unrecognized command or argument 'b.conf'.")]
    [TestCase(new[] { "extra" }, "fmp4streamer: Unrecognized command or argument 'extra'.")]
    public void UsageErrorsExitTwoWithTheParserMessage(string[] args, string firstLine)
    {
        Outcome outcome = Run(args);
        Assert.That(outcome.ExitCode, Is.EqualTo(2));
        Assert.That(outcome.Options, Is.Null);
        string[] lines = outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0].TrimEnd(), Is.EqualTo(firstLine));
        Assert.That(lines[^1].TrimEnd(), Is.EqualTo("Try 'fmp4streamer --help' for more information."));
        Assert.That(outcome.Output, Is.Empty);
    }

    [Test]
    public void ListControlsFlag()
    {
        Assert.That(Run(["-l"]).Options, Is.EqualTo(CliOptions.Default with { ListControls = true }));
        Assert.That(Run(["--list-controls"]).Options, Is.EqualTo(CliOptions.Default with { ListControls = true }));
    }

    [Test]
    public void RepeatedConfigKeepsTheLast()
    {
        // getopt in the original processed options left to right, so the last -c won.
        Outcome outcome = Run(["-c", "a.conf", "--config", "b.conf"]);
        Assert.That(outcome.ExitCode, Is.EqualTo(0), outcome.Error);
        Assert.That(outcome.Options!.ConfigPath, Is.EqualTo("b.conf"));
    }

    [Test]
    public void ConfigFileAndPortOverride()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fmp4streamer-cli-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, "[server]\nlisten = 127.0.0.1\nport = 8000\n[/dev/video2]\nwidth = 1280\nheight = 720\n");
        try
        {
            Outcome outcome = Run(["-c", path, "--port", "9123"], options =>
            {
                return 0;
            });
            Assert.That(outcome.ExitCode, Is.EqualTo(0), outcome.Error);
            Assert.That(outcome.Options, Is.EqualTo(new CliOptions(path, true, false, false, null, 9123)));
            StreamerConfig config = outcome.Options!.LoadConfig();
            Assert.That(config.Server.Port, Is.EqualTo(9123));
            Assert.That(config.Server.Listen, Is.EqualTo("127.0.0.1"));
            Assert.That(config.Sources[0].Section, Is.EqualTo("/dev/video2"));
            Assert.That(config.Sources[0].Width, Is.EqualTo(1280));
            Assert.That(config.Server.Error("port", "in use").Message, Is.EqualTo("command line: port: in use"));
            Assert.That(config.Server.Error("listen", "x").Message, Is.EqualTo($"{path}:2: listen: x"));

            StreamerConfig listened = (outcome.Options with { Listen = "::1" }).LoadConfig();
            Assert.That(listened.Server.BindAddress, Is.EqualTo("::1"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ConfigErrorFromTheProgramExitsTwo()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fmp4streamer-cli-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, "[server]\nport = abc\n");
        try
        {
            Outcome outcome = Run(["-c", path], options => options.LoadConfig().Server.Port);
            Assert.That(outcome.ExitCode, Is.EqualTo(2));
            Assert.That(outcome.Error, Is.EqualTo($"fmp4streamer: {path}:2: port: 'abc' is not a port number" + Environment.NewLine));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void MissingConfigGivenWithDashCExitsTwo()
    {
        Outcome outcome = Run(["-c", "/nonexistent/x.conf"], options => options.LoadConfig().Sources.Count);
        Assert.That(outcome.ExitCode, Is.EqualTo(2));
        Assert.That(outcome.Error.TrimEnd(), Is.EqualTo("fmp4streamer: /nonexistent/x.conf: config file not found"));
    }

    [Test]
    public void TestPatternReplacesTheSources()
    {
        Outcome outcome = Run(["--test-pattern", "-c", "/nonexistent/default.conf"]);
        Assert.That(outcome.Options!.TestPattern, Is.True);
        StreamerConfig config = (outcome.Options with { ConfigPathGiven = false }).LoadConfig();
        Assert.That(config.Sources, Has.Count.EqualTo(1));
        Assert.That(config.Sources[0].Kind, Is.EqualTo(SourceKind.TestPattern));
        Assert.That(config.Sources[0].Name, Is.EqualTo("test"));
        Assert.That((config.Sources[0].Width, config.Sources[0].Height, config.Sources[0].Fps), Is.EqualTo((640, 480, 30)));
    }

    [TestCase("-v")]
    [TestCase("--verbose")]
    public void VerboseAsksForDebugLines(string flag)
    {
        Assert.That(Run([flag]).Options!.Verbose, Is.True);
        Assert.That(Run([]).Options!.Verbose, Is.False);
    }

    [Test]
    public void AnImpossibleTestPatternSizeNamesTheLineItCameFrom()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fmp4streamer-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, "[/dev/video2]\nwidth = 100\nheight = 50\n");
        try
        {
            // The daemon would start here; the source is built from the config before anything listens.
            Outcome outcome = Run(["--test-pattern", "-c", path, "--port", "1"], Streamer.Run);
            Assert.That(outcome.ExitCode, Is.EqualTo(2));
            Assert.That(outcome.Error.TrimEnd(), Is.EqualTo($"fmp4streamer: {path}:2: width: test pattern size 100x50 is not supported: " +
                "width and height must be even, from 160x128 to 4096x4096"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ProgramExitCodePassesThrough()
    {
        Assert.That(Run([], _ => ExitCodes.Device).ExitCode, Is.EqualTo(3));
    }
}
