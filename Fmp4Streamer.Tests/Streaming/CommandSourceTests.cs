using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Streaming;

/// <summary>
/// A command source in-process, with a real ffmpeg behind a shell and an exclusive lock: each sleep stops the
/// program (not just its shell), each wake streams again, and nothing is left running or unreaped.
/// </summary>
public class CommandSourceTests
{
    private sealed class Sink : IAccessUnitSink
    {
        public readonly List<long> CaptureTimes = new();
        public readonly List<long> Arrivals = new();
        public int Interruptions;
        public void OnAccessUnit(ReadOnlySpan<byte> annexB, long captureTimeUs)
        {
            CaptureTimes.Add(captureTimeUs);
            Arrivals.Add(MonotonicClock.NowUs);
        }
        public void OnSourceInterrupted(string reason) => Interruptions++;
    }

    private LockedCameraCommand _command = null!;
    private string _lockFile = "";

    [SetUp]
    public void SetUp()
    {
        _command = new LockedCameraCommand("fmp4-command-");
        _lockFile = _command.LockFile;
    }

    [TearDown]
    public void TearDown() => _command.Dispose();

    /// <summary>
    /// ffmpeg behind flock: a second copy started while the first still holds the lock exits at once (flock -n),
    /// as a camera program finds its camera busy. "; :" keeps the shell from exec'ing flock, and flock forks ffmpeg:
    /// the program is a grandchild of the daemon, which only a signal to the whole group reaches.
    /// </summary>
    private string LockedCommand(int fps = 30) =>
        $"flock -n {_lockFile} ffmpeg -hide_banner -loglevel error -nostdin -re -f lavfi -i testsrc=size=160x120:rate={fps} " +
        $"-c:v libx264 -preset ultrafast -tune zerolatency -g 15 -pix_fmt yuv420p -metadata comment={_lockFile} -f h264 -; :";

    private static bool RunUntil(EventLoop loop, Func<bool> done, long timeoutUs)
    {
        long until = MonotonicClock.NowUs + timeoutUs;
        while (!done() && MonotonicClock.NowUs < until) loop.RunOnce(10);
        return done();
    }

    private List<ProcTable.Entry> Leftovers() => _command.Processes();

    [Test]
    public void ThreeSleepAndWakeCyclesStreamEachTimeAndLeaveNothingBehind()
    {
        using var loop = new EventLoop();
        var source = new CommandSource(loop, "cam", LockedCommand(), 30);
        var sink = new Sink();
        var groups = new List<int>();
        for (int cycle = 1; cycle <= 3; cycle++)
        {
            int before = sink.CaptureTimes.Count;
            source.Start(sink);
            Assert.That(RunUntil(loop, () => sink.CaptureTimes.Count >= before + 15, 20_000_000), Is.True,
                $"wake {cycle}: no frames (the previous program still holds the lock?)");
            groups.Add(source.ProcessId);
            Assert.That(ProcTable.InGroup(source.ProcessId).Exists(e => e.CommandLine.StartsWith("ffmpeg")), Is.True,
                "ffmpeg runs in the command's process group");
            Assert.That(Leftovers().Exists(e => e.CommandLine.StartsWith("ffmpeg")), Is.True, "ffmpeg is found by its comment");
            source.Stop(); // the next Start comes at once: it must wait for this copy to be gone
        }
        Assert.That(RunUntil(loop, () => source.StoppingCount == 0, 5_000_000), Is.True, "the last copy should be reaped");
        Assert.That(sink.Interruptions, Is.Zero, "no copy found the lock taken");
        Assert.That(Leftovers(), Is.Empty, "no program of the command is left");
        foreach (int group in groups) Assert.That(ProcTable.InGroup(group), Is.Empty, $"process group {group} is gone, zombies included");
        source.Dispose();
    }

    [Test]
    public void DisposeStopsARunningCommandAndWaitsForIt()
    {
        using var loop = new EventLoop();
        var source = new CommandSource(loop, "cam", LockedCommand(), 30);
        var sink = new Sink();
        source.Start(sink);
        Assert.That(RunUntil(loop, () => sink.CaptureTimes.Count >= 5, 20_000_000), Is.True);
        int group = source.ProcessId;
        source.Dispose();
        Assert.That(ProcTable.InGroup(group), Is.Empty);
        Assert.That(Leftovers(), Is.Empty);
    }

    [Test]
    public void ACommandThatExitsIsRestartedAndTheOldGroupReaped()
    {
        using var loop = new EventLoop();
        // Streams a moment, then the shell exits while ffmpeg... is also done: a crash-and-restart cycle.
        var source = new CommandSource(loop, "cam",
            $"flock -n {_lockFile} ffmpeg -hide_banner -loglevel error -nostdin -re -f lavfi -i testsrc=size=160x120:rate=30:duration=1 " +
            "-c:v libx264 -preset ultrafast -tune zerolatency -g 15 -pix_fmt yuv420p -f h264 -; :", 30);
        var sink = new Sink();
        source.Start(sink);
        Assert.That(RunUntil(loop, () => sink.Interruptions >= 1, 20_000_000), Is.True, "the command ended");
        int first = sink.CaptureTimes.Count;
        Assert.That(RunUntil(loop, () => sink.CaptureTimes.Count > first + 10, 20_000_000), Is.True, "restarted after the backoff");
        source.Dispose();
        Assert.That(Leftovers(), Is.Empty);
    }

    [Test]
    public void CaptureTimesFollowTheFramePeriodNotThePipe()
    {
        using var loop = new EventLoop();
        var source = new CommandSource(loop, "cam", LockedCommand(), 30);
        var sink = new Sink();
        source.Start(sink);
        Assert.That(RunUntil(loop, () => sink.CaptureTimes.Count >= 90, 30_000_000), Is.True);
        source.Dispose();
        // The exact bounds are FrameClockTests' (a table of simulated arrivals); a real ffmpeg on a loaded machine can
        // stall (a re-anchor), so this checks the clock is in the path: nearly every gap is the frame period, which
        // the pipe's arrivals are not (their spread is printed beside).
        static double Spread(List<long> times)
        {
            var gaps = new List<double>();
            for (int i = 31; i < times.Count; i++) gaps.Add(times[i] - times[i - 1]);
            double mean = gaps.Average();
            return Math.Sqrt(gaps.Average(g => (g - mean) * (g - mean)));
        }
        double smoothed = Spread(sink.CaptureTimes), arrivals = Spread(sink.Arrivals);
        TestContext.Out.WriteLine($"gap spread: arrivals {arrivals:0} us, capture times {smoothed:0} us");
        int steady = 0;
        for (int i = 31; i < sink.CaptureTimes.Count; i++)
            if (Math.Abs(sink.CaptureTimes[i] - sink.CaptureTimes[i - 1] - 33_333) < 100) steady++;
        Assert.That(steady, Is.GreaterThanOrEqualTo((sink.CaptureTimes.Count - 31) * 9 / 10), "nine gaps in ten are 1/30 s within 100 us");
    }
}
