using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd.Players;

/// <summary>
/// GStreamer renders /stream.m3u8 joined long after the camera started, through <c>playbin</c> (version 2, as most
/// applications built on GStreamer use it) and through the legacy <c>hlsdemux</c> by hand. The sink renders on the
/// clock (<c>sync=true</c>), as a display would: a buffer stamped far from the playlist position never renders.
/// Each rendered buffer prints one "chain" line; the pipeline is stopped after <see cref="Frames"/> of them.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
[Order(6)]
public class GStreamerTests
{
    private const int Frames = 60;
    private const string Sink = "fakesink sync=true silent=false";

    [Test]
    public void PlaybinRendersTheMasterPlaylist()
    {
        PlayerDaemon.WaitForLateJoin();
        string url = PlayerDaemon.Daemon.BaseUrl + "/stream.m3u8";
        AssertRenders("playbin", Launch("-v", "playbin", "uri=" + url, "video-sink=" + Sink, "audio-sink=fakesink"));
    }

    [Test]
    public void HlsdemuxRendersTheMasterPlaylist()
    {
        PlayerDaemon.WaitForLateJoin();
        string url = PlayerDaemon.Daemon.BaseUrl + "/stream.m3u8";
        AssertRenders("hlsdemux", Launch(("-v souphttpsrc location=" + url +
            " ! hlsdemux ! qtdemux ! h264parse ! avdec_h264 ! " + Sink).Split(' ')));
    }

    private static CountedRun Launch(params string[] args) =>
        CountingRun.Run("gst-launch-1.0", args, TimeSpan.FromSeconds(15),
            line => line.Contains("last-message = chain"), Frames,
            "gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav");

    private static void AssertRenders(string what, CountedRun run)
    {
        TestContext.Progress.WriteLine($"GStreamer {what}: {run.Frames} frames rendered, first after " +
            $"{run.FirstFrame?.TotalSeconds.ToString("0.0") ?? "-"} s, exit {run.Result.ExitCode} after {run.Elapsed.TotalSeconds:0.0} s");
        Assert.That(run.Frames, Is.GreaterThanOrEqualTo(Frames),
            $"GStreamer {what} rendered {run.Frames} of {Frames} frames within 15 s; its last output:\n{run.Result.StdOut}\n{run.Result.StdErr}");
    }
}
