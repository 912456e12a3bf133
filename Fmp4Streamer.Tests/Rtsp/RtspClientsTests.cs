using System.Diagnostics;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Rtsp;

/// <summary>RTSP clients nobody here wrote decode the built binary's test pattern over TCP and UDP without error.</summary>
[Category("EndToEnd")]
public class RtspClientsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private DaemonProcess _daemon = null!;
    private string _url = null!;

    [OneTimeSetUp]
    public void StartDaemon()
    {
        _daemon = RtspDaemon.Start(out int port);
        _url = $"rtsp://127.0.0.1:{port}/pattern";
    }

    [OneTimeTearDown]
    public void StopDaemon()
    {
        _daemon.StopAndAssertCleanExit();
    }

    [TestCase("tcp")]
    [TestCase("udp")]
    public void Ffmpeg_decodes_every_frame(string transport)
    {
        var result = ToolRun.Complete("ffmpeg", new[]
        {
            "-hide_banner", "-nostdin", "-v", "error", "-rtsp_transport", transport, "-i", _url,
            "-frames:v", "120", "-f", "framemd5", "-",
        }, Timeout);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        Assert.That(result.StdErr.Trim(), Is.Empty, "decoder errors");
        int frames = result.StdOut.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'));
        Assert.That(frames, Is.EqualTo(120));
    }

    [Test]
    public void Ffprobe_reads_the_sdp_parameters()
    {
        var result = ToolRun.Complete("ffprobe", new[]
        {
            "-v", "error", "-rtsp_transport", "tcp", "-select_streams", "v", "-show_entries",
            "stream=codec_name,profile,width,height,avg_frame_rate", "-of", "default=nw=1", _url,
        }, Timeout);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        Assert.That(result.StdOut, Does.Contain("codec_name=h264").And.Contain("width=640").And.Contain("height=480"));
    }

    [TestCase("tcp")]
    [TestCase("udp")]
    public void Gstreamer_rtspsrc_decodes(string protocols)
    {
        // identity counts decoded frames and ends the pipeline with EOS after 100.
        var result = ToolRun.Complete("gst-launch-1.0", new[]
        {
            "-m", "rtspsrc", $"location={_url}", $"protocols={protocols}", "latency=100", "!", "rtph264depay", "!",
            "h264parse", "!", "avdec_h264", "!", "identity", "eos-after=100", "!", "fakesink",
        }, Timeout, aptPackage: "gstreamer1.0-tools");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdOut + result.StdErr);
        Assert.That(result.StdOut, Does.Contain("Got EOS from element"), result.StdOut);
        Assert.That(result.StdOut + result.StdErr, Does.Not.Contain("ERROR"));
    }

    [Test]
    public void Mpv_plays_90_frames()
    {
        var result = ToolRun.Complete("mpv", new[]
        {
            "--no-config", "--vo=null", "--ao=null", "--frames=90", "--msg-level=all=info", _url,
        }, Timeout, aptPackage: "mpv");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdOut + result.StdErr);
        Assert.That(result.StdOut, Does.Contain("h264").And.Contain("640x480"), result.StdOut);
        Assert.That(result.StdOut + result.StdErr, Does.Not.Contain("rror"));
    }

    [Test]
    public void Opencv_videocapture_reads_90_frames()
    {
        const string script = """
            import sys, cv2
            cap = cv2.VideoCapture(sys.argv[1])
            n = 0
            while n < 90:
                ok, frame = cap.read()
                if not ok:
                    break
                assert frame.shape == (480, 640, 3), frame.shape
                n += 1
            print("frames", n)
            """;
        var result = ToolRun.Complete("/usr/bin/python3", new[] { "-c", script, _url }, Timeout, aptPackage: "python3-opencv");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        Assert.That(result.StdOut.Trim(), Is.EqualTo("frames 90"), result.StdErr);
    }

    [Test]
    public void Clients_joining_at_different_times_each_start_on_a_key_frame()
    {
        var probes = new List<Process>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                if (i > 0) Thread.Sleep(700); // a different point of the one-second GOP each
                probes.Add(ToolRun.Start("ffprobe", new[]
                {
                    "-v", "error", "-rtsp_transport", i == 1 ? "udp" : "tcp", "-select_streams", "v",
                    "-show_entries", "packet=flags", "-read_intervals", "%+#40", "-of", "csv=p=0", _url,
                }));
            }
            foreach (var p in probes)
            {
                p.StandardInput.Close();
                var stdout = p.StandardOutput.ReadToEndAsync();
                var stderr = p.StandardError.ReadToEndAsync();
                Assert.That(p.WaitForExit(Timeout), Is.True, "ffprobe hung");
                var flags = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.That(p.ExitCode, Is.EqualTo(0), stderr.Result);
                Assert.That(flags.Length, Is.EqualTo(40));
                Assert.That(flags[0], Does.StartWith("K"), "the first packet of every client is a key frame");
                Assert.That(stderr.Result.Trim(), Is.Empty);
            }
        }
        finally
        {
            foreach (var p in probes)
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.Dispose();
            }
        }
    }
}
