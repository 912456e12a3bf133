namespace Fmp4Streamer.V4L2;

/// <summary>A parsed config value: a number (menu: the item index) or, for string controls, text.</summary>
public readonly record struct ControlValue(long Number, string? Text);
