using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Diagnostics;

public class LogRateLimiterTests
{
    private static string[] Capture(Action write)
    {
        var output = new StringWriter();
        var previous = Log.Output;
        Log.Output = output;
        try { write(); }
        finally { Log.Output = previous; }
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Test]
    public void AFloodOfOneReasonWritesOneLinePerIntervalWithTheCount()
    {
        var limiter = new LogRateLimiter(reasons: 2);
        long now = 1_000_000;
        // 210,000 bad requests over 21 s (one every 100 µs), and one other line in the middle.
        string[] lines = Capture(() =>
        {
            for (int i = 0; i < 210_000; i++, now += 100)
            {
                limiter.Write(Log.Level.Warning, "HTTP", 0, now, "400 bad request");
                if (i == 50_000) limiter.Write(Log.Level.Warning, "HTTP", 1, now, "414 URI too long");
            }
            limiter.Flush(Log.Level.Warning, "HTTP", now);
        });
        Assert.That(lines, Is.EqualTo(new[]
        {
            "<4>HTTP: 400 bad request",
            "<4>HTTP: 414 URI too long",
            "<4>HTTP: 400 bad request (repeated 99999 times in the last 10 s)",
            "<4>HTTP: 400 bad request (repeated 99999 times in the last 10 s)",
            "<4>HTTP: 400 bad request (repeated 9999 times in the last 1 s)",
        }));
    }

    [Test]
    public void LinesFurtherApartThanTheIntervalAreAllWritten()
    {
        var limiter = new LogRateLimiter(reasons: 1, intervalUs: 1_000_000);
        string[] lines = Capture(() =>
        {
            for (int i = 0; i < 3; i++) limiter.Write(Log.Level.Info, "x", 0, i * 1_000_000L, "m");
            limiter.Flush(Log.Level.Info, "x", 5_000_000);
        });
        Assert.That(lines, Is.EqualTo(new[] { "<6>x: m", "<6>x: m", "<6>x: m" }));
    }

    [Test]
    public void CountingAHeldBackLineAllocatesNothing()
    {
        var limiter = new LogRateLimiter(reasons: 1);
        long now = 0;
        Capture(() => limiter.Write(Log.Level.Warning, "HTTP", 0, now, "400 bad request"));
        long bytes = AllocationProbe.MinimumBytes(3, () =>
        {
            for (int i = 0; i < 10_000; i++) limiter.Write(Log.Level.Warning, "HTTP", 0, ++now, "400 bad request");
        });
        Assert.That(bytes, Is.Zero);
        Assert.That(limiter.Suppressed(0), Is.EqualTo(30_000));
    }
}
