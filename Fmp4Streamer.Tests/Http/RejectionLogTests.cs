using System.Text.RegularExpressions;
using Fmp4Streamer.Diagnostics;

namespace Fmp4Streamer.Tests.Http;

/// <summary>A flood of bad requests writes a line per reason per interval, not a line per request.</summary>
public class RejectionLogTests
{
    [Test]
    public void ManyMalformedRequestsWriteOneLineAndAreAllCounted()
    {
        var output = new StringWriter();
        var previous = Log.Output;
        Log.Output = TextWriter.Synchronized(output);
        try
        {
            using var f = new ServerFixture();
            for (int i = 0; i < 60; i++)
            {
                using var c = f.Connect();
                c.Send("GARBAGE\r\n\r\n");
                Assert.That(c.ReadResponse().Status, Is.EqualTo(400));
            }
            Assert.That(f.WaitFor(() => f.Server.ConnectionCount == 0), Is.True);
            int lines = Regex.Matches(output.ToString(), @"400 \(MalformedRequestLine\)").Count;
            Assert.That(lines, Is.EqualTo(1), "one line for the flood within the interval:\n" + output);
            string metrics = f.LoopThread.Invoke(() =>
            {
                var registry = new Fmp4Streamer.Diagnostics.Metrics.MetricsRegistry();
                f.Server.ServeMetrics(registry);
                return registry.RenderText();
            });
            Assert.That(metrics, Does.Contain("fmp4streamer_http_rejections_total{reason=\"malformed_request_line\"} 60"));
        }
        finally
        {
            Log.Output = previous;
        }
    }
}
