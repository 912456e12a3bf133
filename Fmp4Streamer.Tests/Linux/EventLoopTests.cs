using Fmp4Streamer.Linux;
using Fmp4Streamer.Tests.TestSupport;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.Linux;

public class EventLoopTests
{
    private sealed class CountingTimer : ITimerCallback
    {
        public int Fired;
        public void OnTimer(LoopTimer timer) => Fired++;
    }

    [Test]
    public void TimerFiresOnceAfterItsDelay()
    {
        using var loop = new EventLoop();
        var cb = new CountingTimer();
        var timer = new LoopTimer(loop, cb);
        timer.Start(20_000);
        long start = MonotonicClock.NowUs;
        while (cb.Fired == 0 && MonotonicClock.NowUs - start < 2_000_000) loop.RunOnce(50);
        Assert.That(cb.Fired, Is.EqualTo(1));
        Assert.That(MonotonicClock.NowUs - start, Is.GreaterThanOrEqualTo(20_000));
        Assert.That(timer.IsActive, Is.False);
    }

    [Test]
    public void TimersRunOnTheLoopsClock()
    {
        var clock = new ManualClock();
        using var loop = new EventLoop(clock);
        var cb = new CountingTimer();
        var timer = new LoopTimer(loop, cb);
        timer.Start(10_000_000); // ten seconds of loop time

        loop.AdvanceAndRun(clock, 9_999_999);
        Assert.That(cb.Fired, Is.EqualTo(0), "not due yet");
        Assert.That(loop.NowUs, Is.EqualTo(clock.NowUs));
        loop.AdvanceAndRun(clock, 1);
        Assert.That(cb.Fired, Is.EqualTo(1));
        Assert.That(timer.IsActive, Is.False);
    }

    [Test]
    public void StoppedTimerDoesNotFire()
    {
        using var loop = new EventLoop();
        var cb = new CountingTimer();
        var timer = new LoopTimer(loop, cb);
        timer.Start(1_000);
        timer.Stop();
        loop.RunOnce(20);
        Assert.That(cb.Fired, Is.EqualTo(0));
    }

    [Test]
    public void PostFromAnotherThreadRunsOnTheLoop()
    {
        using var loop = new EventLoop();
        int ranOn = -1;
        var t = new Thread(() => loop.Post(() => { ranOn = Environment.CurrentManagedThreadId; loop.RequestStop(); }));
        t.Start();
        loop.Run();
        t.Join();
        Assert.That(ranOn, Is.EqualTo(Environment.CurrentManagedThreadId));
    }

    /// <summary>
    /// Two eventfds ready in one epoll_wait. Whichever handler runs first closes the other fd and opens a new eventfd,
    /// which the kernel gives the lowest free number: the one just closed. The event already fetched for the closed
    /// fd must reach neither the closed handler nor the new registration.
    /// </summary>
    [Test]
    public void AnEventForAClosedFdNeverReachesTheRegistrationThatReusedItsNumber()
    {
        using var loop = new EventLoop();
        var first = new ReusingHandler(loop);
        var second = new ReusingHandler(loop);
        first.Other = second;
        second.Other = first;
        first.Fd = NewEventFd(signalled: true);
        second.Fd = NewEventFd(signalled: true);
        loop.Add(first.Fd, EPOLLIN, first);
        loop.Add(second.Fd, EPOLLIN, second);
        try
        {
            loop.RunOnce(1000);

            var ran = first.Calls > 0 ? first : second;
            var closed = ran.Other!;
            Assert.That(ran.Calls, Is.EqualTo(1));
            Assume.That(ran.Replacement!.Fd, Is.EqualTo(ran.ClosedFd), "the kernel reused the closed fd's number");
            Assert.That(closed.Calls, Is.EqualTo(0), "the closed fd's handler");
            Assert.That(ran.Replacement.Calls, Is.EqualTo(0), "the new owner of the number got the old fd's event");

            // The new registration itself works.
            Signal(ran.Replacement.Fd);
            loop.RunOnce(1000);
            Assert.That(ran.Replacement.Calls, Is.EqualTo(1));
        }
        finally
        {
            foreach (var h in new[] { first, second, first.Replacement, second.Replacement })
                if (h is { Fd: >= 0 }) { loop.Remove(h.Fd); close(h.Fd); }
        }
    }

    private sealed class ReusingHandler : IPollable
    {
        private readonly EventLoop _loop;
        public ReusingHandler(EventLoop loop) => _loop = loop;
        public int Fd = -1;
        public int Calls;
        public ReusingHandler? Other;
        public ReusingHandler? Replacement;
        public int ClosedFd = -1;

        public unsafe void OnPoll(int events)
        {
            Calls++;
            ulong value;
            read(Fd, &value, sizeof(ulong));
            if (Other is not { Fd: >= 0 } other || Replacement is not null || other.Replacement is not null) return;
            ClosedFd = other.Fd;
            _loop.Remove(other.Fd);
            close(other.Fd);
            other.Fd = -1;
            Replacement = new ReusingHandler(_loop) { Fd = NewEventFd(signalled: false) };
            _loop.Add(Replacement.Fd, EPOLLIN, Replacement);
        }
    }

