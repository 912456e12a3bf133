using System.Text;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Linux;

/// <summary>
/// Real shell commands under a loop on a manual clock: the children run in real time, the back-off waits only for
/// the clock, so restarts are counted without sleeping through them.
/// </summary>
public class SupervisedCommandTests
{
    private sealed class Output : ICommandOutput
    {
        private readonly byte[] _buffer = new byte[64];
        public readonly StringBuilder Text = new();
        public int Starts, Closes;
        public long ClosedAtUs;
        public IClock? Clock;
        public Span<byte> ReadSpace => _buffer;
        public void OnRead(int count) => Text.Append(Encoding.ASCII.GetString(_buffer, 0, count));
        public void OnStarted() => Starts++;
        public void OnClosed() { Closes++; ClosedAtUs = Clock!.NowUs; }
    }

    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("fmp4-supervised-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    /// <summary>
    /// Runs the loop in real time (children exit on their own) with the clock creeping a millisecond a turn, so the
    /// reaper's polls come round while the back-off timers stay far off.
    /// </summary>
    private static bool RunUntil(EventLoop loop, ManualClock clock, Func<bool> done, int timeoutMs = 5_000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!done() && DateTime.UtcNow < until)
        {
            clock.Advance(1000);
            loop.RunOnce(5);
        }
        return done();
    }

    /// <summary>Moves the clock to <paramref name="atUs"/> in reaper-poll steps, running what falls due.</summary>
    private static void RunTo(EventLoop loop, ManualClock clock, long atUs) =>
        loop.AdvanceAndRun(clock, atUs - clock.NowUs, ChildReaper.PollIntervalUs);

    [Test]
    public void AnExitingCommandIsRestartedAfterADoublingBackoffAndItsOutputArrives()
    {
        var clock = new ManualClock();
        using var loop = new EventLoop(clock);
        var output = new Output { Clock = clock };
        var command = new SupervisedCommand(loop, "test", "printf run", "", output);
        try
        {
            command.Start();
            Assert.That(RunUntil(loop, clock, () => output.Closes == 1 && command.StoppingCount == 0), Is.True);
            Assert.That(output.Text.ToString(), Is.EqualTo("run"));
            Assert.That(command.BackoffUs, Is.EqualTo(2 * SupervisedCommand.FirstBackoffUs), "the next wait doubles");

            RunTo(loop, clock, output.ClosedAtUs + SupervisedCommand.FirstBackoffUs - 50_000);
            Assert.That(output.Starts, Is.EqualTo(1), "no restart before the back-off is over");
            RunTo(loop, clock, output.ClosedAtUs + SupervisedCommand.FirstBackoffUs + 50_000);
            Assert.That(output.Starts, Is.EqualTo(2));
            Assert.That(RunUntil(loop, clock, () => output.Closes == 2), Is.True);
            Assert.That(output.Text.ToString(), Is.EqualTo("runrun"));
            Assert.That(command.BackoffUs, Is.EqualTo(4 * SupervisedCommand.FirstBackoffUs));
        }
        finally { command.Dispose(); }
    }

    [Test]
    public void ACopyThatRanLongEnoughMakesTheNextRestartQuickAgain()
    {
        var clock = new ManualClock();
        using var loop = new EventLoop(clock);
        var output = new Output { Clock = clock };
        string counter = Path.Combine(_dir, "runs");
        // The first two copies fail at once; the third runs (half a second of real time, much longer on the clock).
        string script = $"n=$(cat {counter} 2>/dev/null || echo 0); echo $((n+1)) > {counter}; " +
                        "if [ $n -ge 2 ]; then printf long; sleep 0.5; else printf quick; fi";
        var command = new SupervisedCommand(loop, "test", script, "", output);
        try
        {
            command.Start();
            for (int run = 1; run <= 2; run++)
            {
                Assert.That(RunUntil(loop, clock, () => output.Closes == run && command.StoppingCount == 0), Is.True);
                RunTo(loop, clock, output.ClosedAtUs + command.BackoffUs / 2 + 50_000);
            }
            Assert.That(command.BackoffUs, Is.EqualTo(4 * SupervisedCommand.FirstBackoffUs));
            Assert.That(RunUntil(loop, clock, () => output.Text.ToString().EndsWith("long", StringComparison.Ordinal)), Is.True);
            clock.Advance(SupervisedCommand.StableRunUs + 1);
            Assert.That(RunUntil(loop, clock, () => output.Closes == 3), Is.True);
            Assert.That(command.BackoffUs, Is.EqualTo(2 * SupervisedCommand.FirstBackoffUs), "a stable run resets the back-off");
        }
        finally { command.Dispose(); }
    }

    [Test]
    public void StopEndsTheWholeGroupAndNoRestartFollows()
    {
        var clock = new ManualClock();
        using var loop = new EventLoop(clock);
        var output = new Output { Clock = clock };
        // A grandchild in the same group: only a signal to the group reaches it.
        var command = new SupervisedCommand(loop, "test", "sleep 30 & printf up; wait", "", output);
        try
        {
            command.Start();
            Assert.That(RunUntil(loop, clock, () => output.Text.Length > 0), Is.True);
            int group = command.ProcessId;
            command.Stop();
            Assert.That(RunUntil(loop, clock, () => command.StoppingCount == 0), Is.True, "the group should be reaped");
            Assert.That(ProcTable.InGroup(group), Is.Empty, "nothing of the group is left");
            loop.AdvanceAndRun(clock, 3 * SupervisedCommand.MaxBackoffUs, SupervisedCommand.FirstBackoffUs);
            Assert.That(output.Starts, Is.EqualTo(1), "stopped means stopped");
        }
        finally { command.Dispose(); }
    }
}
