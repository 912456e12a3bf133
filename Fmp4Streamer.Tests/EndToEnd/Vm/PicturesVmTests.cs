using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// Pictures-only cameras (no encoder) on real kernel drivers, in one boot (tests/vm/payloads/pictures.sh): vivid's
/// YUYV camera, whose snapshot is compared with a frame v4l2-ctl captured of the same still pattern, and a
/// v4l2loopback MJPG camera fed JPEGs whose Huffman tables were taken out (as UVC cameras send them), passed through
/// with the standard tables put back: ffmpeg decodes every picture without a word, and nothing was encoded.
/// </summary>
[Category("Vm")]
[Category("VmStreamer")]
public class PicturesVmTests
{
    private const int Width = 640, Height = 480, MjpegParts = 40;

    private VmSession _vm = null!;
    private int _exitCode;
    private string? _hostNote;
    private string _dir = null!;
    private byte[]? _captured;
    private byte[]? _vividSnapshot;
    private byte[]? _loopSnapshot;
    private byte[]? _capturedNv12;
    private byte[]? _nv12Snapshot;
    private string? _nv12Note;
    private readonly List<byte[]> _parts = new();
    private string _metrics = "";
    private string _metricsWhileMjpeg = "";
    private readonly Dictionary<string, (string Head, byte[] Body)> _answers = new();

