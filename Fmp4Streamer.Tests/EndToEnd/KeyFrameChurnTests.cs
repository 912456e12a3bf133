using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// Clients that join and leave in a loop must not turn a camera's stream into key frames: with the test pattern,
/// which honours key-frame requests at once, 30 joins a second keep a steady viewer's bit rate within 1.5 times.
/// </summary>
[Category("EndToEnd")]
public class KeyFrameChurnTests
{
    [Test]
    public void ThirtyJoinsASecondKeepTheBitRate()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        var measure = TimeSpan.FromSeconds(6);
        long steady = StreamSampler.BytesOver(daemon.Port, TimeSpan.FromSeconds(1), measure);

        using var stop = new CancellationTokenSource();
        int joins = 0;
        var churn = Task.Run(() =>
        {
            var next = DateTime.UtcNow;
            while (!stop.IsCancellationRequested)
            {
                StreamSampler.JoinAndLeave(daemon.Port);
                joins++;
                next += TimeSpan.FromMilliseconds(1000.0 / 30);
                var wait = next - DateTime.UtcNow;
                if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            }
        });
        long churned = StreamSampler.BytesOver(daemon.Port, TimeSpan.FromSeconds(1), measure);
        stop.Cancel();
        churn.Wait(TimeSpan.FromSeconds(10));

        double ratio = (double)churned / steady;
        TestContext.Out.WriteLine($"steady {steady * 8 / measure.TotalSeconds / 1000:0} kbit/s, with {joins} joins " +
            $"{churned * 8 / measure.TotalSeconds / 1000:0} kbit/s: x{ratio:0.00}");
        Assert.That(joins, Is.GreaterThan(100), "the churn ran");
        Assert.That(ratio, Is.LessThan(1.5));
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }
}
