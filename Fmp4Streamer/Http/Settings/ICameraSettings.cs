namespace Fmp4Streamer.Http.Settings;

/// <summary>
/// One camera's controls as the HTTP side sees them: described as JSON, changed by name. Implemented above the V4L2
/// layer; the HTTP layer only formats the answer and decides who may ask.
/// </summary>
public interface ICameraSettings
{
    /// <summary>Writes the members describing the devices and their controls into the open object.</summary>
    void WriteControls(JsonWriter json);

    /// <summary>
    /// Applies <paramref name="changes"/> in order, logging each with <paramref name="client"/>; writes the per-name
    /// results into the open object. Returns true when every change was taken. Values to be written to the config
    /// file come back as <paramref name="save"/> (the caller runs it off the loop and reports how it went); otherwise
    /// the object already says why nothing is saved.
    /// </summary>
    bool Apply(IReadOnlyList<SettingChange> changes, string client, JsonWriter json, out IPendingSave? save);
}
