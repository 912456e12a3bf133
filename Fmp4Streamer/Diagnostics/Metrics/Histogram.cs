namespace Fmp4Streamer.Diagnostics.Metrics;

/// <summary>
/// Durations in fixed buckets for a Prometheus histogram: recorded in microseconds, exposed in seconds. The last
/// bucket (+Inf) takes what passes the largest bound. Allocation-free; loop thread only.
/// </summary>
public sealed class Histogram
{
    /// <summary>100 µs to 10 s: a frame's fan-out takes a few hundred µs when clients keep up, seconds when not.</summary>
    public static readonly long[] LatencyBoundsUs =
    {
        100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000, 10_000_000,
    };

    private readonly long[] _boundsUs;
    private readonly long[] _counts;

    public Histogram(long[] boundsUs)
    {
        _boundsUs = boundsUs;
        _counts = new long[boundsUs.Length + 1];
    }

    public long Count { get; private set; }
    public long SumUs { get; private set; }

    /// <summary>Upper bounds (inclusive) of the finite buckets, in µs.</summary>
    public ReadOnlySpan<long> BoundsUs => _boundsUs;

    /// <summary>Observations per bucket (not cumulative); the last one is above every bound.</summary>
    public ReadOnlySpan<long> Counts => _counts;

    public void Record(long us)
    {
        if (us < 0) us = 0;
        int i = 0;
        while (i < _boundsUs.Length && us > _boundsUs[i]) i++;
        _counts[i]++;
        Count++;
        SumUs += us;
    }
}
