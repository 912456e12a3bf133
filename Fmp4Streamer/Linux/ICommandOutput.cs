namespace Fmp4Streamer.Linux;

/// <summary>
/// What a <see cref="SupervisedCommand"/> does with its child's standard output. The supervisor reads straight into
/// <see cref="ReadSpace"/>, so the owner's buffer receives the bytes with no copy in between.
/// </summary>
public interface ICommandOutput
{
    /// <summary>Where the next read lands (never empty).</summary>
    Span<byte> ReadSpace { get; }

    /// <summary>A read put <paramref name="count"/> bytes at the start of <see cref="ReadSpace"/>.</summary>
    void OnRead(int count);

    /// <summary>A new copy of the command started: what was kept from an earlier copy's output no longer follows.</summary>
    void OnStarted();

    /// <summary>The command closed its output (it exited or crashed); a restart follows after the back-off.</summary>
    void OnClosed();
}
