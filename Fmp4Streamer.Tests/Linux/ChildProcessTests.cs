using System.Text;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Tests.TestSupport;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.Linux;

/// <summary>A child in its own process group: its pipes, its exit status, and a stop that leaves nothing behind.</summary>
public class ChildProcessTests
{
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

    private static unsafe string ReadAll(int fd, TimeSpan timeout)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            long n;
            fixed (byte* p = buffer) n = read(fd, p, buffer.Length);
            if (n == 0) break;
            if (n > 0) text.Append(Encoding.UTF8.GetString(buffer, 0, (int)n));
            else Thread.Sleep(5); // EAGAIN: the pipe is non-blocking
        }
        return text.ToString();
    }

    private static bool WaitFor(Func<bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition() && DateTime.UtcNow < until) Thread.Sleep(10);
        return condition();
    }

    private static void WaitForEnd(ChildProcess child)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!child.HasEnded && DateTime.UtcNow < until) Thread.Sleep(5);
        Assert.That(child.HasEnded, Is.True, "the child should have ended");
    }

    [Test]
    public void StdoutAndStderrArriveOnTheirPipesAndTheExitStatusIsKept()
    {
        var child = Shell("echo out; echo err >&2; exit 3");
        Assert.That(ReadAll(child.StdoutFd, TimeSpan.FromSeconds(5)), Is.EqualTo("out\n"));
        Assert.That(ReadAll(child.StderrFd, TimeSpan.FromSeconds(5)), Is.EqualTo("err\n"));
        WaitForEnd(child);
        Assert.That(child.ExitDescription, Is.EqualTo("exited with status 3"));
    }

    [Test]
    public void StdinIsEmpty()
    {
        var child = Shell("wc -c");
        Assert.That(ReadAll(child.StdoutFd, TimeSpan.FromSeconds(5)).Trim(), Is.EqualTo("0"));
    }

    [Test]
    public void TheChildLeadsItsOwnProcessGroup()
    {
        var child = Shell("sleep 30; :");
        var self = ProcTable.All().Find(e => e.Pid == child.Pid);
        Assert.That(self.ProcessGroup, Is.EqualTo(child.Pid));
        Assert.That(ProcTable.All().Find(e => e.Pid == Environment.ProcessId).ProcessGroup, Is.Not.EqualTo(child.Pid));
    }

    [Test]
    public void StoppingSignalsTheProgramTheShellForkedToo()
    {
        // "; :" keeps any shell from exec'ing sleep: the program runs as the shell's child, as dash runs it.
        var child = Shell("sleep 30; :");
        Assert.That(WaitFor(() => ProcTable.InGroup(child.Pid).Count == 2), Is.True, "the shell forks its program");
        Assert.That(ProcTable.InGroup(child.Pid).Find(e => e.Pid != child.Pid).ParentPid, Is.EqualTo(child.Pid));
        Assert.That(child.StopAndWait(2_000_000), Is.True);
        Assert.That(ProcTable.InGroup(child.Pid), Is.Empty, "no process of the group is left");
        Assert.That(child.ExitDescription, Is.EqualTo($"was killed by signal {SIGTERM}"));
    }

    [Test]
    public void AProgramIgnoringSigtermIsKilledAfterTheGracePeriod()
    {
        var child = Shell("trap '' TERM; sleep 30; :");
        Thread.Sleep(100); // let the shell install the trap
        long start = MonotonicClock.NowUs;
        Assert.That(child.StopAndWait(300_000), Is.True, string.Join("\n", ProcTable.InGroup(child.Pid)) + " status " + child.ExitDescription);
        Assert.That(MonotonicClock.NowUs - start, Is.GreaterThanOrEqualTo(300_000), "SIGTERM alone cannot stop it");
        Assert.That(ProcTable.InGroup(child.Pid), Is.Empty);
        Assert.That(child.ExitDescription, Is.EqualTo($"was killed by signal {SIGKILL}"));
    }

    [Test]
    public void AWriterDiesOfSigpipeWhenThePipeCloses()
    {
        // The runtime ignores SIGPIPE; the child must not inherit that, or a camera program blocked on a closed
        // pipe would live on.
        var child = Shell("exec yes");
        Thread.Sleep(50);
        child.ClosePipes();
        WaitForEnd(child);
        Assert.That(child.ExitDescription, Is.EqualTo($"was killed by signal {SIGPIPE}"));
    }

    [Test]
    public void ASpawnThatCannotStartIsAnError()
    {
        var e = Assert.Throws<LinuxException>(() => ChildProcess.Start("/nonexistent/program", new[] { "program" }));
        Assert.That(e!.Message, Does.Contain("ENOENT"));
    }

    [Test]
    public void ChildrenDoNotInheritOtherDescriptors()
    {
        var first = Shell("sleep 30; :");
        var second = Shell("ls -l /proc/self/fd");
        string fds = ReadAll(second.StdoutFd, TimeSpan.FromSeconds(5));
        int pipes = fds.Split('\n').Count(l => l.Contains("pipe:"));
        Assert.That(pipes, Is.EqualTo(2), fds);
        first.StopAndWait(1_000_000);
    }
}
