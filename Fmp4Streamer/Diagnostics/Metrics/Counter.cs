namespace Fmp4Streamer.Diagnostics.Metrics;

/// <summary>
/// A count that only grows, owned by the component that counts and updated in place on the loop thread (a plain
/// long: nothing to allocate or lock); a <see cref="MetricsRegistry"/> only reads it.
/// </summary>
public sealed class Counter
{
    public long Value;

    public void Increment() => Value++;

    public void Add(long amount) => Value += amount;
}
