namespace Fmp4Streamer;

/// <summary>A source that cannot work with this device or setting at all (not a transient fault): exit 3.</summary>
public sealed class SourceSetupException : Exception
{
    public SourceSetupException(string message, Exception? inner = null) : base(message, inner) { }
}
