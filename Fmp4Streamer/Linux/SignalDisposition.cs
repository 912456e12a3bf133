using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Linux;

/// <summary>What the process does with a signal before the runtime's handlers are registered.</summary>
public static unsafe class SignalDisposition
{
    /// <summary>
    /// Makes an inherited "ignore" of <paramref name="signal"/> the default again. A daemon started under nohup (or by a
    /// parent that ignores SIGHUP) inherits SIGHUP ignored, and the runtime leaves an ignored signal alone: its reload
    /// handler would never run. Returns whether it had been ignored.
    /// </summary>
    public static bool StopIgnoring(int signal)
    {
        sigaction old = default;
        if (LibC.sigaction(signal, null, &old) != 0 || old.sa_handler != SIG_IGN) return false;
        sigaction act = default;
        act.sa_handler = SIG_DFL;
        sigemptyset(&act.sa_mask);
        return LibC.sigaction(signal, &act, null) == 0;
    }
}
