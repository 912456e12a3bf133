using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// The built binary's test pattern with sound, read by ffmpeg through /stream.mp4 and through the HLS playlist: every
/// tone burst starts within 20 ms of the frame that flashes with it, all of them by the same offset (no drift).
/// </summary>
[Category("EndToEnd")]
public class TestPatternAudioTests
{
    private const int Width = 320, Height = 240;
    private DaemonProcess _daemon = null!;

    [OneTimeSetUp]
    public void StartDaemon() =>
        _daemon = DaemonProcess.Start($"[tp]\ntest_pattern = yes\ntest_pattern_audio = yes\nwidth = {Width}\nheight = {Height}\n" +
            "[server]\nrtsp_port = 0\n");

    [OneTimeTearDown]
    public void StopDaemon()
    {
        _daemon.StopAndAssertCleanExit();
    }

    [Test]
    public void TheBurstsStartWithTheFlashingFramesInStreamMp4()
    {
        string file = Path.Combine(_daemon.WorkDirectory, "av.mp4");
        using (var http = new HttpClient())
        using (var body = http.GetStreamAsync(_daemon.BaseUrl + "/stream.mp4").Result)
        using (var output = File.Create(file))
        {
            var buffer = new byte[64 * 1024];
            var until = DateTime.UtcNow.AddSeconds(4.5);
            while (DateTime.UtcNow < until)
            {
                int n = body.Read(buffer);
                if (n == 0) break;
                output.Write(buffer, 0, n);
            }
        }
        AssertInSync(TestPatternOffsets.Measure(file, Width, Height).Offsets, bursts: 3);
    }

    [Test]
    public void TheBurstsStartWithTheFlashingFramesInTheHlsPlaylist()
    {
        // ffmpeg's HLS demuxer reads the playlist from its first segment (not three from the live edge), a copy of both
        // tracks on their own timestamps goes to one file, and the same measurement reads that.
        WaitForSegments(5);
        string file = Path.Combine(_daemon.WorkDirectory, "hls.nut");
        ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-y", "-live_start_index", "0", "-t", "5", "-i", _daemon.BaseUrl + "/stream.m3u8",
            "-map", "0", "-c", "copy", "-copyts", "-f", "nut", file]);
        var (offsets, flashes) = TestPatternOffsets.Measure(file, Width, Height);
        TestContext.Out.WriteLine($"{flashes} flashing frames");
        // Every flash has its burst, but one whose burst falls in the first audio unit (see BurstOnsets) may lack it.
        Assert.That(flashes, Is.GreaterThanOrEqualTo(5), "flashing frames in 5 s");
        AssertInSync(offsets, bursts: flashes - 1);
    }

    private static void AssertInSync(List<double> offsets, int bursts)
    {
        TestContext.Out.WriteLine("A/V offsets (ms): " + TestPatternOffsets.Format(offsets));
        Assert.That(offsets, Has.Count.GreaterThanOrEqualTo(bursts));
        Assert.That(offsets, Has.All.InRange(-0.020, 0.020));
        // A second is 46 7/8 blocks of 1024 samples, so each burst sits 128 samples from the last one's place in its
        // block: an encoder that delays an attack by where it falls in a block shows as a drift, within the limit.
        Assert.That(offsets.Max() - offsets.Min(), Is.LessThan(0.005), "spread of the offsets (s)");
    }

    /// <summary>Waits until the live media playlist lists <paramref name="count"/> whole segments.</summary>
    private void WaitForSegments(int count)
    {
        using var http = new HttpClient();
        var until = DateTime.UtcNow.AddSeconds(15);
        int seen = 0;
        while (DateTime.UtcNow < until)
        {
            string playlist = http.GetStringAsync(_daemon.BaseUrl + "/streaminf.m3u8").Result;
            seen = playlist.Split('\n').Count(l => l.StartsWith("#EXTINF:"));
            if (seen >= count) return;
            Thread.Sleep(200);
        }
        Assert.Fail($"the playlist listed {seen} segments after 15 s, not {count}");
    }
}
