namespace Fmp4Streamer.Http.Settings;

/// <summary>
/// Changed values still to be written to the config file. Writing flushes the disk, which takes tens of milliseconds
/// on an SD card: it runs on <see cref="SettingsSaver"/>'s thread, and the answer waits for it off the loop.
/// </summary>
public interface IPendingSave
{
    /// <summary>Writes the values (on the saver's thread); the error for the answer and the log, or null.</summary>
    string? Write();
}
