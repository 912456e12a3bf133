namespace Fmp4Streamer.Diagnostics.Metrics;

/// <summary>A value that goes up and down (connections open), owned and updated like a <see cref="Counter"/>.</summary>
public sealed class Gauge
{
    public long Value;

    public void Increment() => Value++;

    public void Decrement() => Value--;

    public void Set(long value) => Value = value;
}
