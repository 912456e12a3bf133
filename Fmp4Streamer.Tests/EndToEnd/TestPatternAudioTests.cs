using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Tests.Audio;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// The built binary's test pattern with sound: ffmpeg reads /stream.mp4, and every tone burst starts within 20 ms
/// of the frame that flashes with it, all of them by the same offset (no drift).
/// </summary>
[Category("EndToEnd")]
public class TestPatternAudioTests
{
    private const int Width = 320, Height = 240;

    [Test]
    public void TheBurstsStartWithTheFlashingFramesInStreamMp4()
    {
        using var daemon = DaemonProcess.Start($"[tp]\ntest_pattern = yes\ntest_pattern_audio = yes\nwidth = {Width}\nheight = {Height}\n" +
            "[server]\nrtsp_port = 0\n");
        string file = Path.Combine(daemon.WorkDirectory, "av.mp4");
        using (var http = new HttpClient())
        using (var body = http.GetStreamAsync(daemon.BaseUrl + "/stream.mp4").Result)
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

        var times = AvOffset.VideoTimes(file);
        var flashes = FlashTimes(file, times);
        var onsets = AvOffset.BurstOnsets(file);
        Assert.That(flashes, Has.Count.GreaterThanOrEqualTo(3), "flashing frames");
        var offsets = new List<double>();
        foreach (double onset in onsets)
        {
            double nearest = flashes.MinBy(f => Math.Abs(f - onset));
            if (Math.Abs(nearest - onset) < 0.5) offsets.Add(onset - nearest);
        }
        TestContext.Out.WriteLine("A/V offsets (ms): " + string.Join(", ", offsets.Select(o => (o * 1000).ToString("F1"))));
        Assert.That(offsets, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(offsets, Has.All.InRange(-0.020, 0.020));
        // A second is 46 7/8 blocks of 1024 samples, so each burst sits 128 samples from the last one's place in its
        // block: an encoder that delays an attack by where it falls in a block shows as a drift, within the limit.
        Assert.That(offsets.Max() - offsets.Min(), Is.LessThan(0.005), "spread of the offsets (s)");
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    /// <summary>Times of the frames whose flash area is white, from ffmpeg's grey decode in decode order.</summary>
    private static List<double> FlashTimes(string file, List<double> times)
    {
        var painter = new TestPatternPainter(Width, Height);
        int x = painter.FlashLeft + 8, y = painter.FlashTop + 8;
        string raw = file + ".gray";
        ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-y", "-i", file, "-map", "0:v:0", "-fps_mode", "passthrough",
            "-f", "rawvideo", "-pix_fmt", "gray", raw]);
        var bytes = File.ReadAllBytes(raw);
        var flashes = new List<double>();
        for (int f = 0; f < times.Count && (f + 1) * Width * Height <= bytes.Length; f++)
            if (bytes[f * Width * Height + y * Width + x] > 128) flashes.Add(times[f]);
        return flashes;
    }
}
