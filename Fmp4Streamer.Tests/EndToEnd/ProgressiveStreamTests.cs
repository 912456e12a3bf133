using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>The built binary serves /stream.mp4 that ffmpeg, a client nobody here wrote, decodes without error.</summary>
[Category("EndToEnd")]
public class ProgressiveStreamTests
{
    private static readonly TimeSpan DecodeTimeout = TimeSpan.FromSeconds(40);

    [Test]
    public void TestPatternDecodesWithoutErrors()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        AssertDecodes(daemon, 90);
        var probe = ToolRun.Probe(daemon.BaseUrl + "/stream.mp4?probe", DecodeTimeout);
        Assert.That((probe["codec_name"], probe["width"], probe["height"]), Is.EqualTo(("h264", "640", "480")));
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    [Test]
    public void CommandSourceDecodesWithoutErrors()
    {
        string config = """
            [server]
            port = 8000

            [camera]
            command = ffmpeg -hide_banner -loglevel error -nostdin -re -f lavfi -i testsrc=size=320x240:rate=30 -c:v libx264 -preset ultrafast -tune zerolatency -g 30 -pix_fmt yuv420p -f h264 -
            width = 320
            height = 240
            fps = 30
            """;
        using var daemon = DaemonProcess.Start(config);
        AssertDecodes(daemon, 90);
        var probe = ToolRun.Probe(daemon.BaseUrl + "/stream.mp4", DecodeTimeout);
        Assert.That((probe["width"], probe["height"]), Is.EqualTo(("320", "240")));
        var children = ChildrenOf(daemon.Pid);
        Assert.That(children, Is.Not.Empty, "the command should run as a child of the daemon");
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
        Thread.Sleep(200);
        Assert.That(children.FindAll(pid => Directory.Exists("/proc/" + pid)), Is.Empty, "the command outlived the daemon");
    }

    [Test]
    public void ACommandSleepsWithoutViewersAndStartsAgainForTheNext()
    {
        string config = """
            [server]
            sleep_grace = 1

            [camera]
            command = ffmpeg -hide_banner -loglevel error -nostdin -re -f lavfi -i testsrc=size=320x240:rate=30 -c:v libx264 -preset ultrafast -tune zerolatency -g 15 -pix_fmt yuv420p -f h264 -
            width = 320
            height = 240
            """;
        using var daemon = DaemonProcess.Start(config);
        Assert.That(ChildrenOf(daemon.Pid), Is.Empty, "nobody watches yet");
        AssertDecodes(daemon, 30);
        Thread.Sleep(3000);
        Assert.That(ChildrenOf(daemon.Pid), Is.Empty, "the command should stop after the grace period");
        AssertDecodes(daemon, 30);
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    [Test]
    public void ClientsJoiningAtDifferentTimesEachDecodeFromTheirFirstFrame()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        var decoders = new List<Task<(ToolResult Result, int Frames)>>();
        for (int i = 0; i < 3; i++)
        {
            decoders.Add(Task.Run(() => ToolRun.FfmpegDecode(daemon.BaseUrl + "/stream.mp4", 60, DecodeTimeout)));
            Thread.Sleep(1300);
        }
        foreach (var d in decoders)
        {
            var (result, frames) = d.Result;
            Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
            Assert.That(result.StdErr, Is.Empty, "a joining client must start on a key frame");
            Assert.That(frames, Is.GreaterThanOrEqualTo(60));
        }
    }

    /// <summary>
    /// Strict players (VLC 3.0, mpv --length) give up when the first tfdt is far from 0: a client joining a source
    /// that has run for 10 s gets a timeline starting at its join.
    /// </summary>
    [Test]
    public void AClientJoiningLateGetsATimelineStartingAtZero()
    {
        string config = """
            [pattern]
            test_pattern = yes
            auto_sleep = no
            """;
        using var daemon = DaemonProcess.Start(config);
        Thread.Sleep(10_000);
        var result = ToolRun.Complete("ffprobe", ["-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#5",
            "-show_entries", "packet=pts_time,dts_time", "-of", "csv=p=0", daemon.BaseUrl + "/stream.mp4"], DecodeTimeout);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        var first = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Split(',');
        double pts = double.Parse(first[0], System.Globalization.CultureInfo.InvariantCulture);
        TestContext.Out.WriteLine($"first packet after 10 s of uptime: pts {first[0]} s, dts {first[1]} s");
        Assert.That(pts, Is.LessThan(0.5), "the first frame is near 0, not at the source's uptime");
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    [Test]
    public void StopsCleanlyOnSigint()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        Tmds.Linux.LibC.kill(daemon.Pid, Tmds.Linux.LibC.SIGINT);
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    /// <summary>ffmpeg decodes at least <paramref name="frames"/> frames of /stream.mp4, errors fatal, stderr empty.</summary>
    private static void AssertDecodes(DaemonProcess daemon, int frames)
    {
        var (result, decoded) = ToolRun.FfmpegDecode(daemon.BaseUrl + "/stream.mp4", frames, DecodeTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr + "\n" + daemon.Log);
            Assert.That(result.StdErr, Is.Empty);
            Assert.That(decoded, Is.GreaterThanOrEqualTo(frames));
        });
    }

    private static List<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int candidate)) continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == pid) children.Add(candidate);
            }
            catch (IOException) { }
        }
        return children;
    }
}
