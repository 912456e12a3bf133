namespace Fmp4Streamer.Config;

/// <summary>Where a config value came from: a file and a 1-based line (0 = no particular line, e.g. built-in).</summary>
public readonly record struct ConfigLocation(string File, int Line)
{
    /// <summary>"FILE:LINE", or "FILE" when there is no line.</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
