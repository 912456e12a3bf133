using System.Runtime.InteropServices;

namespace Fmp4Streamer.Linux;

/// <summary>setpriority(2) for the [server] priority key (a nice value); Tmds.LibC does not bind it.</summary>
public static partial class ProcessPriority
{
    private const int PRIO_PROCESS = 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, uint who, int prio);

    /// <summary>Sets the nice value of this process; false (with errno) when not permitted.</summary>
    public static bool TrySet(int nice) => setpriority(PRIO_PROCESS, 0, nice) == 0;
}