    [OneTimeSetUp]
    public void BootOnce()
    {
        Assert.That(File.Exists(VmRig.StreamerBinary), Is.True, $"{VmRig.StreamerBinary} missing: build it with ./build.sh");
        _dir = Directory.CreateTempSubdirectory("fmp4streamer-pictures-vm-").FullName;
        string stripped = MakeJpegsWithoutHuffmanTables();
        _vm = new VmSession("pictures", VmRig.PayloadPath("pictures.sh"), [VmRig.StreamerBinary, stripped + "=nodht.mjpg"], 180);
        if (_vm.TryWaitFor("RIG-MARK ready-for-clients", 120) == null)
        {
            _hostNote = "the daemon never listened on :8000";
        }
        else
        {
            try
            {
                _captured = _vm.Fetch("vivid.yuyv");
                _vividSnapshot = Get("/vivid/snapshot.jpg").Body;
                _loopSnapshot = Get("/loop/?action=snapshot").Body;
                ReadMjpeg("/loop/stream.mjpg", MjpegParts);
                foreach (string path in new[] { "/loop/stream.mp4", "/loop/stream.m3u8", "/loop/stream.h264", "/vivid/init.mp4", "/loop/" })
                    _answers[path] = Get(path);
                _metrics = Encoding.UTF8.GetString(Get("/metrics").Body);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                _hostNote = "host client failed: " + e.Message;
            }
            _vm.Signal("done");
            FetchNv12Phase();
        }
        _exitCode = _vm.WaitForExit(120);
        _vm.SaveSections("pictures", "daemon-log", "feeder-log", "vivid-capture", "config", "vivid-capture-nv12", "daemon-nv12-log");
        TestContext.Progress.WriteLine($"pictures VM: {_vm.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>The payload's second phase: vivid as an NV12 camera, its captured frame and the daemon's snapshot.</summary>
    private void FetchNv12Phase()
    {
        if (_vm.TryWaitFor("RIG-MARK ready-for-nv12", 90) == null)
        {
            _nv12Note = "the NV12 daemon never listened on :8000";
            return;
        }
        try
        {
            _capturedNv12 = _vm.Fetch("vivid.nv12");
            _nv12Snapshot = Get("/vivid/snapshot.jpg").Body;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            _nv12Note = "host client failed: " + e.Message;
        }
        _vm.Signal("done-nv12");
    }

    [OneTimeTearDown]
    public void PowerOff()
    {
        _vm?.Dispose();
        if (_dir is not null) Directory.Delete(_dir, recursive: true);
    }

    private string DaemonLog => _vm.Console.Section("daemon-log")?.Text ?? "(no daemon log)";

    [Test]
    public void PayloadCompletesWithTheDaemonAlive()
    {
        Assert.That(_hostNote, Is.Null, DaemonLog);
        Assert.That(_exitCode, Is.EqualTo(0), _vm.Tail());
        Assert.That(_vm.Console.Value("alive_at_end"), Is.EqualTo("yes"), DaemonLog);
        Assert.That(_vm.Console.Value("daemon_exit"), Is.EqualTo("0"), DaemonLog);
        Assert.That(DaemonLog, Does.Contain("(pictures only)"));
    }

    [Test]
    public void TheCamerasCaptureOnlyWhileAPictureIsAskedFor()
    {
        Assert.That(_vm.Console.Value("dqbufs_before_clients"), Is.EqualTo("0"), DaemonLog);
        Assert.That(_vm.Console.Value("dqbufs_after_clients"), Is.EqualTo("0"), DaemonLog);
    }

    /// <summary>ffmpeg's psnr filter, not our code, compares the snapshot with the frame v4l2-ctl captured.</summary>
    [Test]
    public void TheYuyvSnapshotIsTheCapturedPicture()
    {
        Assert.That(_vividSnapshot, Is.Not.Null.And.Length.GreaterThan(1000), DaemonLog);
        AssertSnapshotIsTheCapturedPicture(_captured, _vividSnapshot!, "yuyv422", Width * Height * 2, "vivid");
    }

    /// <summary>As the YUYV one, with vivid delivering NV12 (4:2:0, chroma interleaved) to a second daemon.</summary>
    [Test]
    public void TheNv12SnapshotIsTheCapturedPicture()
    {
        string log = _vm.Console.Section("daemon-nv12-log")?.Text ?? "(no NV12 daemon log)";
        Assert.That(_nv12Note, Is.Null, log);
        Assert.That(_nv12Snapshot, Is.Not.Null.And.Length.GreaterThan(1000), log);
        Assert.That(log, Does.Contain("(pictures only)"));
        Assert.That(_vm.Console.Value("daemon_nv12_exit"), Is.EqualTo("0"), log);
        AssertSnapshotIsTheCapturedPicture(_capturedNv12, _nv12Snapshot!, "nv12", Width * Height * 3 / 2, "vivid-nv12");
    }

    private void AssertSnapshotIsTheCapturedPicture(byte[]? capturedFrame, byte[] jpeg, string pixelFormat, int frameBytes, string name)
    {
        Assert.That(capturedFrame, Has.Length.EqualTo(frameBytes), _vm.Tail());
        Assert.That(capturedFrame!.Distinct().Count(), Is.GreaterThan(16), "the camera's picture has content");
        string captured = Path.Combine(_dir, name + ".raw"), snapshot = Path.Combine(_dir, name + ".jpg");
        File.WriteAllBytes(captured, capturedFrame!);
        File.WriteAllBytes(snapshot, jpeg);
        File.WriteAllBytes(Path.Combine(VmRig.ResultsDir, "pictures." + name + ".jpg"), jpeg);
        // The snapshot back to the camera's layout (limited range, as the camera sent it), then compared plane by plane.
        string decoded = Path.Combine(_dir, name + "-decoded.raw");
        var decode = ToolRun.Complete("ffmpeg", ["-v", "error", "-nostdin", "-y", "-i", snapshot, "-f", "rawvideo", "-pix_fmt", pixelFormat, decoded],
            TimeSpan.FromSeconds(60));
        Assert.That(decode.ExitCode, Is.Zero, decode.StdErr);
        string[] raw = ["-f", "rawvideo", "-pix_fmt", pixelFormat, "-s", $"{Width}x{Height}", "-i"];
        var psnr = ToolRun.Complete("ffmpeg", ["-hide_banner", "-nostats", .. raw, captured, .. raw, decoded, "-lavfi", "psnr", "-f", "null", "-"],
            TimeSpan.FromSeconds(60));
        Match m = Regex.Match(psnr.StdErr, @"PSNR y:([\d.]+|inf) u:([\d.]+|inf) v:([\d.]+|inf) average:([\d.]+|inf)");
        Assert.That(m.Success, Is.True, psnr.StdErr);
        TestContext.Progress.WriteLine($"{name} {pixelFormat} snapshot (quality 90) vs v4l2-ctl's frame: {m.Value}");
        double average = m.Groups[4].Value == "inf" ? 99 : double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
        Assert.That(average, Is.GreaterThanOrEqualTo(30), m.Value);
    }

    [Test]
    public void TheMjpgSnapshotHasHuffmanTablesAndDecodesWithoutAWarning()
    {
        Assert.That(_loopSnapshot, Is.Not.Null, DaemonLog);
        Assert.That(HuffmanTableSegments(_loopSnapshot!), Is.GreaterThanOrEqualTo(1), "DHT inserted");
        AssertDecodesSilently(_loopSnapshot!, "snapshot.jpg", expectedFrames: 1);
    }

    [Test]
    public void EveryMjpegPartHasHuffmanTablesAndDecodesWithoutAWarning()
    {
        Assert.That(_parts, Has.Count.EqualTo(MjpegParts), DaemonLog);
        foreach (var part in _parts) Assert.That(HuffmanTableSegments(part), Is.GreaterThanOrEqualTo(1), "DHT inserted in every part");
        var all = new MemoryStream();
        foreach (var part in _parts) all.Write(part);
        AssertDecodesSilently(all.ToArray(), "parts.mjpg", expectedFrames: MjpegParts);
    }

    [Test]
    public void PassthroughEncodesNothing()
    {
        Assert.That(Metric("fmp4streamer_picture_encodes_total{stream=\"loop\"}"), Is.EqualTo(0), _metrics);
        Assert.That(Metric("fmp4streamer_picture_passthrough_total{stream=\"loop\"}"), Is.GreaterThanOrEqualTo(MjpegParts), _metrics);
        Assert.That(Metric("fmp4streamer_camera_frames_broken_total{stream=\"loop\"}"), Is.EqualTo(0), _metrics);
        // The YUYV camera's snapshot was encoded here.
        Assert.That(Metric("fmp4streamer_picture_encodes_total{stream=\"vivid\"}"), Is.GreaterThanOrEqualTo(1), _metrics);
        Assert.That(Metric("fmp4streamer_http_route_requests_total{route=\"snapshot\"}"), Is.GreaterThanOrEqualTo(2), "?action=snapshot counts as a snapshot");
    }

    [Test]
    public void VideoUrlsOfAPicturesOnlyCameraAnswer404WithTheReason()
    {
        foreach (string path in new[] { "/loop/stream.mp4", "/loop/stream.m3u8", "/loop/stream.h264", "/vivid/init.mp4" })
        {
            Assert.That(_answers.ContainsKey(path), Is.True, _hostNote);
            var (head, body) = _answers[path];
            Assert.That(head, Does.StartWith("HTTP/1.1 404"), path);
            Assert.That(Encoding.UTF8.GetString(body), Does.Contain("serves pictures only"), path);
        }
        string page = Encoding.UTF8.GetString(_answers["/loop/"].Body);
        Assert.That(page, Does.Contain("<img id=\"stream\" src=\"stream.mjpg\""));
        Assert.That(page, Does.Not.Contain("<video"));
    }

    [Test]
    public void AnMjpegClientIsCountedAsSuchAndNotAsAProgressiveOne()
    {
        Assert.That(Metric("fmp4streamer_http_streaming_clients{kind=\"mjpeg\"}", _metricsWhileMjpeg), Is.EqualTo(1), _metricsWhileMjpeg);
        Assert.That(Metric("fmp4streamer_http_streaming_clients{kind=\"progressive\"}", _metricsWhileMjpeg), Is.EqualTo(0));
        Assert.That(Metric("fmp4streamer_mjpeg_clients{stream=\"loop\"}", _metricsWhileMjpeg), Is.EqualTo(1));
    }

    private double Metric(string series) => Metric(series, _metrics);

    private static double Metric(string series, string metrics)
    {
        foreach (string line in metrics.Split('\n'))
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
        Assert.Fail("no series " + series + " in\n" + metrics);
        return 0;
    }

    /// <summary>ffmpeg decodes every frame with -v warning printing nothing (a missing table or a broken scan would speak).</summary>
    private void AssertDecodesSilently(byte[] jpegs, string name, int expectedFrames)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, jpegs);
        var r = ToolRun.Complete("ffmpeg", ["-v", "warning", "-nostdin", "-f", "mjpeg", "-i", path, "-f", "framemd5", "-"], TimeSpan.FromSeconds(60));
        Assert.That(r.StdErr.Trim(), Is.Empty, "ffmpeg said something");
        Assert.That(r.ExitCode, Is.Zero);
        int frames = r.StdOut.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'));
        Assert.That(frames, Is.EqualTo(expectedFrames));
    }

