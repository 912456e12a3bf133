using System.Globalization;
using Fmp4Streamer.Settings;
using Fmp4Streamer.V4L2.Uvc;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// The daemon on the real uvcvideo driver, in one boot (tests/vm/payloads/uvc.sh): an emulated USB camera (usb_f_uvc,
/// patched for a bulk streaming endpoint, on dummy_hcd; uvcgadget answers its class requests) with one MJPG format,
/// camera terminal and processing unit controls, and no H.264 extension unit. -l against v4l2-ctl; controls from a
/// config cross the USB bus (SET_CUR seen by the device, GET_CUR read back); an unknown control refused; the
/// extension unit search on the device's real sysfs descriptors; the daemon while the camera sends no frame, then
/// /stream.mp4 decoded on the host once frames carry H264 in APP4 segments (capture_format = MJPGH264). Then the same
/// camera with a UVC H.264 extension unit: found in the descriptors, read and configured through uvcvideo's
/// UVCIOC_CTRL_QUERY (muxing H.264 into MJPG, a bitrate from the config), asked for IDRs, and its stream decoded.
/// </summary>
[Category("Vm")]
[Category("VmStreamer")]
public class UvcGadgetVmTests
{
    private const string ProcessingUnitControls = "1b 04"; // brightness, contrast, saturation, sharpness; power line frequency

    private VmSession _vm = null!;
    private int _exitCode;
    private DecodeResult? _client;
    private DecodeResult? _xuClient;
    private string? _hostNote;
    private string? _xuHostNote;
    private string? _xuControlsBefore;
    private string? _xuPostAnswer;
    private string? _xuControlsAfter;

