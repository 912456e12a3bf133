using System.Buffers.Binary;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// The daemon (./fmp4streamer, built by ./build.sh) on real kernel drivers, in one boot
/// (tests/vm/payloads/streamer.sh): <c>-l</c> on vivid against v4l2-ctl, controls from a config read back,
/// bad controls refused, H264 from the v4l2loopback camera decoded on the host through the port forward,
/// auto-sleep seen from the kernel (capture DQBUFs traced), recovery when the camera's feeder restarts.
/// The host side of the dialog runs once; each test then judges one part of it. The same boot, payload and
/// assertions run on arm64 too (./fmp4streamer-arm64 in Debian's arm64 kernel under qemu-system-aarch64).
/// </summary>
[Category("Vm")]
[Category("VmStreamer")]
[TestFixture(VmArch.X64)]
[TestFixture(VmArch.Arm64, Category = "VmArm64")]
public class StreamerVmTests(VmArch arch)
{
    private VmSession _vm = null!;
    private int _exitCode;
    private readonly Dictionary<string, string> _hostNotes = [];
    private DecodeResult? _firstClient;
    private DecodeResult? _afterRestart;
    private long _watcherBytes;
    private string? _watcherError;

    private string StreamUrl => $"http://127.0.0.1:{_vm.HostPort}/stream.mp4";

    [OneTimeSetUp]
    public void BootOnce()
    {
        string binary = VmRig.StreamerBinaryFor(arch);
        Assert.That(File.Exists(binary), Is.True, $"{binary} missing: build it with {VmRig.StreamerBuildCommand(arch)}");
        _vm = new VmSession(SessionName, VmRig.PayloadPath("streamer.sh"), [binary + "=fmp4streamer"], 280, arch);
        if (_vm.TryWaitFor("RIG-MARK ready-for-clients", 200) == null)
        {
            _hostNotes["dialog"] = "the daemon never listened on :8000";
        }
        else
        {
            using (var watcher = new StreamWatcher(StreamUrl))
            {
                // The first bytes prove the daemon woke the camera and answered before the guest measures.
                watcher.WaitForBytes(1, TimeSpan.FromSeconds(30));
                _vm.Signal("client-connected");
                _vm.TryWaitFor("RIG-MARK measured-active", 60);
                _firstClient = FfmpegDecode.Run(StreamUrl, 90);
                _watcherBytes = watcher.Bytes;
                _watcherError = watcher.Error;
            }
            _vm.Signal("clients-gone");
            _vm.TryWaitFor("RIG-MARK measured-sleep", 60);
            using (var during = new StreamWatcher(StreamUrl))
            {
                during.WaitForBytes(1, TimeSpan.FromSeconds(30));
                _vm.Signal("restart-feeder");
                _vm.TryWaitFor("RIG-MARK feeder-restarted", 60);
                // A new client after the camera came back, while the old one may still be connected.
                _afterRestart = FfmpegDecode.Run(StreamUrl, 90);
            }
            _vm.Signal("done");
        }
        _exitCode = _vm.WaitForExit(200);
        _vm.SaveSections(SessionName, "vivid-L", "streamer-l", "loop-L", "streamer-l-loop", "daemon-log", "daemon-nosleep-log");
        TestContext.Progress.WriteLine(
            $"{SessionName} VM: RIG-READY after {_vm.BootTime?.TotalSeconds:F1} s on the host (guest uptime " +
            $"{_vm.Console.ReadyUptime():F2} s), whole boot {_vm.Elapsed.TotalSeconds:F1} s; first client: {_firstClient}; " +
            $"after restart: {_afterRestart}");
    }

    private string SessionName => arch == VmArch.Arm64 ? "streamer-arm64" : "streamer";

    [OneTimeTearDown]
    public void PowerOff() => _vm?.Dispose();

    private SectionOutput Section(string name) => _vm.RequireSection(name);

    private string DaemonLog => _vm.Console.Section("daemon-log")?.Text ?? "(no daemon log)";

    [Test]
    public void PayloadCompletes()
    {
        Assert.That(_hostNotes, Is.Empty);
        Assert.That(_exitCode, Is.EqualTo(0), _vm.Tail());
    }

