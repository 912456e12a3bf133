using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// Snapshots and MJPEG from the built binary (one daemon with the test pattern, auto-sleeping after 1 s), read by the
/// tools that use them: wget as Moonraker's timelapse runs it, ffmpeg's mpjpeg demuxer, OpenCV.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class PicturesTests
{
    private const int Width = 640, Height = 480, Fps = 30, MjpegFps = 15;
    private DaemonProcess _daemon = null!;
    private string _dir = null!;

    [OneTimeSetUp]
    public void StartDaemon()
    {
        _daemon = DaemonProcess.Start($"[server]\nrtsp_port = 0\nsleep_grace = 1\nmax_connections_per_address = 100\n[pattern]\ntest_pattern = yes\nwidth = {Width}\n" +
            $"height = {Height}\nfps = {Fps}\nsnapshot_quality = 90\nmjpeg_fps = {MjpegFps}\n");
        _dir = Directory.CreateTempSubdirectory("fmp4streamer-pictures-").FullName;
    }

    [OneTimeTearDown]
    public void StopDaemon()
    {
        int code = _daemon.Stop();
        _daemon.Dispose();
        Directory.Delete(_dir, recursive: true);
        Assert.That(code, Is.EqualTo(0), _daemon.Log);
    }

    [Test, Order(1)]
    public void A_snapshot_shows_the_newest_frame_at_the_quality_of_ffmpegs_own_decode()
    {
        // ffmpeg records the stream's frames while the snapshot is taken; the strip finds the same frame in both.
        string recorded = Path.Combine(_dir, "stream.yuv");
        using var ffmpeg = ToolRun.Start("ffmpeg", new[] { "-nostdin", "-v", "error",
            // Decode as frames arrive: probing would hold the first frames back for seconds.
            "-probesize", "32768", "-analyzeduration", "0", "-fflags", "nobuffer", "-f", "h264", "-i", _daemon.BaseUrl + "/stream.h264",
            "-frames:v", "90", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-y", recorded });
        int frameBytes = Width * Height * 3 / 2;
        var until = DateTime.UtcNow.AddSeconds(20);
        while ((!File.Exists(recorded) || new FileInfo(recorded).Length < 15L * frameBytes) && DateTime.UtcNow < until) Thread.Sleep(20);

        long requestMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var watch = Stopwatch.StartNew();
        byte[] jpeg = Get("/snapshot.jpg", out string head);
        long latencyMs = watch.ElapsedMilliseconds;
        Assert.That(head, Does.StartWith("HTTP/1.1 200"));
        Assert.That(ffmpeg.WaitForExit(30_000), Is.True, "ffmpeg recorded 90 frames");

        string jpegPath = Path.Combine(_dir, "snapshot.jpg");
        File.WriteAllBytes(jpegPath, jpeg);
        byte[] snapshot = DecodeJpeg(jpegPath);
        Assert.That(TestPatternStrip.TryRead(snapshot, Width, Height, Width, out long number, out long wallMs), Is.True, "the strip of the snapshot");

        byte[] frames = File.ReadAllBytes(recorded);
        byte[]? same = null;
        var seen = new List<long>();
        for (int at = 0; at + frameBytes <= frames.Length; at += frameBytes)
        {
            var frame = frames.AsSpan(at, frameBytes);
            if (!TestPatternStrip.TryRead(frame, Width, Height, Width, out long n, out _)) continue;
            seen.Add(n);
            if (n == number) same = frame.ToArray();
        }
        Assert.That(same, Is.Not.Null, $"frame {number} among ffmpeg's decoded frames ({string.Join(",", seen)})");
        double psnr = Psnr(snapshot, same!);
        // Frames between the snapshot's and the newest one when the request was sent: 0 is the newest.
        double frameMs = 1000.0 / Fps;
        int age = Math.Max(0, (int)Math.Ceiling((requestMs - wallMs) / frameMs) - 1);
        TestContext.Out.WriteLine($"snapshot: frame {number}, age {age} frame(s) ({requestMs - wallMs} ms before the request), " +
            $"PSNR {psnr:F2} dB against ffmpeg's decode, {jpeg.Length} bytes, answered in {latencyMs} ms");
        Assert.That(psnr, Is.GreaterThanOrEqualTo(38));
        Assert.That(age, Is.LessThanOrEqualTo(1));
        Assert.That(latencyMs, Is.LessThan(1000));
    }

    [Test, Order(2)]
    public void Wget_with_a_2_s_timeout_gets_a_snapshot_of_a_sleeping_camera_which_sleeps_again()
    {
        WaitForSourceRunning(0, TimeSpan.FromSeconds(15));
        string file = Path.Combine(_dir, "wget.jpg");
        var watch = Stopwatch.StartNew();
        // As Moonraker's timelapse fetches a frame: one try, 2 s.
        var result = ToolRun.Run("wget", new[] { "-q", "-t", "1", "-T", "2", "-O", file, _daemon.BaseUrl + "/?action=snapshot" }, TimeSpan.FromSeconds(10));
        long ms = watch.ElapsedMilliseconds;
        TestContext.Out.WriteLine($"snapshot of a sleeping camera: {ms} ms");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        var bytes = File.ReadAllBytes(file);
        Assert.That(bytes[..2], Is.EqualTo(new byte[] { 0xFF, 0xD8 }));
        Assert.That(ms, Is.LessThan(2000));
        Assert.That(Metric("fmp4streamer_source_running{stream=\"pattern\"}"), Is.EqualTo(1));
        // The camera sleeps again after its grace (1 s) once nobody asks.
        WaitForSourceRunning(0, TimeSpan.FromSeconds(5));
    }

    [Test, Order(3)]
    public void Fifty_concurrent_snapshot_requests_cost_one_encode()
    {
        WaitForSourceRunning(0, TimeSpan.FromSeconds(15));
        double encodes = Metric("fmp4streamer_picture_encodes_total{stream=\"pattern\"}");
        double shared = Metric("fmp4streamer_snapshot_shared_answers_total{stream=\"pattern\"}");
        var clients = new List<TcpClient>();
        try
        {
            for (int i = 0; i < 50; i++) clients.Add(new TcpClient("127.0.0.1", _daemon.Port));
            var request = Encoding.ASCII.GetBytes("GET /pattern/snapshot.jpg HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            foreach (var c in clients) c.GetStream().Write(request);
            var lengths = new List<int>();
            foreach (var c in clients)
            {
                c.ReceiveTimeout = 5000;
                var (head, body) = ReadResponse(c.GetStream());
                Assert.That(head, Does.StartWith("HTTP/1.1 200"));
                lengths.Add(body.Length);
            }
            Assert.That(lengths.Distinct().Count(), Is.EqualTo(1), "every request got the same picture");
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
        double encoded = Metric("fmp4streamer_picture_encodes_total{stream=\"pattern\"}") - encodes;
        double sharedAnswers = Metric("fmp4streamer_snapshot_shared_answers_total{stream=\"pattern\"}") - shared;
        TestContext.Out.WriteLine($"50 concurrent snapshots: {encoded} encode(s), {sharedAnswers} shared answers");
        Assert.That(encoded, Is.EqualTo(1));
        Assert.That(sharedAnswers, Is.EqualTo(49));
    }

    [Test, Order(4)]
    public void Ffmpeg_and_OpenCV_read_the_mjpeg_stream_at_its_rate_beside_a_client_that_stopped_reading()
    {
        // A client that asks for the stream and never reads: it must not slow anyone down.
        using var stalled = new TcpClient { ReceiveBufferSize = 4096 };
        stalled.Connect("127.0.0.1", _daemon.Port);
        stalled.GetStream().Write(Encoding.ASCII.GetBytes("GET /?action=stream HTTP/1.1\r\nHost: a\r\n\r\n"));

        var watch = Stopwatch.StartNew();
        var (result, frames) = ToolRun.FfmpegDecode(_daemon.BaseUrl + "/?action=stream", 60, TimeSpan.FromSeconds(30), "-f", "mpjpeg");
        double seconds = watch.Elapsed.TotalSeconds;
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        Assert.That(frames, Is.EqualTo(60));

        string script = Path.Combine(_dir, "opencv.py");
        File.WriteAllText(script, """
            import sys, time, cv2
            cap = cv2.VideoCapture(sys.argv[1])
            n, start = 0, time.time()
            while n < 60:
                ok, frame = cap.read()
                if not ok:
                    break
                n += 1
            print(n, frame.shape[1] if n else 0, frame.shape[0] if n else 0, round(n / (time.time() - start), 1))
            """);
        var cv = ToolRun.Run("/usr/bin/python3", new[] { script, _daemon.BaseUrl + "/?action=stream" }, TimeSpan.FromSeconds(30));
        Assert.That(cv.ExitCode, Is.EqualTo(0), cv.StdErr);
        var fields = cv.StdOut.Trim().Split(' ');
        TestContext.Out.WriteLine($"ffmpeg -f mpjpeg: 60 frames in {seconds:F1} s ({60 / seconds:F1} fps); OpenCV: {cv.StdOut.Trim()} (frames, width, height, fps)");
        Assert.That(fields[0], Is.EqualTo("60"));
        Assert.That(fields[1..3], Is.EqualTo(new[] { Width.ToString(), Height.ToString() }));
        // The stalled client held nobody back (60 pictures each), and the cap holds. The lower bound is loose: on
        // a loaded 2-core machine the picture thread shares the cores with the readers (and ffmpeg's time includes
        // waking the camera); OpenCV's rate counts from its first picture.
        Assert.That(60 / seconds, Is.InRange(MjpegFps * 0.3, MjpegFps * 1.25));
        Assert.That(double.Parse(fields[3], CultureInfo.InvariantCulture), Is.GreaterThan(MjpegFps * 0.3));
    }

    [Test, Order(5)]
    public void Chromium_shows_the_mjpeg_stream_in_an_img_at_about_mjpeg_fps()
    {
        if (!Directory.Exists(Path.Combine(BrowserPlayback.ScriptDirectory, "node_modules", "playwright-core")))
            Assert.Fail("playwright-core is not installed: run `cd tests/browser && npm ci` (make test does)");
        var r = ToolRun.Run("node", new[] { Path.Combine(BrowserPlayback.ScriptDirectory, "mjpeg.js"), _daemon.BaseUrl, "5" },
            TimeSpan.FromSeconds(60), BrowserPlayback.ScriptDirectory, "nodejs");
        string json = r.StdOut.Trim().Split('\n')[^1];
        TestContext.Out.WriteLine("<img src=\"?action=stream\"> in Chromium: " + json);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.StdOut + r.StdErr);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("width").GetInt32(), Is.EqualTo(Width));
        // Pictures read back from the strip change at about mjpeg_fps (loosely below: a loaded 2-core machine).
        Assert.That(root.GetProperty("fps").GetDouble(), Is.InRange(MjpegFps * 0.3, MjpegFps * 1.25));
    }

    [Test, Order(6)]
    public void Pictures_carry_cors_headers_and_endless_answers_say_no_proxy_buffering()
    {
        foreach (string path in new[] { "/stream.mp4", "/stream.h264", "/stream.mjpg", "/?action=stream", "/pattern/stream.mjpg" })
        {
            string head = Head("HEAD", path);
            Assert.That(head, Does.StartWith("HTTP/1.1 200"), path);
            Assert.That(head, Does.Contain("Access-Control-Allow-Origin: *"), path);
            Assert.That(head, Does.Contain("X-Accel-Buffering: no"), path);
        }
        Assert.That(Head("HEAD", "/stream.mjpg"), Does.Contain("Content-Type: multipart/x-mixed-replace;boundary=boundarydonotcross"));
        foreach (string path in new[] { "/snapshot.jpg", "/?action=snapshot", "/pattern/?action=snapshot&t=123" })
        {
            string head = Head("HEAD", path);
            Assert.That(head, Does.StartWith("HTTP/1.1 200"), path);
            Assert.That(head, Does.Contain("Content-Type: image/jpeg"), path);
            Assert.That(head, Does.Contain("Access-Control-Allow-Origin: *"), path);
            Assert.That(head, Does.Match("Content-Length: [1-9][0-9]+"), path);
        }
        // Without an action "/" stays the page, and the page links the pictures.
        byte[] page = Get("/?foo=bar", out string pageHead);
        Assert.That(pageHead, Does.Contain("Content-Type: text/html"));
        Assert.That(Encoding.UTF8.GetString(page), Does.Contain("href=\"snapshot.jpg\"").And.Contain("href=\"stream.mjpg\""));
    }

    private void WaitForSourceRunning(double value, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Metric("fmp4streamer_source_running{stream=\"pattern\"}") != value)
        {
            if (DateTime.UtcNow > until) Assert.Fail($"source_running did not become {value}: " + _daemon.Log);
            Thread.Sleep(100);
        }
    }

    private double Metric(string series)
    {
        string text = Encoding.UTF8.GetString(Get("/metrics", out _));
        foreach (string line in text.Split('\n'))
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
        Assert.Fail("no series " + series + " in\n" + text);
        return 0;
    }

    private byte[] Get(string path, out string head)
    {
        using var client = new TcpClient("127.0.0.1", _daemon.Port) { ReceiveTimeout = 10_000 };
        client.GetStream().Write(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
        var (h, body) = ReadResponse(client.GetStream());
        head = h;
        return body;
    }

    private string Head(string method, string path)
    {
        using var client = new TcpClient("127.0.0.1", _daemon.Port) { ReceiveTimeout = 10_000 };
        client.GetStream().Write(Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
        return ReadResponse(client.GetStream()).Head;
    }

    /// <summary>Head and body of a response that ends with the connection.</summary>
    private static (string Head, byte[] Body) ReadResponse(NetworkStream stream)
    {
        var all = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = stream.Read(buffer)) > 0) all.Write(buffer, 0, n);
        var bytes = all.ToArray();
        int end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.That(end, Is.GreaterThan(0), "a complete head");
        return (Encoding.ASCII.GetString(bytes, 0, end + 4), bytes[(end + 4)..]);
    }

    /// <summary>ffmpeg's decode of a JPEG as limited-range I420, as the stream's frames are decoded.</summary>
    private byte[] DecodeJpeg(string path)
    {
        string raw = path + ".yuv";
        var r = ToolRun.Run("ffmpeg", new[] { "-nostdin", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "yuv420p", "-y", raw }, TimeSpan.FromSeconds(30));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.StdErr);
        var bytes = File.ReadAllBytes(raw);
        Assert.That(bytes.Length, Is.EqualTo(Width * Height * 3 / 2));
        return bytes;
    }

    /// <summary>PSNR over all samples of two I420 frames, in dB.</summary>
    private static double Psnr(byte[] a, byte[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = a[i] - b[i];
            sum += d * d;
        }
        double mse = sum / a.Length;
        return mse == 0 ? 99 : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