    private static unsafe int NewEventFd(bool signalled)
    {
        int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        Assert.That(fd, Is.GreaterThanOrEqualTo(0));
        if (signalled) Signal(fd);
        return fd;
    }

    private static unsafe void Signal(int fd)
    {
        ulong one = 1;
        write(fd, &one, sizeof(ulong));
    }

    private sealed class RecordingDeferred : IDeferredCallback
    {
        public readonly List<string> Log;
        public RecordingDeferred(List<string> log) => Log = log;
        public int Runs;
        public void OnDeferred(Deferral deferral)
        {
            Runs++;
            Log.Add("deferred");
        }
    }

    private sealed class LoggingHandler : IPollable
    {
        private readonly List<string> _log;
        private readonly string _name;
        public LoggingHandler(List<string> log, string name) { _log = log; _name = name; }
        public int Fd;
        public Deferral? ScheduleOnPoll;
        public unsafe void OnPoll(int events)
        {
            ulong value;
            read(Fd, &value, sizeof(ulong));
            _log.Add(_name);
            ScheduleOnPoll?.Schedule();
            ScheduleOnPoll?.Schedule(); // twice: still one run
        }
    }

    [Test]
    public void ADeferralRunsOnceRightAfterTheDispatchThatScheduledIt()
    {
        using var loop = new EventLoop();
        var log = new List<string>();
        var callback = new RecordingDeferred(log);
        var deferral = new Deferral(loop, callback);
        var a = new LoggingHandler(log, "a") { Fd = NewEventFd(true), ScheduleOnPoll = deferral };
        var b = new LoggingHandler(log, "b") { Fd = NewEventFd(true) };
        loop.Add(a.Fd, EPOLLIN, a);
        loop.Add(b.Fd, EPOLLIN, b);
        try
        {
            loop.RunOnce(1000);
            Assert.That(callback.Runs, Is.EqualTo(1));
            Assert.That(log.IndexOf("deferred"), Is.EqualTo(log.IndexOf("a") + 1), string.Join(",", log));
            Assert.That(deferral.IsScheduled, Is.False);
        }
        finally
        {
            loop.Remove(a.Fd); close(a.Fd);
            loop.Remove(b.Fd); close(b.Fd);
        }
    }

    [Test]
    public void ACancelledDeferralDoesNotRun()
    {
        using var loop = new EventLoop();
        var callback = new RecordingDeferred(new List<string>());
        var deferral = new Deferral(loop, callback);
        deferral.Schedule();
        deferral.Cancel();
        loop.RunOnce(0);
        Assert.That(callback.Runs, Is.EqualTo(0));
        deferral.Schedule();
        loop.RunOnce(0);
        Assert.That(callback.Runs, Is.EqualTo(1), "scheduled outside a dispatch: runs on the next round");
    }

    private sealed class CountingDeferred : IDeferredCallback
    {
        public int Runs;
        public void OnDeferred(Deferral deferral) => Runs++;
    }

    private sealed class SchedulingTimer : ITimerCallback
    {
        public Deferral? Deferral;
        public void OnTimer(LoopTimer timer)
        {
            Deferral!.Schedule();
            timer.Start(0);
        }
    }

    [Test]
    public void SchedulingADeferralAllocatesNothing()
    {
        var clock = new ManualClock();
        using var loop = new EventLoop(clock);
        var counter = new CountingDeferred();
        var timerCallback = new SchedulingTimer { Deferral = new Deferral(loop, counter) };
        var timer = new LoopTimer(loop, timerCallback);
        timer.Start(0);
        for (int i = 0; i < 100; i++) loop.RunOnce(0); // warm up
        long bytes = AllocationProbe.MinimumBytes(5, () =>
        {
            for (int i = 0; i < 1000; i++) loop.RunOnce(0);
        });
        Assert.That(counter.Runs, Is.GreaterThanOrEqualTo(5100));
        Assert.That(bytes, Is.EqualTo(0));
    }

    private sealed class ThrowingTimer : ITimerCallback
    {
        public void OnTimer(LoopTimer timer) => throw new InvalidOperationException("a bug in a handler");
    }

    [Test]
    public void AHandlerThatThrowsEndsRunWithItsException()
    {
        var clock = new ManualClock();
        using var loop = new EventLoop(clock);
        var timer = new LoopTimer(loop, new ThrowingTimer());
        timer.Start(0);
        var e = Assert.Throws<InvalidOperationException>(() => loop.Run());
        Assert.That(e!.Message, Is.EqualTo("a bug in a handler"));
        Assert.That(e.StackTrace, Does.Contain(nameof(ThrowingTimer)));
    }
}
