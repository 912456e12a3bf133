namespace Fmp4Streamer.V4L2;

/// <summary>
/// A device or configuration problem no retry fixes by itself (not a capture device, format refused, bad control
/// value). The message names the device (and the config location for controls); the daemon exits 3 on it at start.
/// </summary>
public sealed class V4l2Exception : Exception
{
    public V4l2Exception(string message) : base(message) { }
}
