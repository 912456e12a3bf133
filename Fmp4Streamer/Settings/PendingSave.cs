using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Http.Settings;

namespace Fmp4Streamer.Settings;

/// <summary>One request's changed values for the config file, written on the saver's thread.</summary>
internal sealed class PendingSave(SettingsFile file, IReadOnlyList<SettingsFile.Change> changes, string component) : IPendingSave
{
    public string? Write()
    {
        if (file.TrySave(changes, out string error)) return null;
        Log.Error(component, error);
        return error;
    }
}
