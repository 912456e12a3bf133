using Fmp4Streamer.Config;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Settings;

/// <summary>
/// Saves changed control values into the config file the daemon was started with: read fresh (someone may have
/// edited it since), each value set in its section by <see cref="ConfigRewriter"/>, replaced atomically.
/// </summary>
public sealed class SettingsFile
{
    public readonly record struct Change(string Section, string Key, string Value);

    private readonly string _path;
    private readonly AtomicFileWriter _writer;

    public SettingsFile(string path, AtomicFileWriter? writer = null)
    {
        _path = path;
        _writer = writer ?? new AtomicFileWriter();
    }

    public string Path => _path;

    /// <summary>False with a message for the log and the answer when the file could not be written (it is then unchanged).</summary>
    public bool TrySave(IReadOnlyList<Change> changes, out string error)
    {
        error = "";
        try
        {
            string text = File.Exists(_path) ? File.ReadAllText(_path) : "";
            string updated = text;
            foreach (var c in changes) updated = ConfigRewriter.SetValue(updated, c.Section, c.Key, c.Value);
            if (updated == text) return true;
            // A byte-order mark at the start survives: ReadAllText dropped it, so write it back.
            bool bom = HasBom(_path);
            var bytes = System.Text.Encoding.UTF8.GetBytes(updated);
            if (bom) bytes = [0xEF, 0xBB, 0xBF, .. bytes];
            _writer.Write(_path, bytes);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            error = $"cannot save the settings to {_path}: {e.Message}";
            return false;
        }
    }

    private static bool HasBom(string path)
    {
        if (!File.Exists(path)) return false;
        Span<byte> head = stackalloc byte[3];
        using var stream = File.OpenRead(path);
        return stream.Read(head) == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF;
    }
}
