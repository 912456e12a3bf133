using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Linux;

/// <summary>
/// The single-threaded epoll loop that drives devices, pipes and sockets. Handlers are found through a table
/// indexed by fd (the fd and a registration generation travel in the epoll data, so events fetched for a closed
/// fd never reach a new registration that reused its number within the same batch), timers through the epoll_wait timeout, and other threads
/// reach the loop only through <see cref="Post"/>, which wakes it with an eventfd.
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
    private readonly ConcurrentQueue<Action> _posted = new();
    private volatile bool _stopRequested;
    private int _loopThreadId;

    public EventLoop()
    {
        _epollFd = epoll_create1(EPOLL_CLOEXEC);
        if (_epollFd < 0) throw LinuxError.Exception("epoll_create1");
        _wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (_wakeFd < 0) throw LinuxError.Exception("eventfd");
        _events = (epoll_event*)NativeMemory.AllocZeroed((nuint)(MaxEventsPerWait * sizeof(epoll_event)));
        Control(EPOLL_CTL_ADD, _wakeFd, EPOLLIN);
    }

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

    /// <summary>One wait-and-dispatch round; tests call it directly with a timeout.</summary>
    public void RunOnce(int timeoutMs)
    {
        _loopThreadId = Environment.CurrentManagedThreadId;
        int n = epoll_wait(_epollFd, _events, MaxEventsPerWait, timeoutMs);
        if (n < 0)
        {
            if (Marshal.GetLastPInvokeError() == EINTR) n = 0;
            else throw LinuxError.Exception("epoll_wait");
        }
        for (int i = 0; i < n; i++)
        {
            int fd = _events[i].data.fd;
            int events = _events[i].events;
            if (fd == _wakeFd) { DrainWake(); continue; }
            if (fd < _handlers.Length) _handlers[fd]?.OnPoll(events);
        }
        FireDueTimers();
        while (_posted.TryDequeue(out var action)) action();
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
        long waitUs = earliest - MonotonicClock.NowUs;
        if (waitUs <= 0) return 0;
        // Round up so a timer is never woken for early and then spun on.
        return (int)Math.Min(int.MaxValue, (waitUs + 999) / 1000);
    }

    private void FireDueTimers()
    {
        if (_timers.Count == 0) return;
        long now = MonotonicClock.NowUs;
        for (int i = _timers.Count - 1; i >= 0; i--)
        {
            if (i >= _timers.Count) continue;
            var t = _timers[i];
            if (t.DueUs > now) continue;
            Disarm(t);
            t.Fire();
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
