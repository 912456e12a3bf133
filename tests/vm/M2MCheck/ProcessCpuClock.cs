using System.Runtime.InteropServices;

namespace Fmp4Streamer.M2MCheck;

/// <summary>
/// CPU time of this process (user + kernel, all threads) in µs with ns resolution: /proc's tick counts are too
/// coarse for a few hundred frames.
/// </summary>
public static unsafe partial class ProcessCpuClock
{
    private const int ClockProcessCpuTimeId = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, TimeSpec* time);

    public static long NowUs
    {
        get
        {
            TimeSpec t;
            if (ClockGetTime(ClockProcessCpuTimeId, &t) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
            return t.Seconds * 1_000_000 + t.Nanoseconds / 1000;
        }
    }
}
