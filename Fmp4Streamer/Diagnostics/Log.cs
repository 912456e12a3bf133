namespace Fmp4Streamer.Diagnostics;

/// <summary>
/// One line per event on stderr, prefixed with a syslog priority so journald keeps the level
/// ("&lt;6&gt;HTTP 127.0.0.1:5000: joined"). A message of several lines (a stack trace) gets the prefix on each line,
/// so journald files all of them at the same level. Callers check <see cref="IsEnabled"/> before formatting hot
/// messages.
/// </summary>
public static class Log
{
    public enum Level { Error = 3, Warning = 4, Info = 6, Debug = 7 }

    public static Level Threshold { get; set; } = Level.Info;

    /// <summary>Where lines go: stderr, which systemd hands to journald; tests capture it.</summary>
    public static TextWriter Output { get; set; } = Console.Error;

    private static readonly object s_lock = new();

    public static bool IsEnabled(Level level) => level <= Threshold;

    public static void Error(string component, string message) => Write(Level.Error, component, message);
    public static void Warning(string component, string message) => Write(Level.Warning, component, message);
    public static void Info(string component, string message) => Write(Level.Info, component, message);
    public static void Debug(string component, string message) => Write(Level.Debug, component, message);

    public static void Write(Level level, string component, string message)
    {
        if (!IsEnabled(level)) return;
        string prefix = $"<{(int)level}>";
        string line = $"{prefix}{component}: {message}\n";
        if (message.Contains('\n')) line = line.TrimEnd('\n').Replace("\n", "\n" + prefix) + "\n";
        lock (s_lock) Output.Write(line);
    }
}