    /// <summary>DHT segments before the scan of a JPEG.</summary>
    private static int HuffmanTableSegments(byte[] jpeg)
    {
        int count = 0;
        for (int i = 2; i + 4 <= jpeg.Length && jpeg[i] == 0xFF;)
        {
            byte marker = jpeg[i + 1];
            if (marker == 0xDA) break;
            if (marker == 0xC4) count++;
            i += 2 + (jpeg[i + 2] << 8 | jpeg[i + 3]);
        }
        return count;
    }

    /// <summary>
    /// Sixty 640x480 JPEGs of ffmpeg's moving test picture with the standard Huffman tables (so the tables a decoder
    /// assumes are the right ones), then every DHT segment taken out, as UVC cameras send them.
    /// </summary>
    private string MakeJpegsWithoutHuffmanTables()
    {
        string full = Path.Combine(_dir, "full.mjpg");
        var r = ToolRun.Complete("ffmpeg", ["-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate=30",
            "-frames:v", "60", "-huffman", "default", "-q:v", "4", "-f", "mjpeg", full], TimeSpan.FromSeconds(60));
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        byte[] stripped = JpegHuffmanStripper.Strip(File.ReadAllBytes(full), out int jpegs, out int removed);
        Assert.That((jpegs, removed >= jpegs), Is.EqualTo((60, true)), "every JPEG had its tables");
        string path = Path.Combine(_dir, "nodht.mjpg");
        File.WriteAllBytes(path, stripped);
        return path;
    }

