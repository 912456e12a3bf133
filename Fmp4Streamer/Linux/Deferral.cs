namespace Fmp4Streamer.Linux;

/// <summary>
/// "Run this after the current dispatch": work that must not happen inside the callback that asked for it (closing a
/// connection from inside the hub's fan-out, unmapping a buffer a caller still reads, answering held requests once a
/// frame is fully handled). Owned by its user and reused like a <see cref="LoopTimer"/>, so scheduling allocates
/// nothing; scheduling an already scheduled deferral does nothing. The loop runs it as soon as the current handler,
/// timer or posted action returns, before the next one.
/// </summary>
public sealed class Deferral
{
    private readonly EventLoop _loop;
    private readonly IDeferredCallback _callback;

    internal int Slot = -1;

    public Deferral(EventLoop loop, IDeferredCallback callback)
    {
        _loop = loop;
        _callback = callback;
    }

    public bool IsScheduled => Slot >= 0;

    public void Schedule() => _loop.Schedule(this);

    public void Cancel() => _loop.Unschedule(this);

    internal void Fire() => _callback.OnDeferred(this);
}
