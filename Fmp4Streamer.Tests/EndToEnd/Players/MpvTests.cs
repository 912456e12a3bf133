using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd.Players;

/// <summary>
/// mpv plays /stream.mp4 for <c>--length=5</c> joined long after the camera started. Its image output writes every
/// tenth frame it displays (a framestep filter in front): files prove decoded frames, beside mpv's exit code.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
[Order(4)]
public class MpvTests
{
    private const int Step = 10;

    [Test]
    public void MpvPlaysFiveSecondsOfTheStreamJoinedLate()
    {
        PlayerDaemon.WaitForLateJoin();
        string url = PlayerDaemon.Daemon.BaseUrl + "/stream.mp4";
        string frames = Directory.CreateTempSubdirectory("fmp4streamer-mpv-").FullName;
        try
        {
            var started = DateTime.UtcNow;
            var result = ToolRun.Run("mpv", new[]
            {
                "--no-config", "--msg-level=all=v", "--length=5", "--ao=null", "--vo=image", "--vo-image-format=jpg",
                "--vo-image-outdir=" + frames, $"--vf=lavfi=[framestep={Step}]", url,
            }, TimeSpan.FromSeconds(15), aptPackage: "mpv");
            double seconds = (DateTime.UtcNow - started).TotalSeconds;
            var files = Directory.GetFiles(frames, "*.jpg");
            double? first = files.Length == 0 ? null : (files.Min(File.GetLastWriteTimeUtc) - started).TotalSeconds;
            TestContext.Progress.WriteLine($"mpv --length=5 on {url}: {files.Length} images (every {Step}th frame: about " +
                $"{files.Length * Step} frames), first after {first?.ToString("0.0") ?? "-"} s, exit {result.ExitCode} after {seconds:0.0} s");
            string why = string.Join('\n', (result.StdOut + result.StdErr).Split('\n')
                .Where(l => l.StartsWith("[cplayer]") && (l.Contains("EOF") || l.Contains("playback") || l.Contains("rror"))
                    || l.StartsWith("Exiting")).Take(20));
            Assert.That(result.ExitCode, Is.EqualTo(0), $"mpv exited with {result.ExitCode}:\n{why}");
            Assert.Multiple(() =>
            {
                Assert.That(files.Length * Step, Is.GreaterThanOrEqualTo(90), $"mpv showed about {files.Length * Step} frames in 5 s of play:\n{why}");
                Assert.That(seconds, Is.GreaterThanOrEqualTo(4.5), "mpv played 5 s of a live stream, so it took 5 s at least");
            });
        }
        finally
        {
            Directory.Delete(frames, recursive: true);
        }
    }
}
