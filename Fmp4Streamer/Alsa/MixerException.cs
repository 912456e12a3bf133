namespace Fmp4Streamer.Alsa;

/// <summary>
/// A mixer setting the card cannot take (no such control, a value out of range or not one of its items): the message
/// names the config file, line and key. The daemon exits 3 on it at start, as for a bad V4L2 control.
/// </summary>
public sealed class MixerException : Exception
{
    public MixerException(string message) : base(message) { }
}
