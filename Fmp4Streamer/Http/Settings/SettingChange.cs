namespace Fmp4Streamer.Http.Settings;

/// <summary>One "name = value" of a settings request, the value as text (JSON numbers and booleans as written).</summary>
public readonly record struct SettingChange(string Key, string Value);
