using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Linux;

/// <summary>
/// The single-threaded epoll loop that drives devices, pipes and sockets. Handlers are found through a table
/// indexed by fd; the fd and its registration's generation travel in the epoll data, and dispatch drops an event
/// whose generation is not the current one, so an event fetched for an fd that a handler earlier in the same batch
/// closed never reaches a new registration that reused its number. Timers run through the epoll_wait timeout on the
/// loop's <see cref="IClock"/>; <see cref="Deferral"/>s run right after the dispatch that scheduled them; other threads
/// reach the loop only through <see cref="Post"/>, which wakes it with an eventfd.
/// <para>
/// A handler that throws is a bug, not a client's fault: nothing is caught here. The exception leaves
/// <see cref="Run"/> (or <see cref="RunOnce"/>) with the batch unfinished; the program logs it with its stack and
/// exits non-zero, and the service manager restarts the daemon. Errors a handler expects (a client gone, EAGAIN, a
/// device vanishing) are its own to handle and never reach the loop.
/// </para>
/// </summary>
public sealed unsafe class EventLoop : IDisposable
{
    private const int MaxEventsPerWait = 256;

    private readonly int _epollFd;
    private readonly int _wakeFd;
    private readonly epoll_event* _events;
    private IPollable?[] _handlers = new IPollable?[1024];
    private uint[] _generations = new uint[1024];
    private uint _nextGeneration;
    private readonly List<LoopTimer> _timers = new();
    private readonly IClock _clock;
    private Deferral?[] _deferred = new Deferral?[64];
    private int _deferredCount;
    private readonly ConcurrentQueue<Action> _posted = new();
    private volatile bool _stopRequested;
    private int _loopThreadId;

    public EventLoop() : this(SystemClock.Instance) { }

    /// <summary>A loop whose timers run on <paramref name="clock"/> (tests pass a clock they advance by hand).</summary>
    public EventLoop(IClock clock)
    {
        _clock = clock;
        _epollFd = epoll_create1(EPOLL_CLOEXEC);
        if (_epollFd < 0) throw LinuxError.Exception("epoll_create1");
        _wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (_wakeFd < 0) throw LinuxError.Exception("eventfd");
        _events = (epoll_event*)NativeMemory.AllocZeroed((nuint)(MaxEventsPerWait * sizeof(epoll_event)));
        Control(EPOLL_CTL_ADD, _wakeFd, EPOLLIN);
    }

    /// <summary>The time source of the loop's timers; everything on the loop that measures time reads it.</summary>
    public IClock Clock => _clock;

    /// <summary>The loop's current time in microseconds (CLOCK_MONOTONIC unless a test replaced the clock).</summary>
    public long NowUs => _clock.NowUs;

    /// <summary>True when called on the thread that runs <see cref="Run"/>.</summary>
    public bool IsLoopThread => Environment.CurrentManagedThreadId == _loopThreadId;

    public void Add(int fd, int events, IPollable handler)
    {
        if (fd >= _handlers.Length)
        {
            int size = Math.Max(fd + 1, _handlers.Length * 2);
            Array.Resize(ref _handlers, size);
            Array.Resize(ref _generations, size);
        }
        _handlers[fd] = handler;
        _generations[fd] = ++_nextGeneration;
        Control(EPOLL_CTL_ADD, fd, events);
    }

    public void Modify(int fd, int events) => Control(EPOLL_CTL_MOD, fd, events);

    /// <summary>Unregisters an fd; call before closing it. Events already fetched for it are ignored.</summary>
    public void Remove(int fd)
    {
        if (fd < _handlers.Length) _handlers[fd] = null;
        epoll_event ev = default;
        epoll_ctl(_epollFd, EPOLL_CTL_DEL, fd, &ev);
    }

    /// <summary>Runs <paramref name="action"/> on the loop thread soon; callable from any thread.</summary>
    public void Post(Action action)
    {
        _posted.Enqueue(action);
        Wake();
    }

