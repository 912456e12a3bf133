using System.Text.RegularExpressions;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// capture_format = MJPGH264 on real kernel drivers, in one boot (tests/vm/payloads/mjpgh264.sh): the v4l2loopback
/// camera offers only MJPG, each frame carrying one access unit of the test stream in APP4 segments of at most 1000
/// bytes (UVC 1.5 H.264 payload layout; key frames span several segments). The daemon, warned that the camera has
/// no UVC H.264 extension unit, takes the H264 out of the frames; the host decodes /stream.mp4.
/// </summary>
[Category("Vm")]
[Category("VmStreamer")]
public class MjpgH264VmTests
{
    private VmSession _vm = null!;
    private int _exitCode;
    private DecodeResult? _client;
    private string? _hostNote;

    [OneTimeSetUp]
    public void BootOnce()
    {
        Assert.That(File.Exists(VmRig.StreamerBinary), Is.True, $"{VmRig.StreamerBinary} missing: build it with ./build.sh");
        _vm = new VmSession("mjpgh264", VmRig.PayloadPath("mjpgh264.sh"), [VmRig.StreamerBinary], 180);
        if (_vm.TryWaitFor("RIG-MARK ready-for-clients", 120) == null)
        {
            _hostNote = "the daemon never listened on :8000";
        }
        else
        {
            _client = FfmpegDecode.Run($"http://127.0.0.1:{_vm.HostPort}/stream.mp4", 90);
            _vm.Signal("done");
        }
        _exitCode = _vm.WaitForExit(120);
        _vm.SaveSections("mjpgh264", "daemon-log", "feeder-log");
        TestContext.Progress.WriteLine($"MJPGH264 VM: {_vm.Elapsed.TotalSeconds:F1} s; client: {_client}");
    }

    [OneTimeTearDown]
    public void PowerOff() => _vm?.Dispose();

    private SectionOutput Section(string name) => _vm.RequireSection(name);

    private string DaemonLog => _vm.Console.Section("daemon-log")?.Text ?? "(no daemon log)";

    [Test]
    public void PayloadCompletesWithTheDaemonAlive()
    {
        Assert.That(_hostNote, Is.Null, DaemonLog);
        Assert.That(_exitCode, Is.EqualTo(0), _vm.Tail());
        Assert.That(_vm.Console.Value("alive_at_end"), Is.EqualTo("yes"), DaemonLog);
    }

    [Test]
    public void TheLoopbackCameraOffersOnlyMjpg()
    {
        // So whatever H264 reaches the host came out of the MJPG frames' APP4 segments.
        string formats = Section("loop-formats").Text;
        Assert.That(formats, Does.Contain("'MJPG'"));
        Assert.That(formats, Does.Not.Contain("H264"));
    }

    [Test]
    public void TheFeederSplitKeyFramesAcrossSeveralApp4Segments()
    {
        string log = Section("feeder-log").Text;
        Assert.That(log, Does.Contain("MJPG (H264 in APP4)"));
        Match m = Regex.Match(log, @"MJPG frames: (\d+) in several APP4 segments, up to (\d+) segments");
        Assert.That(m.Success, Is.True, log);
        // Every key frame of the test stream is larger than one segment: the daemon had to stitch to start a client.
        Assert.That(int.Parse(m.Groups[1].Value), Is.GreaterThan(0), log);
        Assert.That(int.Parse(m.Groups[2].Value), Is.GreaterThanOrEqualTo(2), log);
    }

    [Test]
    public void DaemonWarnsAboutTheMissingExtensionUnitAndDropsNoFrame()
    {
        string log = DaemonLog;
        Assert.That(log, Does.Contain("capture_format = MJPGH264, but the camera has no UVC H.264 extension unit"));
        Assert.That(log, Does.Not.Contain("dropping MJPG frames"));
        Assert.That(log, Does.Not.Contain("carry no H.264 payload"));
        Assert.That(log, Does.Contain("stream: 640x480"));
    }

    [Test]
    public void StreamDecodesOnTheHost()
    {
        DecodeResult.AssertDecoded(_client, _hostNote + "\n" + DaemonLog);
    }
}
