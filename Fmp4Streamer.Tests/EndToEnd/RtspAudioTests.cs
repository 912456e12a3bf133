using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Tests.Audio;
using Fmp4Streamer.Tests.Rtsp;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// The built binary's test pattern with sound over RTSP: ffmpeg over TCP and UDP gets both tracks, decodes the AAC
/// one without a warning at the configured rate and channel count, and finds each tone burst within 40 ms of the
/// frame that flashes with it; GStreamer's rtspsrc decodes both tracks.
/// </summary>
[Category("EndToEnd")]
public class RtspAudioTests
{
    private const int Width = 320, Height = 240;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private DaemonProcess _daemon = null!;
    private string _url = null!;

    [OneTimeSetUp]
    public void StartDaemon()
    {
        _daemon = RtspDaemon.Start(out int port,
            cameraSections: $"[tp]\ntest_pattern = yes\ntest_pattern_audio = yes\nwidth = {Width}\nheight = {Height}\n");
        _url = $"rtsp://127.0.0.1:{port}/tp";
    }

    [OneTimeTearDown]
    public void StopDaemon()
    {
        _daemon.StopAndAssertCleanExit();
    }

    [TestCase("tcp")]
    [TestCase("udp")]
    public void Ffmpeg_pulls_both_tracks_and_the_bursts_start_with_the_flashing_frames(string transport)
    {
        string file = Path.Combine(_daemon.WorkDirectory, $"rtsp-{transport}.mkv");
        var pull = ToolRun.Complete("ffmpeg", ["-hide_banner", "-nostdin", "-v", "warning", "-rtsp_transport", transport,
            "-i", _url, "-t", "4.5", "-map", "0", "-c", "copy", "-y", file], Timeout);
        Assert.That(pull.ExitCode, Is.EqualTo(0), pull.StdErr);
        // ffmpeg's muxers say this of the first H264 packet of every RTSP pull, video-only ones too.
        var warnings = pull.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.Contains("Timestamps are unset in a packet for stream 0"));
        Assert.That(warnings, Is.Empty, "warnings while receiving");

        var streams = ToolRun.Output("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,codec_name,sample_rate,channels",
            "-of", "csv=p=0", file]);
        Assert.That(streams, Does.Contain("h264,video").And.Contain("aac,audio,48000,1"), streams);

        var decode = ToolRun.Complete("ffmpeg", ["-hide_banner", "-nostdin", "-v", "warning", "-i", file, "-map", "0:a", "-f", "null", "-"], Timeout);
        Assert.That(decode.ExitCode, Is.EqualTo(0), decode.StdErr);
        Assert.That(decode.StdErr.Trim(), Is.Empty, "warnings while decoding the audio");

        var flashes = FlashTimes(file, AvOffset.VideoTimes(file));
        var onsets = AvOffset.BurstOnsets(file);
        Assert.That(flashes, Has.Count.GreaterThanOrEqualTo(3), "flashing frames");
        var offsets = new List<double>();
        foreach (double onset in onsets)
        {
            double nearest = flashes.MinBy(f => Math.Abs(f - onset));
            if (Math.Abs(nearest - onset) < 0.5) offsets.Add(onset - nearest);
        }
        TestContext.Out.WriteLine($"A/V offsets over RTSP/{transport} (ms): " + string.Join(", ", offsets.Select(o => (o * 1000).ToString("F1"))));
        Assert.That(offsets, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(offsets, Has.All.InRange(-0.040, 0.040));
    }

    [TestCase("tcp")]
    [TestCase("udp")]
    public void Gstreamer_rtspsrc_decodes_both_tracks(string protocols)
    {
        // Each branch ends itself after about two seconds; the pipeline's EOS needs both.
        var result = ToolRun.Complete("gst-launch-1.0", new[]
        {
            "-v", "rtspsrc", $"location={_url}", $"protocols={protocols}", "latency=100", "name=src",
            "src.", "!", "rtph264depay", "!", "h264parse", "!", "avdec_h264", "!", "identity", "eos-after=60", "!", "fakesink",
            "src.", "!", "rtpmp4gdepay", "!", "aacparse", "!", "avdec_aac", "!", "identity", "eos-after=90", "!", "fakesink",
        }, Timeout, aptPackage: "gstreamer1.0-tools");
        string output = result.StdOut + result.StdErr;
        Assert.That(result.ExitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("Got EOS from element \"pipeline0\""), output);
        Assert.That(output, Does.Contain("video/x-raw"), output);
        Assert.That(output, Does.Match(@"audio/x-raw[^""]*rate=\(int\)48000[^""]*channels=\(int\)1"), output);
        Assert.That(output, Does.Not.Contain("ERROR"));
    }

    /// <summary>Times of the frames whose flash area is white, from ffmpeg's grey decode in decode order.</summary>
    private static List<double> FlashTimes(string file, List<double> times)
    {
        var painter = new TestPatternPainter(Width, Height);
        int x = painter.FlashLeft + 8, y = painter.FlashTop + 8;
        string raw = file + ".gray";
        ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-y", "-i", file, "-map", "0:v:0", "-fps_mode", "passthrough",
            "-f", "rawvideo", "-pix_fmt", "gray", raw]);
        var bytes = File.ReadAllBytes(raw);
        var flashes = new List<double>();
        // Not the first frame: ffmpeg gives the first packet of an RTSP pull no timestamp and its muxer puts it at 0.
        for (int f = 1; f < times.Count && (f + 1) * Width * Height <= bytes.Length; f++)
            if (bytes[f * Width * Height + y * Width + x] > 128) flashes.Add(times[f]);
        return flashes;
    }
}
