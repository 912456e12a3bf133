namespace Fmp4Streamer.Config;

/// <summary>
/// The built-in defaults, typed: what an empty config file gives, parsed from the key table. The options records
/// of the other layers take their defaults from here, so a default is written once, in <see cref="ConfigKeys"/>.
/// </summary>
public static class ConfigDefaults
{
    public static ServerConfig Server => StreamerConfig.Default.Server;

    /// <summary>The default source section (/dev/video0): size, rate, auto_sleep, rotation.</summary>
    public static SourceConfig Source => StreamerConfig.Default.Sources[0];

    public static long Microseconds(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;
}
