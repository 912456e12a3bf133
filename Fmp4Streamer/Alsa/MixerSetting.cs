namespace Fmp4Streamer.Alsa;

/// <summary>One mixer key of a section: key as written (lower-case, with its mixer_ prefix), raw value, "file:line".</summary>
public sealed record MixerSetting(string Key, string Value, string Location);
