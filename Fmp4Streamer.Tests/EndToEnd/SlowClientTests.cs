using System.Diagnostics;
using System.Net.Sockets;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>A client that stops reading costs the others nothing and the daemon only its bounded queue.</summary>
[Category("EndToEnd")]
public class SlowClientTests
{
    [Test]
    public void AStalledClientDoesNotDelayOthersAndMemoryStaysBounded()
    {
        const int queueBytes = 2 * 1024 * 1024;
        string config = $"""
            [server]
            client_queue_bytes = {queueBytes}
            client_stall_timeout = 30

            [pattern]
            test_pattern = yes
            width = 1280
            height = 720
            """;
        using var daemon = DaemonProcess.Start(config);
        // Warm up the fragment pool and the page before measuring.
        var warm = ToolRun.FfmpegDecode(daemon.BaseUrl + "/stream.mp4", 30, TimeSpan.FromSeconds(30));
        Assert.That(warm.Result.ExitCode, Is.EqualTo(0), warm.Result.StdErr);
        long rssBefore = daemon.RssKb();

        using var stalled = new TcpClient();
        stalled.ReceiveBufferSize = 4096; // keep the kernel from absorbing the backlog
        stalled.Connect("127.0.0.1", daemon.Port);
        stalled.GetStream().Write("GET /stream.mp4 HTTP/1.1\r\nHost: x\r\n\r\n"u8);

        var sw = Stopwatch.StartNew();
        var (result, frames) = ToolRun.FfmpegDecode(daemon.BaseUrl + "/stream.mp4", 300, TimeSpan.FromSeconds(40));
        double seconds = sw.Elapsed.TotalSeconds;
        long rssAfter = daemon.RssKb();
        TestContext.Out.WriteLine($"300 frames in {seconds:0.0} s beside a stalled client; RSS {rssBefore} kB -> {rssAfter} kB");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
            Assert.That(frames, Is.GreaterThanOrEqualTo(300));
            // 300 frames at 30 fps take 10 s of real time; the first key frame may cost up to one more second.
            Assert.That(seconds, Is.LessThan(14), "the reading client was held back by the stalled one");
            Assert.That(rssAfter - rssBefore, Is.LessThan(queueBytes / 1024 + 6 * 1024), "memory grew past the queue bound");
        });
    }
}
