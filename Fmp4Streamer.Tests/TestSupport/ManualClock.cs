using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>
/// An <see cref="IClock"/> that moves only when told. Give it to an <see cref="EventLoop"/>, advance it, then
/// <c>loop.RunOnce(0)</c> fires the timers that became due: timeout tests without sleeping.
/// </summary>
public sealed class ManualClock : IClock
{
    /// <summary>Starts well above zero so "now minus a timeout" never goes negative.</summary>
    public long NowUs { get; set; } = 1_000_000_000;

    public void Advance(long us) => NowUs += us;

    public void Advance(TimeSpan span) => NowUs += span.Ticks / TimeSpan.TicksPerMicrosecond;
}

/// <summary>Moves a loop's manual clock and runs what became due.</summary>
public static class ManualClockLoop
{
    /// <summary>Advances in steps of at most <paramref name="stepUs"/>, running due timers after each step.</summary>
    public static void AdvanceAndRun(this EventLoop loop, ManualClock clock, long us, long stepUs = long.MaxValue)
    {
        while (us > 0)
        {
            long step = Math.Min(us, stepUs);
            clock.Advance(step);
            us -= step;
            loop.RunOnce(0);
        }
    }
}
