using System.Net.Sockets;
using System.Text;
using Fmp4Streamer.Tests.Diagnostics;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>The built daemon's /metrics after a known run, read by Prometheus' own parser.</summary>
public class MetricsEndpointTests
{
    [Test]
    public void MetricsCountWhatHappened()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        // A viewer that reads 2 s of the stream and leaves, a 404, a malformed request line, then the scrape.
        int received = ReadStream(daemon.Port, TimeSpan.FromSeconds(2));
        Assert.That(received, Is.GreaterThan(20), "bytes of the stream");
        Assert.That(Exchange(daemon.Port, "GET /nothing-here HTTP/1.1\r\nHost: a\r\n\r\n"), Does.StartWith("HTTP/1.1 404"));
        Assert.That(Exchange(daemon.Port, "GARBAGE\r\n\r\n"), Does.StartWith("HTTP/1.1 400"));
        Thread.Sleep(300); // the viewer's close is seen on the loop

        string response = Exchange(daemon.Port, "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        Assert.That(response, Does.StartWith("HTTP/1.1 200"));
        Assert.That(response, Does.Contain("Content-Type: text/plain; version=0.0.4"));
        string body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var samples = MetricsRegistryTests.Parse(body);
        TestContext.Out.WriteLine(string.Join('\n', samples.Where(s => !s.StartsWith("family"))));

        double Value(string prefix) => double.Parse(samples.Single(s => s.StartsWith(prefix, StringComparison.Ordinal)).Split(' ')[^1],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(Value("fmp4streamer_http_rejections_total{reason=not_found}"), Is.EqualTo(1));
        Assert.That(Value("fmp4streamer_http_rejections_total{reason=malformed_request_line}"), Is.EqualTo(1));
        Assert.That(Value("fmp4streamer_http_requests_total{}"), Is.EqualTo(3), "the stream, the 404 and /metrics itself");
        Assert.That(Value("fmp4streamer_frames_muxed_total{stream="), Is.GreaterThan(20));
        Assert.That(Value("fmp4streamer_source_starts_total{stream="), Is.EqualTo(1));
        Assert.That(Value("fmp4streamer_http_fragments_sent_total{kind=progressive}"), Is.GreaterThan(20));
        Assert.That(Value("fmp4streamer_fanout_delay_seconds_count{stream="), Is.GreaterThan(20));
        Assert.That(Value("fmp4streamer_http_connections{}"), Is.EqualTo(1), "only the scrape's own connection is open");
    }

    private static int ReadStream(int port, TimeSpan duration)
    {
        using var client = new TcpClient("127.0.0.1", port);
        var stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes("GET /stream.mp4 HTTP/1.1\r\nHost: a\r\n\r\n"));
        client.ReceiveTimeout = 5000;
        var buffer = new byte[65536];
        int total = 0;
        var end = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < end)
        {
            int n = stream.Read(buffer);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }

    private static string Exchange(int port, string request)
    {
        using var client = new TcpClient("127.0.0.1", port);
        var stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes(request));
        client.Client.Shutdown(SocketShutdown.Send);
        client.ReceiveTimeout = 5000;
        using var all = new MemoryStream();
        stream.CopyTo(all);
        return Encoding.ASCII.GetString(all.ToArray());
    }
}
