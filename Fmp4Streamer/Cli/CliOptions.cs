using Fmp4Streamer.Config;

namespace Fmp4Streamer.Cli;

/// <summary>What the command line asked for, read from System.CommandLine's parse result.</summary>
/// <param name="ConfigPath">-c FILE, or fmp4streamer.conf.</param>
/// <param name="ConfigPathGiven">True when -c was given: then a missing file is an error.</param>
/// <param name="ListControls">-l: list the controls of the configured devices and exit.</param>
/// <param name="TestPattern">--test-pattern: stream the built-in test pattern instead of the sources.</param>
/// <param name="Listen">--listen ADDR, replacing [server] listen; null if not given.</param>
/// <param name="Port">--port N, replacing [server] port; null if not given.</param>
/// <param name="Verbose">-v: debug lines too, whatever [server] log_level says.</param>
public sealed record CliOptions(
    string ConfigPath,
    bool ConfigPathGiven,
    bool ListControls,
    bool TestPattern,
    string? Listen,
    int? Port,
    bool Verbose = false)
{
    /// <summary>Defaults: what running without arguments means.</summary>
    public static CliOptions Default { get; } = new(ConfigLoader.DefaultPath, false, false, false, null, null);

    /// <summary>
    /// Loads the config file and applies --test-pattern, --listen and --port (command line wins).
    /// Throws ConfigException (exit code 2 through <see cref="CommandLine.Run(string[], Func{CliOptions, int})"/>).
    /// </summary>
    public StreamerConfig LoadConfig()
    {
        StreamerConfig config = ConfigLoader.Load(ConfigPath, ConfigPathGiven);
        if (TestPattern) config = StreamerConfig.ForTestPattern(config);
        return config.WithServerOverrides(Listen, Port);
    }
}