    private (string Head, byte[] Body) Get(string path)
    {
        using var client = new TcpClient("127.0.0.1", _vm.HostPort) { ReceiveTimeout = 15_000 };
        client.GetStream().Write(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
        var all = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = client.GetStream().Read(buffer)) > 0) all.Write(buffer, 0, n);
        var bytes = all.ToArray();
        int end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0) throw new IOException($"{path}: no complete head in {bytes.Length} bytes");
        return (Encoding.ASCII.GetString(bytes, 0, end + 4), bytes[(end + 4)..]);
    }

    /// <summary>The first <paramref name="count"/> JPEGs of an MJPEG answer, read part by part by their Content-Length.</summary>
    private void ReadMjpeg(string path, int count)
    {
        using var client = new TcpClient("127.0.0.1", _vm.HostPort) { ReceiveTimeout = 15_000 };
        var stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: a\r\n\r\n"));
        var reader = new BufferedStream(stream);
        string head = ReadHead(reader);
        if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal)) throw new IOException(path + ": " + head);
        while (_parts.Count < count)
        {
            string partHead = ReadHead(reader);
            Match m = Regex.Match(partHead, @"Content-Length: (\d+)");
            if (!m.Success) throw new IOException("part without a length: " + partHead);
            var jpeg = new byte[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)];
            reader.ReadExactly(jpeg);
            _parts.Add(jpeg);
            if (_parts.Count == count / 2) _metricsWhileMjpeg = Encoding.UTF8.GetString(Get("/metrics").Body);
        }
    }

    /// <summary>Lines up to an empty one (blank lines before a part's boundary are skipped).</summary>
    private static string ReadHead(Stream s)
    {
        var text = new StringBuilder();
        var line = new StringBuilder();
        while (true)
        {
            int b = s.ReadByte();
            if (b < 0) throw new IOException("the stream ended");
            if (b != '\n')
            {
                if (b != '\r') line.Append((char)b);
                continue;
            }
            if (line.Length == 0)
            {
                if (text.Length > 0) return text.ToString();
                continue;
            }
            text.Append(line).Append('\n');
            line.Clear();
        }
    }
}
