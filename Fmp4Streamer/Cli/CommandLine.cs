using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Reflection;
using Fmp4Streamer.Config;

namespace Fmp4Streamer.Cli;

/// <summary>
/// The command line: options as in the original (-h, -l, -c FILE) plus --version, --test-pattern, --listen,
/// --port and -v. Parses with System.CommandLine (no reflection binding: options are read from the parse result),
/// hands a <see cref="CliOptions"/> to the program and maps errors to exit codes: usage and config errors
/// print "fmp4streamer: message" on stderr and return 2.
/// </summary>
public static class CommandLine
{
    public const string ProgramName = "fmp4streamer";

    /// <summary>Program.cs: <c>return CommandLine.Run(args, Streamer.Run);</c></summary>
    public static int Run(string[] args, Func<CliOptions, int> run) => Run(args, run, Console.Out, Console.Error);

    /// <summary>As <see cref="Run(string[], Func{CliOptions, int})"/> with explicit output writers (tests).</summary>
    public static int Run(string[] args, Func<CliOptions, int> run, TextWriter output, TextWriter error)
    {
        // An array with one value per occurrence: a repeated -c keeps the last, as getopt did in the original.
        var config = new Option<string[]>("--config", "-c")
        {
            Description = $"use FILE as the config file (default: {ConfigLoader.DefaultPath})",
            HelpName = "FILE",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var listControls = new Option<bool>("--list-controls", "-l")
        {
            Description = "list the V4L2 controls and values of the configured devices, then exit",
        };
        var testPattern = new Option<bool>("--test-pattern")
        {
            Description = "stream a built-in test pattern instead of the configured sources (no camera needed)",
        };
        var listen = new Option<string>("--listen")
        {
            Description = "address to listen on, replacing [server] listen (empty = all addresses)",
            HelpName = "ADDR",
        };
        var port = new Option<int?>("--port")
        {
            Description = "TCP port, replacing [server] port",
            HelpName = "N",
            CustomParser = ParsePort,
        };

        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "write debug lines too (as [server] log_level = debug)",
        };

        // Hidden: the decoder benchmark (make bench) and the arm64 decode test, not for users.
        var decodeBench = new Option<string>("--decode-bench") { Hidden = true };
        var decodeYuv = new Option<string>("--decode-yuv") { Hidden = true };

        var help = new HelpOption();
        help.Action = new ConfigKeysHelp(help.Action);

        var root = new Command(ProgramName,
            "Streams V4L2 cameras as fragmented MP4 (H264) over HTTP to browsers and media players.")
        {
            help,
            new VersionOption { Action = new VersionAction() },
            config,
            listControls,
            testPattern,
            listen,
            port,
            verbose,
            decodeBench,
            decodeYuv,
        };

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
                error.WriteLine($"{ProgramName}: {parseError.Message}");
            error.WriteLine($"Try '{ProgramName} --help' for more information.");
            return ExitCodes.Usage;
        }

        string[]? configPaths = parsed.GetValue(config);
        string? configPath = configPaths is { Length: > 0 } ? configPaths[^1] : null;
        var options = new CliOptions(
            configPath ?? ConfigLoader.DefaultPath,
            configPath is not null,
            parsed.GetValue(listControls),
            parsed.GetValue(testPattern),
            parsed.GetValue(listen),
            parsed.GetValue(port),
            parsed.GetValue(verbose));

        root.SetAction(_ =>
        {
            if (parsed.GetValue(decodeBench) is string benchPath) return DecoderTool.Bench(benchPath, 3, output, error);
            if (parsed.GetValue(decodeYuv) is string yuvPath)
            {
                using Stream stdout = Console.OpenStandardOutput();
                return DecoderTool.WriteYuv(yuvPath, stdout, error);
            }
            try
            {
                return run(options);
            }
            catch (ConfigException e)
            {
                error.WriteLine($"{ProgramName}: {e.Message}");
                return ExitCodes.Usage;
            }
        });
        // Help and version are the parse result's action when given; otherwise ours runs.
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
        };
        return parsed.Invoke(invocation);
    }

    private static int? ParsePort(ArgumentResult result)
    {
        string text = result.Tokens[^1].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535)
            return port;
        result.AddError($"--port: '{text}' is not a port number (1..65535)");
        return null;
    }

    /// <summary>The version of this assembly, without the source-revision suffix.</summary>
    public static string Version
    {
        get
        {
            Assembly assembly = typeof(CommandLine).Assembly;
            string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            version ??= assembly.GetName().Version?.ToString() ?? "0";
            int plus = version.IndexOf('+');
            return plus >= 0 ? version[..plus] : version;
        }
    }

    /// <summary>"fmp4streamer 1.0.0" from our assembly (the default names the entry assembly, e.g. testhost).</summary>
    private sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine($"{ProgramName} {Version}");
            return ExitCodes.Ok;
        }
    }
}
