using System.Net.Sockets;
using System.Text;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>Headless Chromium opens the daemon's page and plays the live stream from a plain video tag.</summary>
[Category("EndToEnd")]
[NonParallelizable]
public class BrowserTests
{
    [Test]
    public void ChromiumPlaysThePage()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        var report = BrowserPlayback.Play(daemon.BaseUrl + "/", 4);
        Assert.Multiple(() =>
        {
            Assert.That(report.Ok, Is.True, report.Raw);
            Assert.That((report.Width, report.Height), Is.EqualTo((640, 480)));
            Assert.That(report.EndTime - report.StartTime, Is.GreaterThanOrEqualTo(3.0), report.Raw);
            Assert.That(report.Errors, Is.Empty);
        });
    }

    [Test]
    public void ThePagePlaysWithoutJavaScript()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        var report = BrowserPlayback.Play(daemon.BaseUrl + "/", 4, withoutScript: true);
        Assert.That(report.Raw, Does.Contain("\"scriptRemoved\":true"));
        Assert.That(report.Ok, Is.True, report.Raw);
        Assert.That((report.Width, report.Height), Is.EqualTo((640, 480)));
    }

    [Test]
    public void BadClientsDoNotDisturbAPlayingClient()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        var playback = Task.Run(() => BrowserPlayback.Play(daemon.BaseUrl + "/", 8));
        Thread.Sleep(3000);

        string garbage = Exchange(daemon.Port, Encoding.ASCII.GetBytes("\x01\x02 garbage \r\n\r\n"));
        Assert.That(garbage, Does.StartWith("HTTP/1.1 400"));

        var huge = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        while (huge.Length < 1_000_000) huge.Append("X-Filler: ").Append('a', 1000).Append("\r\n");
        string hugeAnswer = Exchange(daemon.Port, Encoding.ASCII.GetBytes(huge.Append("\r\n").ToString()));
        Assert.That(hugeAnswer, Does.StartWith("HTTP/1.1 431").Or.Empty, "an oversized header is refused or cut off");

        using var slowloris = new TcpClient("127.0.0.1", daemon.Port);
        slowloris.GetStream().Write("GET / HTTP/1.1\r\nHost: x\r\n"u8);

        var report = playback.Result;
        Assert.That(report.Ok, Is.True, report.Raw);
        Assert.That(report.EndTime - report.StartTime, Is.GreaterThanOrEqualTo(6.0), "the player stalled: " + report.Raw);
    }

    [Test]
    public void ThePageRecoversWhenTheDaemonRestarts()
    {
        var first = DaemonProcess.Start(null, "--test-pattern");
        int port = first.Port;
        var playback = Task.Run(() => BrowserPlayback.Play(first.BaseUrl + "/", 16));
        Thread.Sleep(6000);
        Assert.That(first.Stop(), Is.EqualTo(0));
        first.Dispose();
        Thread.Sleep(1500);
        using var second = DaemonProcess.StartOnPort(port, null, "--test-pattern");
        var report = playback.Result;
        long end = report.Times[^1].NowMs;
        var lastSeconds = report.Times.Where(s => s.NowMs >= end - 3000).ToList();
        Assert.That(lastSeconds.Count, Is.GreaterThan(5), report.Raw);
        Assert.That(lastSeconds[^1].Time - lastSeconds[0].Time, Is.GreaterThan(1.5),
            "playing again after the restart: " + report.Raw);
    }

    [Test]
    public void LatencyStaysBoundedWithTheLiveEdgeScript()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        var report = BrowserPlayback.Play(daemon.BaseUrl + "/", 20, readStrip: true);
        Assert.That(report.Ok, Is.True, report.Raw);
        Assert.That(report.Latencies.Count, Is.GreaterThan(20), "the strip was not readable from the displayed frames");
        var values = report.Latencies.Select(l => l.LatencyMs).ToList();
        int quarter = values.Count / 4;
        double early = Median(values.GetRange(quarter, quarter));
        double late = Median(values.GetRange(values.Count - quarter, quarter));
        TestContext.Progress.WriteLine($"glass-to-glass latency on loopback: median {Median(values):0} ms, " +
            $"second quarter {early:0} ms, last quarter {late:0} ms, min {values.Min():0} ms, max {values.Max():0} ms");
        Assert.That(late, Is.LessThanOrEqualTo(early + 500), "playback drifts further behind");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Exchange(int port, byte[] request)
    {
        using var client = new TcpClient("127.0.0.1", port);
        client.ReceiveTimeout = 5000;
        var stream = client.GetStream();
        try { stream.Write(request); } catch (IOException) { }
        var buffer = new byte[4096];
        try
        {
            int n = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (IOException) { return ""; }
    }
}
