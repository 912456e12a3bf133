namespace Fmp4Streamer.Cli;

/// <summary>Process exit codes (the original used 2 for usage and 3 for configuration/device errors).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad command line or bad config file: the user must fix the invocation or the file.</summary>
    public const int Usage = 2;

    /// <summary>A device could not be set up or failed (format not offered, busy, gone).</summary>
    public const int Device = 3;

    /// <summary>
    /// A bug: an event handler threw (sysexits' EX_SOFTWARE). The stack is logged; systemd's Restart= starts the
    /// daemon again.
    /// </summary>
    public const int Software = 70;
}
