using Fmp4Streamer.Diagnostics;

namespace Fmp4Streamer.Config;

/// <summary>Reads the config file (or falls back to the defaults) and logs the parser's warnings.</summary>
public static class ConfigLoader
{
    /// <summary>The config file used when -c is not given, relative to the working directory (as the original).</summary>
    public const string DefaultPath = "fmp4streamer.conf";

    /// <summary>
    /// Loads <paramref name="path"/>. A missing file is fine when it is the default path (warning, built-in
    /// defaults, as the original), but an error when given with -c (<paramref name="explicitPath"/>).
    /// </summary>
    public static StreamerConfig Load(string path, bool explicitPath)
    {
        string? text = Read(path, explicitPath);
        if (text is null)
        {
            Log.Warning("Config", $"{path} not found, using the built-in defaults ({ConfigParser.DefaultDevice}, " +
                "640x480 30 fps H264, port 8000)");
            return StreamerConfig.Default;
        }
        StreamerConfig config = Parse(text, path);
        foreach (string warning in config.Warnings) Log.Warning("Config", warning);
        return config;
    }

    /// <summary>Parses config text; <paramref name="fileName"/> is used in locations and messages.</summary>
    public static StreamerConfig Parse(string text, string fileName) =>
        ConfigParser.Parse(IniReader.Parse(text, fileName));

    /// <summary>The file's text, or null when the (default) file does not exist.</summary>
    private static string? Read(string path, bool explicitPath)
    {
        var location = new ConfigLocation(path, 0);
        if (Directory.Exists(path))
            throw new ConfigException(location, null, "is a directory, not a config file");
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            if (explicitPath) throw new ConfigException(location, null, "config file not found");
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            throw new ConfigException(location, null, "cannot read the config file: permission denied");
        }
        catch (IOException e)
        {
            throw new ConfigException(location, null, "cannot read the config file: " + e.Message);
        }
    }
}
