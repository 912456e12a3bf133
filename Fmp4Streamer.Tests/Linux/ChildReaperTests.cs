using Fmp4Streamer.Linux;
using Fmp4Streamer.Tests.TestSupport;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.Linux;

/// <summary>Stopping children from the loop: the group signalled, escalation to SIGKILL, reaped, observer told.</summary>
public class ChildReaperTests
{
    private sealed class Observer : IChildReaperObserver
    {
        public readonly List<ChildProcess> Gone = new();
        public void OnChildGone(ChildProcess child) => Gone.Add(child);
    }

    private readonly List<ChildProcess> _started = new();

    [TearDown]
    public void KillLeftovers()
    {
        foreach (var child in _started) child.Dispose();
        _started.Clear();
    }

    private ChildProcess Shell(string command)
    {
        var child = ChildProcess.StartShell(command);
        _started.Add(child);
        return child;
    }

    private static void RunUntil(EventLoop loop, Func<bool> done, long timeoutUs)
    {
        long until = MonotonicClock.NowUs + timeoutUs;
        while (!done() && MonotonicClock.NowUs < until) loop.RunOnce(10);
    }

    [Test]
    public void AStoppedGroupIsReapedWithoutBlockingTheLoop()
    {
        using var loop = new EventLoop();
        var observer = new Observer();
        var reaper = new ChildReaper(loop, 2_000_000, observer);
        var child = Shell("sleep 30; :");
        while (ProcTable.InGroup(child.Pid).Count < 2) Thread.Sleep(5);

        long start = MonotonicClock.NowUs;
        reaper.Stop(child);
        Assert.That(MonotonicClock.NowUs - start, Is.LessThan(1_000_000), "Stop does not wait out the 2 s grace");
        Assert.That(child.StdoutFd, Is.EqualTo(-1), "the pipes close at once");
        RunUntil(loop, () => observer.Gone.Count == 1, 5_000_000);

        Assert.That(observer.Gone, Is.EqualTo(new[] { child }));
        Assert.That(reaper.Count, Is.Zero);
        Assert.That(ProcTable.InGroup(child.Pid), Is.Empty, "neither the shell nor its program is left, not even as a zombie");
        Assert.That(child.ExitDescription, Is.EqualTo($"was killed by signal {SIGTERM}"));
    }

    [Test]
    public void WhatIgnoresSigtermGetsSigkillAfterTheGrace()
    {
        using var loop = new EventLoop();
        var observer = new Observer();
        var reaper = new ChildReaper(loop, 200_000, observer);
        var child = Shell("trap '' TERM; sleep 30; :");
        Thread.Sleep(100);

        long start = MonotonicClock.NowUs;
        reaper.Stop(child);
        RunUntil(loop, () => observer.Gone.Count == 1, 5_000_000);

        Assert.That(observer.Gone, Has.Count.EqualTo(1));
        Assert.That(MonotonicClock.NowUs - start, Is.GreaterThanOrEqualTo(200_000));
        Assert.That(ProcTable.InGroup(child.Pid), Is.Empty);
        Assert.That(child.ExitDescription, Is.EqualTo($"was killed by signal {SIGKILL}"));
    }

    [Test]
    public void StopAllAndWaitLeavesNothingAtShutdown()
    {
        using var loop = new EventLoop();
        var reaper = new ChildReaper(loop, 200_000, new Observer());
        var polite = Shell("sleep 30; :");
        var stubborn = Shell("trap '' TERM; sleep 30; :");
        Thread.Sleep(100);
        reaper.Stop(polite);
        reaper.Stop(stubborn);

        Assert.That(reaper.StopAllAndWait(), Is.Empty);
        Assert.That(reaper.Count, Is.Zero);
        Assert.That(ProcTable.InGroup(polite.Pid), Is.Empty);
        Assert.That(ProcTable.InGroup(stubborn.Pid), Is.Empty);
    }
}
