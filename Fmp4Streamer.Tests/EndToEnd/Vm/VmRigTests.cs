namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// Proves the VM rig itself with v4l-utils (no daemon), in one boot (tests/vm/payloads/v4l2-tools.sh):
/// Debian's stock kernel loads vivid and v4l2loopback, v4l2-ctl lists and sets vivid's controls, and H264
/// written into the loopback camera by h264feed comes back out through MMAP streaming and decodes on the host.
/// </summary>
[Category("Vm")]
public class VmRigTests
{
    private VmSession _vm = null!;
    private int _exitCode;
    private byte[] _captured = [];

    [OneTimeSetUp]
    public void BootOnce()
    {
        _vm = new VmSession("v4l2-tools", VmRig.PayloadPath("v4l2-tools.sh"), []);
        _vm.WaitForMark("published out.h264", 180);
        _captured = _vm.Fetch("out.h264");
        _vm.Signal("fetched");
        _exitCode = _vm.WaitForExit();
        File.WriteAllBytes(Path.Combine(VmRig.ResultsDir, "v4l2-tools.out.h264"), _captured);
        foreach (string name in new[] { "vivid-l", "vivid-L" })
        {
            if (_vm.Console.Section(name) is { } s) File.WriteAllText(Path.Combine(VmRig.ResultsDir, $"v4l2-tools.{name}.txt"), s.Text);
        }
        TestContext.Progress.WriteLine(
            $"VM rig: kernel {VmRig.Setup().KernelVersion}, RIG-READY after {_vm.BootTime?.TotalSeconds:F1} s on the host " +
            $"(guest uptime {_vm.Console.ReadyUptime():F2} s), whole boot {_vm.Elapsed.TotalSeconds:F1} s");
    }

    [OneTimeTearDown]
    public void PowerOff() => _vm?.Dispose();

    private SectionOutput Section(string name) => _vm.RequireSection(name);

    [Test]
    public void PayloadCompletes()
    {
        Assert.That(_exitCode, Is.EqualTo(0), _vm.Tail());
        Assert.That(_vm.Console.Lines, Has.None.StartsWith("RIG-ERROR"));
    }

    [Test]
    public void BothDriversAreLoaded()
    {
        SectionOutput devices = Section("list-devices");
        Assert.That(devices.ExitCode, Is.EqualTo(0));
        Assert.That(devices.Text, Does.Contain("vivid (platform:vivid-000)"));
        Assert.That(devices.Text, Does.Contain("Rig-Loopback-H264 (platform:v4l2loopback-000):\n\t/dev/video10"));
    }

    [Test]
    public void VividListsEveryControlTypeWithMenus()
    {
        SectionOutput l = Section("vivid-l");
        SectionOutput menus = Section("vivid-L");
        Assert.That(l.ExitCode, Is.EqualTo(0));
        Assert.That(menus.ExitCode, Is.EqualTo(0));
        var (short_, _) = V4l2CtlListing.Parse(l.Text);
        var (full, classes) = V4l2CtlListing.Parse(menus.Text);
        Assert.That(full.Select(c => c.Name), Is.EqualTo(short_.Select(c => c.Name)), "-l and -L list the same controls");
        Assert.That(full.Select(c => c.Type).Distinct(),
            Is.SupersetOf(new[] { "int", "bool", "menu", "intmenu", "int64", "button", "str", "bitmask", "u32" }));
        Assert.That(classes, Does.Contain("User Controls").And.Contain("Vivid Controls"));
        Assert.That(full.Single(c => c.Name == "test_pattern").MenuItems, Has.Count.EqualTo(22));
    }

    [Test]
    public void LoopbackCaptureDecodesOnTheHost()
    {
        Assert.That(_vm.Console.Value("capture_rc"), Is.EqualTo("0"), Section("loopback-all").Text);
        Assert.That(Section("loopback-all").Text, Does.Contain("Pixel Format      : 'H264'"));
        byte[] fromKeyFrame = AnnexB.TrimToFirstSps(_captured);
        string path = Path.Combine(VmRig.ResultsDir, "v4l2-tools.from-idr.h264");
        File.WriteAllBytes(path, fromKeyFrame);
        DecodeResult decoded = FfmpegDecode.Run(path, 1000, "h264");
        TestContext.Out.WriteLine($"captured {_captured.Length} bytes, {fromKeyFrame.Length} from the first SPS: {decoded}");
        Assert.That(decoded.Errors, Is.Empty);
        Assert.That(decoded.ExitCode, Is.EqualTo(0));
        Assert.That(decoded.Frames, Is.GreaterThanOrEqualTo(60));
        Assert.That(decoded.AllFramesAre(640, 480), Is.True, string.Join(",", decoded.FrameSizes.Distinct()));
    }

    [Test]
    public void TracepointSeesCaptureOnlyWhileSomeoneStreams()
    {
        // rig_capture_dqbufs is how the daemon tests tell an auto-sleeping camera from a streaming one.
        Assert.That(int.Parse(_vm.Console.Value("idle_dqbufs")!), Is.EqualTo(0), "feeding alone dequeues no capture buffer");
        Assert.That(int.Parse(_vm.Console.Value("capture_dqbufs")!), Is.GreaterThanOrEqualTo(10), "30 fps for 1 s while v4l2-ctl streams");
        Assert.That(int.Parse(_vm.Console.Value("after_dqbufs")!), Is.EqualTo(0), "nothing once v4l2-ctl stopped");
    }

    [Test]
    public void ControlsOfEveryScalarTypeReadBack()
    {
        Assert.That(Section("set-controls").ExitCode, Is.EqualTo(0), Section("set-controls").Text);
        Assert.That(Section("get-controls").Text, Is.EqualTo(
            "brightness: 200\nboolean: 0\nmenu: 4 (Menu Item 4)\ninteger_menu: 6 (13 0xd)\n"));
        // vivid clamps an out-of-range integer rather than refusing it: the daemon must log what the driver used.
        Assert.That(Section("get-clamped").Text, Is.EqualTo("brightness: 255\n"));
    }
}
