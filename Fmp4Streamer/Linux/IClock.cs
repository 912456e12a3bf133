namespace Fmp4Streamer.Linux;

/// <summary>
/// The loop's time source in microseconds. Production reads CLOCK_MONOTONIC (<see cref="SystemClock"/>); tests hand
/// the loop a clock they move by hand, so deadlines, stall timeouts and grace periods fire without sleeping.
/// </summary>
public interface IClock
{
    long NowUs { get; }
}