    /// <summary>Makes <see cref="Run"/> return after the current iteration; callable from any thread.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        Wake();
    }

    public void Run()
    {
        _loopThreadId = Environment.CurrentManagedThreadId;
        while (!_stopRequested) RunOnce(NextTimeoutMs());
    }

    /// <summary>
    /// One wait-and-dispatch round; tests call it directly with a timeout (0 runs what is ready and the timers due on
    /// the loop's clock without waiting).
    /// </summary>
    public void RunOnce(int timeoutMs)
    {
        _loopThreadId = Environment.CurrentManagedThreadId;
        // Scheduled from outside a dispatch (start-up, a test): run before waiting, which might never end.
        RunDeferred();
        int n = epoll_wait(_epollFd, _events, MaxEventsPerWait, timeoutMs);
        if (n < 0)
        {
            if (Marshal.GetLastPInvokeError() == EINTR) n = 0;
            else throw LinuxError.Exception("epoll_wait");
        }
        for (int i = 0; i < n; i++)
        {
            ulong data = _events[i].data.u64;
            int fd = (int)(uint)data;
            if (fd == _wakeFd) { DrainWake(); continue; }
            // A handler earlier in this batch may have closed this fd and another registration taken its number:
            // the event belongs to the old registration, whose generation no longer matches.
            if (fd >= _handlers.Length || _generations[fd] != (uint)(data >> 32)) continue;
            var handler = _handlers[fd];
            if (handler is null) continue;
            handler.OnPoll(_events[i].events);
            RunDeferred();
        }
        FireDueTimers();
        while (_posted.TryDequeue(out var action))
        {
            action();
            RunDeferred();
        }
    }

    internal void Schedule(Deferral deferral)
    {
        if (deferral.Slot >= 0) return;
        if (_deferredCount == _deferred.Length) Array.Resize(ref _deferred, _deferred.Length * 2);
        deferral.Slot = _deferredCount;
        _deferred[_deferredCount++] = deferral;
    }

    internal void Unschedule(Deferral deferral)
    {
        if (deferral.Slot < 0) return;
        _deferred[deferral.Slot] = null;
        deferral.Slot = -1;
    }

    /// <summary>Runs every scheduled deferral, including those their callbacks schedule (in the same pass).</summary>
    private void RunDeferred()
    {
        for (int i = 0; i < _deferredCount; i++)
        {
            var deferral = _deferred[i];
            if (deferral is null) continue;
            _deferred[i] = null;
            deferral.Slot = -1;
            deferral.Fire();
        }
        _deferredCount = 0;
    }

    internal void Arm(LoopTimer timer)
    {
        if (timer.Slot < 0)
        {
            timer.Slot = _timers.Count;
            _timers.Add(timer);
        }
    }

    internal void Disarm(LoopTimer timer)
    {
        int slot = timer.Slot;
        if (slot < 0) return;
        int last = _timers.Count - 1;
        _timers[slot] = _timers[last];
        _timers[slot].Slot = slot;
        _timers.RemoveAt(last);
        timer.Slot = -1;
    }

    private int NextTimeoutMs()
    {
        if (_timers.Count == 0) return -1;
        long earliest = long.MaxValue;
        foreach (var t in _timers) earliest = Math.Min(earliest, t.DueUs);
        long waitUs = earliest - _clock.NowUs;
        if (waitUs <= 0) return 0;
        // Round up so a timer is never woken for early and then spun on.
        return (int)Math.Min(int.MaxValue, (waitUs + 999) / 1000);
    }

    private void FireDueTimers()
    {
        if (_timers.Count == 0) return;
        long now = _clock.NowUs;
        for (int i = _timers.Count - 1; i >= 0; i--)
        {
            if (i >= _timers.Count) continue;
            var t = _timers[i];
            if (t.DueUs > now) continue;
            Disarm(t);
            t.Fire();
            RunDeferred();
        }
    }

    private void Control(int op, int fd, int events)
    {
        epoll_event ev = default;
        ev.events = events;
        uint generation = fd < _generations.Length ? _generations[fd] : 0;
        ev.data.u64 = (ulong)generation << 32 | (uint)fd;
        if (epoll_ctl(_epollFd, op, fd, &ev) < 0) throw LinuxError.Exception("epoll_ctl", fd.ToString());
    }

    private void Wake()
    {
        ulong one = 1;
        write(_wakeFd, &one, sizeof(ulong));
    }

    private void DrainWake()
    {
        ulong value;
        read(_wakeFd, &value, sizeof(ulong));
    }

    public void Dispose()
    {
        close(_wakeFd);
        close(_epollFd);
        NativeMemory.Free(_events);
    }
}