    /// <summary>
    /// While the camera is idle (auto_sleep, no client yet): controls.json, POST uvcx_h264_bitrate, controls.json again.
    /// The daemon commits the change to the unit and reads it back through the probe; the next start commits it again.
    /// </summary>
    private void ChangeTheBitrateThroughPost()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        string base_ = $"http://127.0.0.1:{_vm.HostPort}/";
        try
        {
            _xuControlsBefore = http.GetStringAsync(base_ + "controls.json").Result;
            using var body = new StringContent("""{"uvcx_h264_bitrate": 5000000}""", System.Text.Encoding.UTF8, "application/json");
            using var answer = http.PostAsync(base_ + "controls", body).Result;
            _xuPostAnswer = $"{(int)answer.StatusCode} {answer.Content.ReadAsStringAsync().Result}";
            _xuControlsAfter = http.GetStringAsync(base_ + "controls.json").Result;
        }
        catch (AggregateException e)
        {
            _xuHostNote = "settings requests failed: " + e.InnerException?.Message;
        }
    }

    /// <summary>The value of one extension unit control in a controls.json document.</summary>
    private static long? XuValue(string? controlsJson, string key)
    {
        if (controlsJson is null) return null;
        using var doc = System.Text.Json.JsonDocument.Parse(controlsJson);
        foreach (var device in doc.RootElement.GetProperty("devices").EnumerateArray())
            foreach (var cls in device.GetProperty("classes").EnumerateArray())
            {
                if (cls.GetProperty("name").GetString() != ExtensionUnitDescriptions.H264Class) continue;
                foreach (var c in cls.GetProperty("controls").EnumerateArray())
                    if (c.GetProperty("key").GetString() == key) return c.GetProperty("value").GetInt64();
            }
        return null;
    }

    [OneTimeSetUp]
    public void BootOnce()
    {
        Assert.That(File.Exists(VmRig.StreamerBinary), Is.True, $"{VmRig.StreamerBinary} missing: build it with ./build.sh");
        _vm = new VmSession("uvc", VmRig.PayloadPath("uvc.sh"), [VmRig.StreamerBinary, UvcGadgetRig.Module], 180);
        if (_vm.TryWaitFor("RIG-MARK ready-for-clients", 150) == null)
        {
            _hostNote = "the daemon never listened on :8000";
        }
        else
        {
            _client = FfmpegDecode.Run($"http://127.0.0.1:{_vm.HostPort}/stream.mp4", 90);
            _vm.Signal("done");
            if (_vm.TryWaitFor("RIG-MARK ready-for-xu-client", 90) == null)
            {
                _xuHostNote = "the daemon on the camera with the extension unit never listened on :8000";
            }
            else
            {
                ChangeTheBitrateThroughPost();
                // A first client starts the camera (auto_sleep); the decoding one joins the running stream, for
                // which the daemon asks the unit for an IDR.
                using (var first = new StreamWatcher($"http://127.0.0.1:{_vm.HostPort}/stream.mp4"))
                {
                    if (!first.WaitForBytes(20_000, TimeSpan.FromSeconds(30))) _xuHostNote = "the first client got no stream: " + first.Error;
                    _xuClient = FfmpegDecode.Run($"http://127.0.0.1:{_vm.HostPort}/stream.mp4", 90);
                }
                _vm.Signal("xu-done");
            }
        }
        _exitCode = _vm.WaitForExit(120);
        _vm.SaveSections("uvc", "uvc-L", "streamer-l-uvc", "uvc-descriptors", "daemon-log", "gadget-log",
            "uvc-xu-descriptors", "streamer-l-uvc-xu", "daemon-xu-log", "gadget-xu-log", "uvc-xu-conf-after", "uvc-dmesg");
        TestContext.Progress.WriteLine($"UVC gadget VM: {_vm.Elapsed.TotalSeconds:F1} s; client: {_client}; through the H.264 unit: {_xuClient}");
    }

    [OneTimeTearDown]
    public void PowerOff() => _vm?.Dispose();

    private SectionOutput Section(string name) => _vm.RequireSection(name);

    private string DaemonLog => _vm.Console.Section("daemon-log")?.Text ?? "(no daemon log)";

    private string Node => _vm.Console.Value("uvc_node") ?? "(no node)";

    private string XuDaemonLog => _vm.Console.Section("daemon-xu-log")?.Text ?? "(no daemon log)";

    [Test]
    public void PayloadCompletesWithTheDaemonAlive()
    {
        Assert.That(_hostNote, Is.Null, DaemonLog);
        Assert.That(_exitCode, Is.EqualTo(0), _vm.Tail());
        Assert.That(_vm.Console.Value("alive_at_end"), Is.EqualTo("yes"), DaemonLog);
        Assert.That(_vm.Console.Value("daemon_exit"), Is.EqualTo("0"), DaemonLog);
    }

    [Test]
    public void TheNodeIsDrivenByUvcvideoOverTheEmulatedBus()
    {
        Assert.That(_vm.Console.Value("uvc_driver"), Is.EqualTo("uvcvideo"));
        string info = Section("uvc-D").Text;
        Assert.That(info, Does.Contain("Driver name      : uvcvideo"));
        Assert.That(info, Does.Contain("Bus info         : usb-dummy_hcd.0-1"));
        Assert.That(Section("uvc-formats").Text, Does.Contain("'MJPG'").And.Contain("640x480").And.Not.Contain("H264"));
    }

    [Test]
    public void ListsTheCameraControlsAsV4l2CtlDoes()
    {
        SectionOutput ours = Section("streamer-l-uvc");
        Assert.That(ours.ExitCode, Is.EqualTo(0), ours.Text);
        Assert.That(ours.Text, Does.StartWith($"Device: {Node}\nName: Rig-UVC-Camera: UVC Camera\nDriver: uvcvideo\n\nControls\n"));
        // What uvcvideo made of the descriptors and the device's answers: the controls the patch enables, a menu with
        // a hole (auto_exposure offers modes 1 and 3, from GET_RES) and an inactive control.
        string v4l2 = Section("uvc-L").Text;
        foreach (string name in new[] { "brightness", "contrast", "saturation", "sharpness", "power_line_frequency", "auto_exposure", "exposure_time_absolute" })
            Assert.That(v4l2, Does.Contain($" {name} 0x"), name);
        Assert.That(v4l2, Does.Contain("min=-64 max=64"));
        Assert.That(v4l2, Does.Contain("flags=inactive"));
        List<string> diffs = ControlListingComparison.Differences(v4l2, ours.Text);
        Assert.That(diffs, Is.Empty, string.Join("\n", diffs));
    }

    [Test]
    public void ControlsFromTheConfigCrossTheUsbBus()
    {
        SectionOutput listing = Section("streamer-l-uvc-controls");
        Assert.That(listing.ExitCode, Is.EqualTo(0), listing.Text);
        Assert.That(listing.Text, Does.Contain("\nbrightness = -23\t").And.Contain("\npower_line_frequency = 60 Hz\t")
            .And.Contain("\nauto_exposure = Manual Mode\t"));
        // GET_CUR answered by the device from the state the daemon's SET_CUR left there.
        Assert.That(Section("uvc-controls-after").Text,
            Is.EqualTo("brightness: -23\npower_line_frequency: 2\nauto_exposure: 1 (Manual Mode)\n"));
        string gadget = Section("gadget-log").Text;
        Assert.That(gadget, Does.Contain("SET_CUR brightness = -23\n").And.Contain("SET_CUR power line frequency = 2\n")
            .And.Contain("SET_CUR auto-exposure mode = 1\n"));
        Assert.That(gadget, Does.Contain(" 0 stalled,"), "every class request uvcvideo sent was answered");
    }

    [Test]
    public void UnknownControlFailsNamingItAndTheValidOnes()
    {
        SectionOutput run = Section("uvc-bad-unknown");
        // 124/143: `timeout` had to stop a daemon that started anyway.
        Assert.That(run.ExitCode, Is.Not.EqualTo(0).And.Not.EqualTo(124).And.Not.EqualTo(143), run.Text);
        Assert.That(run.Text, Does.Contain("no_such_control"));
        Assert.That(run.Text, Does.Contain("valid controls: brightness, contrast, saturation, power_line_frequency, sharpness, auto_exposure, exposure_time_absolute"));
    }

    [Test]
    public void ExtensionUnitSearchReadsTheRealSysfsDescriptors()
    {
        byte[] descriptors = ParseHex(Section("uvc-descriptors").Text);
        // The emulated camera's: a processing unit descriptor with the patched bmControls, and no extension unit.
        Assert.That(ProcessingUnitBmControls(descriptors), Is.EqualTo(ProcessingUnitControls));
        Assert.That(UvcUnitFinder.FromDescriptors(descriptors), Is.EqualTo(UvcUnitIds.None));
        // The daemon read the same file (sysfs reports its largest size, not what a read returns) and concluded so.
        foreach (string section in new[] { "streamer-l-uvc", "daemon-log" })
            Assert.That(Section(section).Text, Does.Not.Contain("failed to read the UVC extension unit ids"), section);
        Assert.That(DaemonLog, Does.Contain($"{Node}: capture_format = MJPGH264, but the camera has no UVC H.264 extension unit"));
    }

    [Test]
    public void DaemonWarnsWhileTheCameraSendsNoFrameAndKeepsRetrying()
    {
        Assert.That(_vm.Console.Value("alive_without_frames"), Is.EqualTo("yes"), DaemonLog);
        Assert.That(DaemonLog, Does.Contain($"{Node} delivered no frame for").And.Contain("restarting it"));
        Assert.That(DaemonLog, Does.Contain("streaming again"), "frames after the camera resumed");
        // Every restart is a new probe/commit on the device; it answered them all.
        Assert.That(Section("gadget-log").Text, Does.Match(@"frames resumed after ([2-9]|\d{2,}) commits"));
    }

    [Test]
    public void StreamDecodesOnTheHost()
    {
        DecodeResult.AssertDecoded(_client, _hostNote + "\n" + DaemonLog);
        Assert.That(DaemonLog, Does.Contain("stream: 640x480"));
    }

    [Test]
    public void TheH264ExtensionUnitIsFoundInTheRealSysfsDescriptors()
    {
        byte[] descriptors = ParseHex(Section("uvc-xu-descriptors").Text);
        Assert.That(UvcUnitFinder.FromDescriptors(descriptors), Is.EqualTo(new UvcUnitIds(4, 0)));
        Assert.That(XuDaemonLog, Does.Not.Contain("extension unit ids").And.Not.Contain("no UVC H.264 extension unit")
            .And.Not.Contain("does not answer").And.Not.Contain("refused"));
    }

    [Test]
    public void ListsTheExtensionUnitSettingsTheDeviceReports()
    {
        SectionOutput listing = Section("streamer-l-uvc-xu");
        Assert.That(listing.ExitCode, Is.EqualTo(0), listing.Text);
        // The probe's GET_DEF/MIN/MAX through UVCIOC_CTRL_QUERY, and the config's bitrate as committed and read back.
        Assert.That(listing.Text, Does.Contain("\nuvcx_h264_bitrate = 2000000\t( default: 3000000 min: 100000 max: 20000000)\n"));
        Assert.That(listing.Text, Does.Contain("\nuvcx_h264_width = 640\t( default: 640 min: 640 max: 640)\n"));
        Assert.That(listing.Text, Does.Contain("\nuvcx_h264_profile = Constrained\t"));
        Assert.That(listing.Text, Does.Contain("\nexposure_time_absolute = "), "the V4L2 controls are still listed");
    }

    [Test]
    public void DaemonConfiguresTheExtensionUnitToMuxH264AndAsksForAnIdr()
    {
        string gadget = Section("gadget-xu-log").Text;
        // bmHints: resolution and bitrate; bStreamMuxOption: enabled | H.264 (forced by capture_format = MJPGH264).
        Assert.That(gadget, Does.Contain("XU VIDEO_CONFIG_COMMIT SET_CUR bmHints=0x2001 640x480 bitrate=2000000 profile=0x4240 i_frame_period=1000 mux=0x03\n"));
        Assert.That(gadget, Does.Contain("XU PICTURE_TYPE_CONTROL SET_CUR wPicType=1 (IDR)\n"), XuDaemonLog);
        Assert.That(gadget, Does.Contain(" 0 stalled,"), "every class request uvcvideo sent was answered");
        Assert.That(_vm.Console.Value("xu_alive_at_end"), Is.EqualTo("yes"), XuDaemonLog);
        Assert.That(_vm.Console.Value("xu_daemon_exit"), Is.EqualTo("0"), XuDaemonLog);
    }

    [Test]
    public void AnExtensionUnitSettingChangedThroughPostReachesTheDeviceAndReadsBack()
    {
        Assert.That(_xuHostNote, Is.Null, XuDaemonLog);
        // GET_CUR of the probe through uvcvideo: what -l committed from the config, then what the POST committed.
        Assert.That(XuValue(_xuControlsBefore, "uvcx_h264_bitrate"), Is.EqualTo(2_000_000), _xuControlsBefore);
        Assert.That(_xuPostAnswer, Does.StartWith("200 ").And.Contain("\"ok\":true").And.Contain("\"value\":5000000")
            .And.Contain("\"live\":true").And.Contain("\"clamped\":false").And.Contain("\"saved\":true"), _xuPostAnswer + "\n" + XuDaemonLog);
        Assert.That(XuValue(_xuControlsAfter, "uvcx_h264_bitrate"), Is.EqualTo(5_000_000), _xuControlsAfter);
        string gadget = Section("gadget-xu-log").Text;
        Assert.That(gadget, Does.Match(@"XU VIDEO_CONFIG_COMMIT SET_CUR bmHints=0x[0-9a-f]{4} 640x480 bitrate=5000000 "), "the POST's commit");
        // Remembered: the stream the client started committed the new bitrate with the forced mux.
        Assert.That(gadget, Does.Contain("XU VIDEO_CONFIG_COMMIT SET_CUR bmHints=0x2001 640x480 bitrate=5000000 profile=0x4240 i_frame_period=1000 mux=0x03\n"));
        Assert.That(XuDaemonLog, Does.Contain("uvcx_h264_bitrate = 5000000 on"), "the change is logged");
        string config = Section("uvc-xu-conf-after").Text;
        Assert.That(config, Does.Contain("\nuvcx_h264_bitrate = 5000000\n").And.Not.Contain("2000000"), "saved in place");
    }

    [Test]
    public void StreamThroughTheExtensionUnitDecodesOnTheHost()
    {
        DecodeResult.AssertDecoded(_xuClient, _xuHostNote + "\n" + XuDaemonLog);
    }

    [Test]
    public void TheEmulatedCameraTripsNoKernelWarning()
    {
        string kernel = Section("uvc-dmesg").Text;
        Assert.That(kernel, Does.Contain("Found UVC 1.10 device Rig-UVC-Camera"));
        Assert.That(kernel, Does.Not.Contain("WARNING").And.Not.Contain("Call Trace").And.Not.Contain("BUG"));
    }

    private static byte[] ParseHex(string text)
    {
        var bytes = new List<byte>();
        foreach (string token in text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
            bytes.Add(byte.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        return [.. bytes];
    }

    // bmControls of the processing unit descriptor (UVC 1.5 3.7.2.5) of the VideoControl interface, as hex bytes.
    private static string? ProcessingUnitBmControls(byte[] d)
    {
        bool inVideoControl = false;
        for (int pos = 0; pos + 3 <= d.Length && d[pos] >= 3; pos += d[pos])
        {
            if (d[pos + 1] == 0x04 && pos + 7 <= d.Length) inVideoControl = d[pos + 5] == 0x0e && d[pos + 6] == 0x01;
            else if (inVideoControl && d[pos + 1] == 0x24 && d[pos + 2] == 0x05 && pos + 8 <= d.Length)
                return string.Join(' ', d.Skip(pos + 8).Take(d[pos + 7]).Select(b => b.ToString("x2")));
        }
        return null;
    }
}
