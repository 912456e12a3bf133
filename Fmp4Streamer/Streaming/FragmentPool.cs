using Fmp4Streamer.Diagnostics.Metrics;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Streaming;

/// <summary>
/// Recycles fragment buffers on the loop thread. Buffers only grow (to the largest frame seen), so in a steady
/// state renting allocates nothing.
/// </summary>
public sealed class FragmentPool
{
    private readonly Stack<SharedFragment> _free = new();
    private readonly int _initialCapacity;
    private readonly IClock _clock;
    private readonly Histogram? _fanOutHistogram;

    /// <param name="clock">The loop's clock, the one arrival times are read from.</param>
    /// <param name="fanOutHistogram">Also records each fan-out delay there (the stream's /metrics histogram).</param>
    public FragmentPool(IClock clock, Histogram? fanOutHistogram = null, int initialCapacity = 64 * 1024)
    {
        _clock = clock;
        _fanOutHistogram = fanOutHistogram;
        _initialCapacity = initialCapacity;
    }

    /// <summary>
    /// Time from a frame's arrival to the release of its last reference: the moment the last client's kernel
    /// accepted its last byte (clients release a fragment when it is fully sent). Fragments held for HLS replay
    /// are left out.
    /// </summary>
    public DelayHistogram FanOutDelay { get; } = new();

    /// <summary>Fragments currently rented (held by someone).</summary>
    public int Outstanding { get; private set; }

    /// <summary>Returns a fragment with one reference (the caller's) and room for at least <paramref name="bytes"/>.</summary>
    public SharedFragment Rent(int bytes)
    {
        var f = _free.Count > 0 ? _free.Pop() : new SharedFragment(this, Math.Max(bytes, _initialCapacity));
        f.EnsureCapacity(bytes);
        f.ResetForReuse();
        Outstanding++;
        return f;
    }

    internal void Return(SharedFragment fragment)
    {
        Outstanding--;
        if (!fragment.HeldForReplay)
        {
            long delayUs = _clock.NowUs - fragment.ArrivalUs;
            FanOutDelay.Record(delayUs);
            _fanOutHistogram?.Record(delayUs);
        }
        fragment.HeldForReplay = false;
        fragment.Length = 0;
        _free.Push(fragment);
    }
}
