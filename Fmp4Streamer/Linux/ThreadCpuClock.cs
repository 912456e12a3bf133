using System.Runtime.InteropServices;

namespace Fmp4Streamer.Linux;

/// <summary>
/// CPU time of the calling thread (clock_gettime(CLOCK_THREAD_CPUTIME_ID), which Tmds.LibC does not bind): what a
/// benchmark on a shared machine should count, since waiting for the processor does not add to it.
/// </summary>
public static partial class ThreadCpuClock
{
    private const int CLOCK_THREAD_CPUTIME_ID = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc")]
    private static partial int clock_gettime(int clock, out Timespec time);

    /// <summary>Nanoseconds of CPU time this thread has used.</summary>
    public static long NowNs => clock_gettime(CLOCK_THREAD_CPUTIME_ID, out Timespec t) == 0 ? t.Seconds * 1_000_000_000 + t.Nanoseconds : 0;
}
