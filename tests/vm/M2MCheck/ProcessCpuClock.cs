using System.Runtime.InteropServices;

namespace Fmp4Streamer.M2MCheck;

/// <summary>
/// CPU time of this process (user + kernel, all threads) or thread in µs with ns resolution: /proc's tick counts are too
/// coarse for a few hundred frames.
/// </summary>
public static unsafe partial class ProcessCpuClock
{
    private const int ClockProcessCpuTimeId = 2;
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, TimeSpec* time);

    public static long NowUs => Read(ClockProcessCpuTimeId);

    /// <summary>CPU time of the calling thread (the event loop's), for the cost of one call.</summary>
    public static long ThreadNowUs => Read(ClockThreadCpuTimeId);

    private static long Read(int clock)
    {
        TimeSpec t;
        if (ClockGetTime(clock, &t) != 0) throw new InvalidOperationException($"clock_gettime({clock}) failed");
        return t.Seconds * 1_000_000 + t.Nanoseconds / 1000;
    }
}
