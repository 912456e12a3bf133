using System.Diagnostics;

namespace Fmp4Streamer.Linux;

/// <summary>
/// CLOCK_MONOTONIC in microseconds. On Linux Stopwatch reads clock_gettime(CLOCK_MONOTONIC), the same clock
/// V4L2 stamps buffers with (V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC), so capture times and loop times compare.
/// </summary>
public static class MonotonicClock
{
    private static readonly double s_ticksToUs = 1_000_000.0 / Stopwatch.Frequency;

    public static long NowUs => Stopwatch.Frequency == 1_000_000_000
        ? Stopwatch.GetTimestamp() / 1000
        : (long)(Stopwatch.GetTimestamp() * s_ticksToUs);
}
