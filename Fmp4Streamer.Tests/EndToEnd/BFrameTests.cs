using System.Globalization;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// A `command =` source feeding x264 with B-frames (3, b-pyramid), as its defaults do: the stream must present
/// frames in display order (composition offsets from the picture order count), for ffprobe and for Chromium.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class BFrameTests
{
    private const string WithBFrames = "-bf 3 -b_strategy 0 -x264-params b-pyramid=normal";
    private const string WithoutBFrames = "-bf 0";

    private static string Config(string x264Options, string size = "320x240") => $"""
        [server]
        port = 8000

        [camera]
        command = ffmpeg -hide_banner -loglevel error -nostdin -re -f lavfi -i testsrc=size={size}:rate=30 -c:v libx264 -preset veryfast {x264Options} -g 60 -pix_fmt yuv420p -f h264 -
        width = {size.Split('x')[0]}
        height = {size.Split('x')[1]}
        fps = 30
        """;

    [Test]
    public void FfprobeSeesPresentationTimesInDisplayOrder()
    {
        using var daemon = DaemonProcess.Start(Config(WithBFrames));
        string path = Record(daemon.BaseUrl + "/stream.mp4", TimeSpan.FromSeconds(6));
        try
        {
            var packets = Rows(ToolRun.Output("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                "packet=pts,dts", "-of", "csv=p=0", path]));
            var frames = Rows(ToolRun.Output("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                "frame=pts", "-of", "csv=p=0", path])).Select(r => r[0]).ToList();
            Assert.That(packets.Count, Is.GreaterThan(100), daemon.Log);
            int reordered = packets.Zip(packets.Skip(1)).Count(p => p.Second[0] < p.First[0]);
            Assert.That(reordered, Is.GreaterThan(10), "the stream has B-frames: presentation order differs from decoding order");
            Assert.That(packets.All(p => p[0] >= p[1]), Is.True, "a packet presented before it is decoded");
            int outOfOrder = frames.Zip(frames.Skip(1)).Count(f => f.Second <= f.First);
            TestContext.Progress.WriteLine($"B-frame stream: {frames.Count} frames, {reordered} reordered packets, {outOfOrder} frames out of order");
            Assert.That(outOfOrder, Is.Zero, "decoded frames' presentation times must increase");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ChromiumDropsNoMoreFramesWithBFrames()
    {
        // Counted after the first 3 s: start-up drops (a loaded machine, the page finding the live edge) come with
        // or without B-frames and would hide the difference this is about.
        int Dropped(string x264Options, out PlaybackReport report)
        {
            using var daemon = DaemonProcess.Start(Config(x264Options, "640x360"));
            report = BrowserPlayback.Play(daemon.BaseUrl + "/", 12);
            Assert.That(report.Ok, Is.True, report.Raw);
            return report.DroppedAfter(3);
        }
        int without = Dropped(WithoutBFrames, out var plain);
        int with = Dropped(WithBFrames, out var b);
        TestContext.Progress.WriteLine($"Chromium, 12 s of 640x360: after 3 s {with} frames dropped with B-frames " +
            $"({b.Dropped} of {b.Decoded} in all), {without} without ({plain.Dropped} of {plain.Decoded} in all)");
        Assert.That(b.Decoded, Is.GreaterThan(200), b.Raw);
        // Frames out of order make Chromium drop most of them; a busy machine drops a few in either run, so the margin
        // is a share of what was shown rather than a fixed count.
        Assert.That(with, Is.LessThanOrEqualTo(without + Math.Max(2, b.Decoded / 20)), b.Raw);
    }

    /// <summary>The raw bytes of a progressive stream for a while, as a client receives them.</summary>
    private static string Record(string url, TimeSpan duration)
    {
        string path = FfmpegFixtures.WriteTemp("bframes.mp4", ReadOnlySpan<byte>.Empty);
        using var http = new HttpClient { Timeout = duration + TimeSpan.FromSeconds(20) };
        using var response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).Result;
        using var body = response.Content.ReadAsStream();
        using var file = File.Create(path);
        var buffer = new byte[64 * 1024];
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < duration)
        {
            int n = body.Read(buffer);
            if (n == 0) break;
            file.Write(buffer, 0, n);
        }
        return path;
    }

    private static List<long[]> Rows(string csv) => csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(line => line.Split(',', StringSplitOptions.RemoveEmptyEntries))
        .Where(cells => cells.Length > 0 && cells.All(c => long.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
        .Select(cells => cells.Select(c => long.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToList();
}
