namespace Fmp4Streamer.Streaming;

/// <summary>
/// Counts delays in microseconds in buckets that grow by 1/8 of a power of two (under 10% error), allocation-free,
/// so the loop can record every frame's fan-out delay and report the median and p99 when it stops. Delays from
/// <see cref="CeilingUs"/> on are only counted as above it: a quantile among them is reported as "&gt; ceiling",
/// never as a bucket bound that was not measured.
/// </summary>
public sealed class DelayHistogram
{
    /// <summary>About 8.4 s (2^23 µs): beyond it a delay is "more than that".</summary>
    public const long CeilingUs = 1L << 23;

    private const int SubBuckets = 8;
    private readonly long[] _counts = new long[BucketOf(CeilingUs - 1) + 1];

    public long Count { get; private set; }

    /// <summary>Delays of <see cref="CeilingUs"/> or more.</summary>
    public long Overflow { get; private set; }

    public void Record(long delayUs)
    {
        if (delayUs < 0) delayUs = 0;
        if (delayUs >= CeilingUs) Overflow++;
        else _counts[BucketOf(delayUs)]++;
        Count++;
    }

    /// <summary>
    /// The upper bound of the bucket holding the given quantile (0..1), in µs; 0 when empty; -1 when the quantile
    /// lies above <see cref="CeilingUs"/>.
    /// </summary>
    public long Quantile(double q)
    {
        if (Count == 0) return 0;
        long rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank && _counts[i] > 0) return UpperBound(i);
        }
        return -1;
    }

    /// <summary>"1234 us", or "&gt; 8388608 us" when the quantile lies above the ceiling.</summary>
    public string Describe(double q)
    {
        long us = Quantile(q);
        return us < 0 ? $"> {CeilingUs} us" : $"{us} us";
    }

    private static int BucketOf(long value)
    {
        if (value < SubBuckets) return (int)value;
        int exponent = 63 - (int)long.LeadingZeroCount(value); // >= 3
        int fraction = (int)(value >> (exponent - 3)) & (SubBuckets - 1);
        return (exponent - 2) * SubBuckets + fraction;
    }

    private static long UpperBound(int bucket)
    {
        if (bucket < SubBuckets) return bucket;
        int exponent = bucket / SubBuckets + 2;
        int fraction = bucket % SubBuckets;
        return ((long)(SubBuckets + fraction + 1) << (exponent - 3)) - 1;
    }
}
