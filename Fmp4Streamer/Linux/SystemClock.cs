namespace Fmp4Streamer.Linux;

/// <summary>The real <see cref="IClock"/>: <see cref="MonotonicClock"/>, the clock V4L2 stamps buffers with.</summary>
public sealed class SystemClock : IClock
{
    public static SystemClock Instance { get; } = new();

    private SystemClock() { }

    public long NowUs => MonotonicClock.NowUs;
}
