namespace Fmp4Streamer.Linux;

/// <summary>Told on the loop thread when a stopped <see cref="ChildProcess"/> has completely gone.</summary>
public interface IChildReaperObserver
{
    void OnChildGone(ChildProcess child);
}

/// <summary>
/// Stops child processes without blocking the loop: SIGTERM to the group and the pipes closed at once, SIGKILL to
/// whatever is left after the grace period, and a poll every few milliseconds (waitpid with WNOHANG, then a probe
/// of the group) until the leader is reaped and the group is empty. Nothing is left behind: no zombie, no
/// orphaned program holding a camera.
/// </summary>
public sealed class ChildReaper : ITimerCallback
{
    /// <summary>How often a stopping group is checked: short next to the restart it may hold up.</summary>
    public const long PollIntervalUs = 20_000;

    private readonly EventLoop _loop;
    private readonly LoopTimer _timer;
    private readonly long _graceUs;
    private readonly IChildReaperObserver _observer;
    private readonly List<Stopping> _stopping = new();

    private sealed class Stopping(ChildProcess child, long killAtUs)
    {
        public readonly ChildProcess Child = child;
        public readonly long KillAtUs = killAtUs;
        public bool Killed;
    }

    public ChildReaper(EventLoop loop, long graceUs, IChildReaperObserver observer)
    {
        _loop = loop;
        _timer = new LoopTimer(loop, this);
        _graceUs = graceUs;
        _observer = observer;
    }

    /// <summary>Children signalled and not yet gone.</summary>
    public int Count => _stopping.Count;

    /// <summary>Signals the group and closes the pipes (unregister them from the loop first); the observer hears when it is gone.</summary>
    public void Stop(ChildProcess child)
    {
        child.ClosePipes();
        child.SignalGroup(Tmds.Linux.LibC.SIGTERM);
        _stopping.Add(new Stopping(child, _loop.NowUs + _graceUs));
        if (!_timer.IsActive) _timer.Start(PollIntervalUs);
    }

    /// <summary>
    /// Blocks until every child is gone (shutdown, when the loop no longer runs): the rest of each grace period,
    /// then SIGKILL. Returns the children that survived even SIGKILL (none, unless stuck in the kernel).
    /// </summary>
    public List<ChildProcess> StopAllAndWait()
    {
        _timer.Stop();
        var survivors = new List<ChildProcess>();
        foreach (var s in _stopping)
        {
            long left = Math.Max(0, s.KillAtUs - _loop.NowUs);
            if (!s.Child.StopAndWait(s.Killed ? 0 : left)) survivors.Add(s.Child);
        }
        _stopping.Clear();
        return survivors;
    }

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        long now = _loop.NowUs;
        for (int i = _stopping.Count - 1; i >= 0; i--)
        {
            var s = _stopping[i];
            if (s.Child.HasEnded)
            {
                _stopping.RemoveAt(i);
                _observer.OnChildGone(s.Child);
                continue;
            }
            if (!s.Killed && now >= s.KillAtUs)
            {
                s.Child.SignalGroup(Tmds.Linux.LibC.SIGKILL);
                s.Killed = true;
            }
        }
        if (_stopping.Count > 0 && !_timer.IsActive) _timer.Start(PollIntervalUs);
    }
}
