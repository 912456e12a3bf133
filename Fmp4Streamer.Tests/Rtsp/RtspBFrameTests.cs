using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Rtsp;

/// <summary>A source with B-frames: RTP timestamps follow presentation order, so players reorder and decode cleanly.</summary>
[Category("EndToEnd")]
public class RtspBFrameTests
{
    [Test]
    public void Rtp_timestamps_are_presentation_times()
    {
        int rtspPort = FreePort.Next();
        int udpFirst = 20000 + Random.Shared.Next(0, 40) * 250;
        string config = $"""
            [server]
            rtsp_port = {rtspPort}
            rtsp_udp_ports = {udpFirst}-{udpFirst + 249}

            [cam]
            command = ffmpeg -hide_banner -loglevel error -nostdin -re -f lavfi -i testsrc=size=320x240:rate=30 -c:v libx264 -preset veryfast -bf 3 -g 60 -pix_fmt yuv420p -f h264 -
            width = 320
            height = 240
            fps = 30
            """;
        using var daemon = DaemonProcess.Start(config);
        string url = $"rtsp://127.0.0.1:{rtspPort}/cam";
        var probe = ToolRun.Complete("ffprobe", new[]
        {
            "-v", "error", "-rtsp_transport", "tcp", "-select_streams", "v", "-show_entries", "packet=pts",
            "-read_intervals", "%+#40", "-of", "csv=p=0", url,
        }, TimeSpan.FromSeconds(60));
        Assert.That(probe.ExitCode, Is.EqualTo(0), probe.StdErr);
        // Packets after a sender report carry its wall-clock time as side data: a second (empty) column.
        var pts = probe.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().TrimEnd(','))
            .Where(l => l.Length > 0 && l != "N/A").Select(long.Parse).ToList();
        Assert.That(pts.Count, Is.GreaterThan(30));
        // In decode order, B-frames come after the later picture they refer to: some timestamps go back.
        Assert.That(pts.Zip(pts.Skip(1)).Count(p => p.Second < p.First), Is.GreaterThan(3), string.Join(",", pts));
        // And every frame has its own time.
        Assert.That(pts.Distinct().Count(), Is.EqualTo(pts.Count));

        var (result, frames) = ToolRun.FfmpegDecode(url, 90, TimeSpan.FromSeconds(60), "-rtsp_transport", "tcp");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        Assert.That(frames, Is.EqualTo(90));
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }
}
