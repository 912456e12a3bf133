using System.Diagnostics;
using System.Text;
using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Rtsp;

/// <summary>The built binary's RTSP server under clients that misbehave, and its glass-to-glass latency.</summary>
[Category("EndToEnd")]
public class RtspRobustnessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private DaemonProcess _daemon = null!;
    private int _port;
    private string _url = null!;

    [OneTimeSetUp]
    public void StartDaemon()
    {
        // A small queue, so a client that stops reading reaches it within the test.
        _daemon = RtspDaemon.Start(out _port, "client_queue_bytes = 64K");
        _url = $"rtsp://127.0.0.1:{_port}/pattern";
    }

    [OneTimeTearDown]
    public void StopDaemon()
    {
        _daemon.StopAndAssertCleanExit();
    }

    [Test]
    public void Tcp_client_that_stops_reading_does_not_disturb_others_and_resumes_on_a_key_frame()
    {
        using var stalled = new RtspTestClient(_port, receiveBuffer: 4096);
        Assert.That(stalled.Request("DESCRIBE", _url, "Accept: application/sdp").Status, Is.EqualTo(200));
        var setup = stalled.Request("SETUP", _url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        Assert.That(setup.Status, Is.EqualTo(200));
        string session = RtspTestClient.HeaderValue(setup.Head, "Session").Split(';')[0];
        var play = stalled.Request("PLAY", _url, "Session: " + session);
        Assert.That(play.Status, Is.EqualTo(200));

        // While it reads nothing, a real client decodes 150 frames (5 s) without an error.
        var watch = Stopwatch.StartNew();
        var (result, frames) = ToolRun.FfmpegDecode(_url, 150, Timeout, "-rtsp_transport", "tcp");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        Assert.That(frames, Is.EqualTo(150));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "the other client was held up");

        // Reading again: every gap in the sequence (frames skipped) is followed by a key frame's SPS.
        int gaps = 0, packets = 0;
        int? previous = null;
        bool expectSps = false;
        var readFor = Stopwatch.StartNew();
        while (readFor.Elapsed < TimeSpan.FromSeconds(3))
        {
            var packet = stalled.ReadInterleaved();
            Assert.That(packet, Is.Not.Null, "connection ended");
            if (packet!.Value.Channel != 0) continue;
            var rtp = packet.Value.Payload;
            packets++;
            int seq = RtspTestClient.Sequence(rtp);
            if (previous is not null && (ushort)(previous.Value + 1) != seq)
            {
                gaps++;
                expectSps = true;
            }
            if (expectSps)
            {
                Assert.That(rtp[12] & 0x1F, Is.EqualTo(7), $"packet after a gap (seq {seq}) is not the SPS of a key frame");
                expectSps = false;
            }
            previous = seq;
        }
        // Whether loopback's socket buffers filled (a gap) depends on the kernel's autotuning: the in-process test
        // with large frames makes sure of the skip.
        TestContext.Progress.WriteLine($"stalled client: {gaps} gaps in {packets} packets after resuming");
        Assert.That(packets, Is.GreaterThan(50));
    }

    private static readonly string[] Malformed =
    {
        "GARBAGE\r\n\r\n",
        "OPTIONS rtsp://x/ HTTP/1.1\r\nCSeq: 1\r\n\r\n",
        "OPTIONS rtsp://x/ RTSP/1.0\r\n\r\n",
        "OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: abc\r\n\r\n",
        "OPTIONS  rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\n\r\n",
        "options rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\n\r\n",
        "OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\nno colon here\r\n\r\n",
        "DESCRIBE rtsp://x/nosuchcamera RTSP/1.0\r\nCSeq: 1\r\n\r\n",
        "DESCRIBE rtsp://x/a/b/c RTSP/1.0\r\nCSeq: 1\r\n\r\n",
        "DESCRIBE relative RTSP/1.0\r\nCSeq: 1\r\n\r\n",
        "SETUP rtsp://x/pattern/trackID=0 RTSP/1.0\r\nCSeq: 1\r\n\r\n",
        "SETUP rtsp://x/pattern/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;multicast\r\n\r\n",
        "SETUP rtsp://x/pattern/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;unicast;client_port=99999-0\r\n\r\n",
        "SETUP rtsp://x/pattern/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RAW/RAW/UDP;unicast\r\n\r\n",
        "PLAY rtsp://x/pattern RTSP/1.0\r\nCSeq: 1\r\n\r\n",
        "PLAY rtsp://x/pattern RTSP/1.0\r\nCSeq: 1\r\nSession: 12345\r\n\r\n",
        "PAUSE rtsp://x/pattern RTSP/1.0\r\nCSeq: 1\r\nSession: nope\r\n\r\n",
        "TEARDOWN rtsp://x/pattern RTSP/1.0\r\nCSeq: 1\r\nSession: nope\r\n\r\n",
        "GET_PARAMETER rtsp://x/pattern RTSP/1.0\r\nCSeq: 1\r\nSession: nope\r\n\r\n",
        "RECORD rtsp://x/pattern RTSP/1.0\r\nCSeq: 1\r\n\r\n",
        "OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\nContent-Length: -5\r\n\r\n",
        "OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 99999999999\r\n\r\n",
        "OPTIONS rtsp://x/\0 RTSP/1.0\r\nCSeq: 1\r\n\r\n",
        "OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\nX: \u00ff\u00fe\r\n\r\n",
        "OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\nX-Long: " + new string('a', 9000) + "\r\n\r\n",
    };

    [Test]
    public void Malformed_requests_get_4xx_and_the_server_keeps_serving()
    {
        for (int i = 0; i < Malformed.Length; i++)
        {
            using var client = new RtspTestClient(_port);
            client.SendRaw(Encoding.Latin1.GetBytes(Malformed[i]));
            var (status, head, _) = client.ReadResponse();
            Assert.That(status, Is.InRange(400, 499), $"request {i} ({Malformed[i][..Math.Min(40, Malformed[i].Length)].ReplaceLineEndings(" ")}): {head}");
        }

        // Random bytes and mutations of a valid request: whatever comes back, the daemon stays up.
        var random = new Random(1234);
        byte[] valid = Encoding.ASCII.GetBytes($"SETUP {_url}/trackID=0 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
        for (int i = 0; i < 300; i++)
        {
            byte[] input;
            if (i % 3 == 0)
            {
                input = new byte[random.Next(1, 600)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                for (int flips = random.Next(1, 6); flips > 0; flips--) input[random.Next(input.Length)] = (byte)random.Next(256);
            }
            using var client = new RtspTestClient(_port);
            client.Socket.ReceiveTimeout = 300;
            client.SendRaw(input);
            client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            var (status, head, _) = client.ReadResponse();
            Assert.That(status is 0 or 200 or (>= 400 and < 500), Is.True, $"fuzz {i}: {head}");
        }

        var (result, frames) = ToolRun.FfmpegDecode(_url, 60, Timeout, "-rtsp_transport", "tcp");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        Assert.That(frames, Is.EqualTo(60));
    }

    [Test]
    public void Glass_to_glass_latency_over_rtsp_beside_the_progressive_stream()
    {
        var rtsp = Latencies(new[] { "-rtsp_transport", "tcp", "-i", _url });
        var progressive = Latencies(new[] { "-i", _daemon.BaseUrl + "/pattern/stream.mp4" });
        TestContext.Progress.WriteLine($"glass-to-glass latency through ffmpeg on loopback: RTSP/TCP median {Median(rtsp)} ms " +
            $"(max {rtsp.Max()}), progressive fMP4 median {Median(progressive)} ms (max {progressive.Max()})");
        Assert.That(Median(rtsp), Is.LessThan(500));
    }

    private static long Median(List<long> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Decodes 150 frames to raw luma and reads each frame's capture time from the pattern's strip as it arrives.</summary>
    private static List<long> Latencies(string[] input)
    {
        const int width = 640, height = 480;
        var args = new List<string> { "-hide_banner", "-nostdin", "-v", "error", "-fflags", "nobuffer", "-flags", "low_delay" };
        args.AddRange(input);
        args.AddRange(new[] { "-frames:v", "150", "-f", "rawvideo", "-pix_fmt", "gray", "-" });
        using var process = ToolRun.Start("ffmpeg", args);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.BaseStream;
        var frame = new byte[width * height];
        var latencies = new List<long>();
        try
        {
            while (true)
            {
                int filled = 0;
                while (filled < frame.Length)
                {
                    int n = stdout.Read(frame, filled, frame.Length - filled);
                    if (n <= 0) break;
                    filled += n;
                }
                if (filled < frame.Length) break;
                long nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                Assert.That(TestPatternStrip.TryRead(frame, width, height, width, out _, out long captureMs), Is.True, "strip unreadable");
                latencies.Add(nowMs - captureMs);
            }
            Assert.That(process.WaitForExit(Timeout), Is.True);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        Assert.That(process.ExitCode, Is.EqualTo(0), stderr.Result);
        Assert.That(latencies.Count, Is.EqualTo(150));
        // The first frames wait for the decoder to fill; the steady state is what a viewer sees.
        return latencies.Skip(30).ToList();
    }
}
