using Fmp4Streamer.Linux;

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
}
