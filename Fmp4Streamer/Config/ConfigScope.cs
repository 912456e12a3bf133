namespace Fmp4Streamer.Config;

/// <summary>Which sections a key belongs to.</summary>
public enum ConfigScope
{
    /// <summary>[server].</summary>
    Server,
    /// <summary>Every source section: device, command or test pattern.</summary>
    Source,
    /// <summary>Device source sections only (V4L2 capture chain).</summary>
    Device,
}
