using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Http.Access;

/// <summary>
/// Requests held by the access gate with a time: a wrong password's 401 waits out its delay, and a password from an
/// address that recently sent wrong ones waits before it is checked. One timer for all of them; a held request that
/// waits for a bcrypt check instead (no time) is woken by the check.
/// </summary>
internal sealed class AccessHolds : ITimerCallback
{
    private readonly EventLoop _loop;
    private readonly LoopTimer _timer;
    private readonly List<(HttpConnection Connection, long DueUs, bool Deny)> _held = new();

    public AccessHolds(EventLoop loop)
    {
        _loop = loop;
        _timer = new LoopTimer(loop, this);
    }

    public int Count => _held.Count;

    /// <summary>Holds the connection's current request; after <paramref name="delayUs"/> it gets its 401 (deny) or is tried again.</summary>
    public void Hold(HttpConnection connection, long delayUs, bool deny)
    {
        connection.HoldForAccess();
        if (delayUs <= 0 && !deny) return;
        long due = _loop.NowUs + Math.Max(0, delayUs);
        _held.Add((connection, due, deny));
        if (!_timer.IsActive || due < _timer.DueUs) _timer.StartAt(due);
    }

    public void OnTimer(LoopTimer timer)
    {
        long now = _loop.NowUs;
        long next = long.MaxValue;
        // Collect first: answering may hold the same connection again (a pipelined request behind it).
        var due = new List<(HttpConnection Connection, long DueUs, bool Deny)>();
        for (int i = _held.Count - 1; i >= 0; i--)
        {
            if (_held[i].DueUs <= now)
            {
                due.Add(_held[i]);
                _held.RemoveAt(i);
            }
            else next = Math.Min(next, _held[i].DueUs);
        }
        if (next != long.MaxValue) _timer.StartAt(next);
        for (int i = due.Count - 1; i >= 0; i--)
        {
            var (connection, _, deny) = due[i];
            if (deny) connection.DenyHeldRequest();
            else connection.ResumeAfterAccess();
        }
    }

    public void Stop()
    {
        _held.Clear();
        _timer.Stop();
    }
}
