using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd.Players;

/// <summary>
/// VLC 3.0 (cvlc) plays /stream.mp4 joined long after the camera started, and again after the camera slept. Its
/// scene filter saves every tenth picture the video output receives: files prove decoded pictures, where VLC's
/// exit code does not (it exits 0 after "EOF reached" with no picture at all).
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
[Order(3)]
public class VlcTests
{
    private const int PlaySeconds = 5;
    private const int SceneRatio = 10;

    [Test, Order(1)]
    public void VlcPlaysTheStreamJoinedLate()
    {
        PlayerDaemon.WaitForLateJoin();
        AssertPlays(Play(PlayerDaemon.Daemon.BaseUrl + "/stream.mp4"));
    }

    [Test, Order(2)]
    public void VlcPlaysTheStreamAfterTheCameraSleptAndWoke()
    {
        using (PlayerDaemon.Asleep())
        {
            AssertPlays(Play(PlayerDaemon.Daemon.BaseUrl + "/stream.mp4"));
            Assert.That(PlayerDaemon.Daemon.Log, Does.Contain("pattern: starting test pattern"), "VLC woke the camera");
        }
    }

    private sealed record VlcRun(ToolResult Result, int Snapshots, double? FirstPictureSeconds, double Seconds);

    private static VlcRun Play(string url)
    {
        string home = Unprivileged.WritableDirectory("fmp4streamer-vlc-");
        try
        {
            string scenes = Unprivileged.MakeWritable(Path.Combine(home, "scenes"));
            var (exe, args) = Unprivileged.Command("cvlc", new[]
            {
                "-vv", "--no-audio", "--aout=dummy", "--vout=dummy", "--no-video-title-show", "--no-metadata-network-access",
                $"--run-time={PlaySeconds}", "--play-and-exit",
                "--video-filter=scene", "--scene-format=png", "--scene-prefix=p", $"--scene-ratio={SceneRatio}",
                "--scene-path=" + scenes, url,
            }, home, "vlc-bin vlc-plugin-base");
            var started = DateTime.UtcNow;
            var result = ToolRun.Run(exe, args, TimeSpan.FromSeconds(15));
            double seconds = (DateTime.UtcNow - started).TotalSeconds;
            var files = Directory.GetFiles(scenes, "p*.png");
            double? first = files.Length == 0 ? null : (files.Min(File.GetLastWriteTimeUtc) - started).TotalSeconds;
            var run = new VlcRun(result, files.Length, first, seconds);
            TestContext.Progress.WriteLine($"VLC on {url}: {files.Length} snapshots (every {SceneRatio}th picture: " +
                $"about {files.Length * SceneRatio} pictures), first picture after {first?.ToString("0.0") ?? "-"} s, " +
                $"exit {result.ExitCode} after {seconds:0.0} s");
            return run;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static void AssertPlays(VlcRun run)
    {
        string why = string.Join('\n', run.Result.StdErr.Split('\n')
            .Where(l => l.Contains("mp4 demux:") || l.Contains("mp4 demux warning") || l.Contains("mp4 demux error")
                || l.Contains("EOF reached") || l.Contains("first picture") || l.Contains("decoder error"))
            .Take(20));
        Assert.That(run.Snapshots * SceneRatio, Is.GreaterThanOrEqualTo(60),
            $"VLC showed about {run.Snapshots * SceneRatio} pictures (fewer than 60) in {PlaySeconds} s of play:\n{why}");
        Assert.Multiple(() =>
        {
            Assert.That(run.Result.TimedOut, Is.False, "VLC did not exit after --run-time");
            Assert.That(run.Result.StdErr, Does.Contain("Received first picture"), why);
        });
    }
}
