namespace Fmp4Streamer.Linux;

/// <summary>A one-shot timer owned by its user and driven by the epoll timeout of one <see cref="EventLoop"/>.</summary>
public sealed class LoopTimer
{
    private readonly EventLoop _loop;
    private readonly ITimerCallback _callback;

    internal long DueUs;
    internal int Slot = -1;

    public LoopTimer(EventLoop loop, ITimerCallback callback)
    {
        _loop = loop;
        _callback = callback;
    }

    public bool IsActive => Slot >= 0;

    /// <summary>Arms (or re-arms) the timer to fire once after <paramref name="delayUs"/> microseconds of loop time.</summary>
    public void Start(long delayUs) => StartAt(_loop.NowUs + delayUs);

    /// <summary>Arms the timer for an absolute time of the loop's clock; used by periodic users to avoid drift.</summary>
    public void StartAt(long dueUs)
    {
        DueUs = dueUs;
        _loop.Arm(this);
    }

    public void Stop() => _loop.Disarm(this);

    internal void Fire() => _callback.OnTimer(this);
}
