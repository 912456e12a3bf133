using System.Text;
using Fmp4Streamer.Config;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming.Hls;
using Fmp4Streamer.Tests.Http;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests;

/// <summary>The composition root's mapping of [server] keys onto the parts they configure.</summary>
public class StreamerTests
{
    [Test]
    public void HlsKeysReachTheSegmenter()
    {
        const string text = "[server]\nhls_segment_duration = 2\nhls_window = 3\nhls_part_duration = 0.5\n";
        HlsOptions options = Streamer.HlsOptions(ConfigLoader.Parse(text, "c.conf").Server);
        Assert.That(options, Is.EqualTo(new HlsOptions
        {
            MinSegmentDuration = TimeSpan.FromSeconds(2), WindowSegments = 3, PartTarget = TimeSpan.FromMilliseconds(500),
        }));

        using var loop = new EventLoop();
        var stream = new FakeLiveStream();
        var hls = new HlsSegmenter(loop, stream, options);
        hls.Touch();
        // 30 fps with a key frame every 0.5 s: segments are cut at the first key frame after 2 s.
        for (int i = 0; i < 30 * 12 + 1; i++) stream.Publish(stream.Sequence % 15 == 0, 200);
        string playlist = hls.MediaPlaylist!.ToString();
        Assert.That(hls.SegmentCount, Is.EqualTo(3), "hls_window");
        Assert.That(playlist, Does.Contain("#EXT-X-TARGETDURATION:2\n#").And.Contain("#EXTINF:2.00000,\n"), "hls_segment_duration");
        Assert.That(playlist, Does.Not.Contain("#EXTINF:0.5"));
        Assert.That(playlist, Does.Contain("#EXT-X-PART-INF:PART-TARGET=0.50002\n"), "hls_part_duration");
        hls.Close();
    }

    [Test]
    public void HlsPartDurationZeroIsPlainHls()
    {
        var options = Streamer.HlsOptions(ConfigLoader.Parse("[server]\nhls_part_duration = 0\n", "c.conf").Server);
        using var loop = new EventLoop();
        var hls = new HlsSegmenter(loop, new FakeLiveStream(), options);
        Assert.That(hls.LowLatency, Is.False);
    }

    private sealed class FaultyHandler : ITimerCallback
    {
        public void OnTimer(LoopTimer timer) => throw new InvalidOperationException("handler bug");
    }

    [Test]
    public void AHandlerThatThrowsIsLoggedWithItsStackAndStopsTheLoop()
    {
        var clock = new ManualClock();
        using var loop = new EventLoop(clock);
        new LoopTimer(loop, new FaultyHandler()).Start(0);
        var output = new StringWriter();
        var previous = Log.Output;
        Log.Output = output;
        bool clean;
        try { clean = Streamer.RunLoop(loop); }
        finally { Log.Output = previous; }

        Assert.That(clean, Is.False, "the caller exits with ExitCodes.Software");
        string[] lines = output.ToString().TrimEnd('\n').Split('\n');
        Assert.That(lines[0], Does.StartWith("<3>fmp4streamer: bug: an event handler threw").And.Contain("handler bug"));
        Assert.That(lines, Has.Some.Contains(nameof(FaultyHandler) + ".OnTimer"), "the stack");
        Assert.That(lines, Has.All.StartWith("<3>"), "every line of the stack at error level");
    }

    [Test]
    public void AStopRequestEndsTheLoopCleanly()
    {
        using var loop = new EventLoop();
        loop.RequestStop();
        Assert.That(Streamer.RunLoop(loop), Is.True);
    }
}
