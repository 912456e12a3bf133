namespace Fmp4Streamer.Config;

/// <summary>What produces a stream's H264.</summary>
public enum SourceKind
{
    /// <summary>A V4L2 capture device (section name = device path), optionally through M2M decoder/encoder.</summary>
    Device,
    /// <summary>A process writing Annex-B H264 to stdout (section with command = ...).</summary>
    Command,
    /// <summary>The built-in test pattern (section with test_pattern = yes, or --test-pattern).</summary>
    TestPattern,
}