    [Test]
    public void TheGuestAndTheDaemonHaveTheFixturesArchitecture()
    {
        // e_machine (ELF header offset 18): 62 x86-64, 183 AArch64. The guest has no binfmt emulation, so a daemon
        // that answered at all ran natively there.
        byte[] header = new byte[20];
        using (FileStream f = File.OpenRead(VmRig.StreamerBinaryFor(arch))) f.ReadExactly(header);
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18)), Is.EqualTo(arch == VmArch.Arm64 ? 183 : 62));
        Assert.That(_vm.Console.Value("machine"), Is.EqualTo(arch == VmArch.Arm64 ? "aarch64" : "x86_64"));
    }

    [Test]
    public void ListsEveryVividControlAsV4l2CtlDoes()
    {
        SectionOutput ours = Section("streamer-l");
        Assert.That(ours.ExitCode, Is.EqualTo(0), ours.Text);
        Assert.That(ours.Text, Does.StartWith("Device: /dev/video0\nName: vivid\nDriver: vivid\n\nControls\n"));
        Assert.That(ours.Text, Does.EndWith("To set one, put ctrl_name = Value into /tmp/vivid.conf under the device\n"));
        List<string> diffs = ControlListingComparison.Differences(Section("vivid-L").Text, ours.Text);
        Assert.That(diffs, Is.Empty, string.Join("\n", diffs));
    }

    [Test]
    public void ListsTheLoopbackCameraControlsAsV4l2CtlDoes()
    {
        SectionOutput ours = Section("streamer-l-loop");
        Assert.That(ours.ExitCode, Is.EqualTo(0), ours.Text);
        Assert.That(ours.Text, Does.StartWith("Device: /dev/video10\nName: Rig-Loopback-H264\n"));
        List<string> diffs = ControlListingComparison.Differences(Section("loop-L").Text, ours.Text);
        Assert.That(diffs, Is.Empty, string.Join("\n", diffs));
    }

    [Test]
    public void ControlsFromTheConfigReachTheDriver()
    {
        SectionOutput listing = Section("streamer-l-controls");
        Assert.That(listing.ExitCode, Is.EqualTo(0), listing.Text);
        Assert.That(Section("controls-after").Text, Is.EqualTo(
            "brightness: 200\nboolean: 0\nmute: 1\nmenu: 4 (Menu Item 4)\ninteger_menu: 6 (13 0xd)\n" +
            "horizontal_movement: 5 (Move Right)\n"));
        // -l prints the values it applied.
        Assert.That(listing.Text, Does.Contain("\nbrightness = 200\t").And.Contain("\nmenu = Menu Item 4\t")
            .And.Contain("\ninteger_menu = 13\t").And.Contain("\nhorizontal_movement = Move Right\t"));
    }

    private static IEnumerable<TestCaseData> BadControls()
    {
        yield return new TestCaseData("bad-unknown", new[] { "no_such_control" }).SetName("UnknownControlStopsStartUp");
        yield return new TestCaseData("bad-menu", new[] { "menu", "Menu Item 2", "Menu Item 3" }).SetName("UnknownMenuItemIsRefusedListingTheItems");
        yield return new TestCaseData("bad-intmenu", new[] { "integer_menu", "13" }).SetName("UnknownIntegerMenuValueIsRefusedListingTheValues");
        yield return new TestCaseData("bad-bool", new[] { "boolean", "maybe" }).SetName("InvalidBooleanIsRefused");
        yield return new TestCaseData("bad-int", new[] { "brightness", "bright" }).SetName("InvalidIntegerIsRefused");
    }

    [TestCaseSource(nameof(BadControls))]
    public void BadControl(string section, string[] mentioned)
    {
        SectionOutput run = Section(section);
        // 124/143: `timeout` had to stop a daemon that started anyway.
        Assert.That(run.ExitCode, Is.Not.EqualTo(0).And.Not.EqualTo(124).And.Not.EqualTo(143), run.Text);
        foreach (string word in mentioned) Assert.That(run.Text, Does.Contain(word), "the message must say what is wrong");
    }

    [Test]
    public void StreamFromTheLoopbackCameraDecodesOnTheHost()
    {
        DecodeResult.AssertDecoded(_firstClient, string.Join("; ", _hostNotes.Values) + "\n" + DaemonLog);
        Assert.That(_watcherError, Is.Null, "the client that stayed connected meanwhile");
        Assert.That(_watcherBytes, Is.GreaterThan(0));
    }

    [Test]
    public void CameraSleepsUntilTheFirstClient() =>
        Assert.That(_vm.Console.Value("sleep_before_dqbufs"), Is.EqualTo("0"), "capture buffers dequeued in 2 s before any client");

    [Test]
    public void CameraStreamsWhileAClientWatches() =>
        Assert.That(int.Parse(_vm.Console.Value("active_dqbufs") ?? "-1"), Is.GreaterThanOrEqualTo(10), "capture buffers in 2 s at 30 fps");

    [Test]
    public void CameraSleepsAfterTheLastClientLeaves()
    {
        Assert.That(_vm.Console.Value("sleep_after_dqbufs"), Is.EqualTo("0"), DaemonLog);
        TestContext.Out.WriteLine($"asleep within {_vm.Console.Value("sleep_after_seconds")} s of the last client leaving");
    }

    [Test]
    public void WithoutAutoSleepStreamsWithNoClientThroughASymlinkedPath() =>
        Assert.That(int.Parse(_vm.Console.Value("nosleep_dqbufs") ?? "-1"), Is.GreaterThanOrEqualTo(10),
            _vm.Console.Section("daemon-nosleep-log")?.Text);

    [Test]
    public void RecoversWhenTheCameraFeederRestarts()
    {
        Assert.That(_vm.Console.Value("alive_after_restart"), Is.EqualTo("yes"), DaemonLog);
        Assert.That(_vm.Console.Value("alive_at_end"), Is.EqualTo("yes"), DaemonLog);
        DecodeResult.AssertDecoded(_afterRestart, DaemonLog);
    }
}
