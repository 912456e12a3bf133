using Fmp4Streamer.Http.Settings;
using Fmp4Streamer.Settings;
using Fmp4Streamer.Tests.V4L2.Simulated;
using Fmp4Streamer.Tests.V4L2.Uvc;
using Fmp4Streamer.V4L2;
using Fmp4Streamer.V4L2.Uvc;

namespace Fmp4Streamer.Tests.Settings;

/// <summary>
/// uvcx_ keys in controls.json and in a settings request: the Logitech LED through its extension unit live; the H.264
/// unit's configuration committed and read back through the probe while the camera is not streaming, kept for the next
/// start while it is.
/// </summary>
public class ExtensionUnitSettingsTests
{
    private FakeSysfs _sysfs = null!;
    private SimulatedUvcDriver _uvc = null!;
    private CameraSettings _settings = null!;
    private string _dir = null!;
    private string _config = null!;
    private readonly List<ControlSetting> _remembered = new();
    private VideoDevice? _live;

    [SetUp]
    public void SetUp()
    {
        _remembered.Clear();
        _live = null;
        _sysfs = new FakeSysfs(FakeSysfs.C920());
        _uvc = new SimulatedUvcDriver(new SimulatedV4l2Driver(FakeSysfs.ByIdPath));
        _uvc.AddH264Unit();
        _uvc.AddLedUnit();
        _dir = Directory.CreateTempSubdirectory("xu-settings").FullName;
        _config = Path.Combine(_dir, "c.conf");
        File.WriteAllText(_config, $"[{FakeSysfs.ByIdPath}]\nwidth = 1280\n");
        var device = new SettingsDevice
        {
            Role = "camera", Path = FakeSysfs.ByIdPath, Section = FakeSysfs.ByIdPath, PerContext = false, SysfsRoot = _sysfs.Root,
            Live = () => _live, Remember = s => ControlSettingList.Remember(_remembered, s), Remembered = () => _remembered,
        };
        _settings = new CameraSettings("c920", _uvc, [device], new SettingsFile(_config));
    }

    [TearDown]
    public void TearDown()
    {
        _live?.Dispose();
        _uvc.Dispose();
        _sysfs.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private (bool All, string Json) Apply(string key, string value)
    {
        var json = new JsonWriter().BeginObject();
        bool all = _settings.Apply([new SettingChange(key, value)], "127.0.0.1", json, out var save);
        // The server writes it on the saver's thread; here, at once.
        if (save is not null) Assert.That(save.Write(), Is.Null, "saved");
        return (all, json.EndObject().ToString());
    }

    [Test]
    public void TheLedIsSetThroughTheExtensionUnitAndSaved()
    {
        var (all, json) = Apply("uvcx_logitech_led1_mode", "Blink");
        Assert.That(all, Is.True, json);
        Assert.That(_uvc.Control(SimulatedUvcDriver.LedUnit, LogitechLedExtension.Led1Selector).Cur[1], Is.EqualTo(2));
        Assert.That(File.ReadAllText(_config), Does.EndWith("uvcx_logitech_led1_mode = Blink\n"));
        Assert.That(_remembered, Has.Count.EqualTo(1));
    }

    [Test]
    public void AnUnknownLedValueIsRefused()
    {
        var (all, json) = Apply("uvcx_logitech_led1_mode", "Disco");
        Assert.That(all, Is.False);
        Assert.That(json, Does.Contain("is not a menu item"));
    }

    private SimXuControl Commit => _uvc.Control(SimulatedUvcDriver.H264Unit, UvcH264Extension.VideoConfigCommit);

    [Test]
    public void AnIdleCameraCommitsTheH264SettingAndReadsItBack()
    {
        var (all, json) = Apply("uvcx_h264_bitrate", "5000000");
        Assert.That(all, Is.True, json);
        Assert.That(Commit.Sets, Has.Count.EqualTo(1), "one COMMIT SET_CUR");
        var committed = SimulatedUvcDriver.Parse(Commit.Sets[0]);
        Assert.That(committed.dwBitRate, Is.EqualTo(5_000_000));
        Assert.That(committed.bmHints & UvcH264Extension.HintBitrate, Is.Not.Zero, "the bitrate's bmHints bit");
        Assert.That(committed.wIFramePeriod, Is.EqualTo(1000), "the rest of the current configuration kept");
        Assert.That(json, Does.Contain("\"value\":5000000").And.Contain("\"live\":true").And.Contain("\"clamped\":false"));
        Assert.That(_uvc.Inner.IoctlLog, Does.Contain("UVC GET_CUR 12/1"), "read back through the probe");
        Assert.That(File.ReadAllText(_config), Does.EndWith("uvcx_h264_bitrate = 5000000\n"));
        Assert.That(_remembered, Has.One.Matches<ControlSetting>(r => r.Key == "uvcx_h264_bitrate" && r.Value == "5000000"));
    }

    [Test]
    public void TheValueTheCameraKeptIsTheAnswer()
    {
        // A camera rounding the bitrate to 64 kbit/s: the probe reads back what it uses.
        Commit.OnSet = bytes =>
        {
            var c = SimulatedUvcDriver.Parse(bytes);
            c.dwBitRate = c.dwBitRate / 64000 * 64000;
            var kept = UvcxVideoConfig.AsBytes(ref c).ToArray();
            _uvc.Control(SimulatedUvcDriver.H264Unit, UvcH264Extension.VideoConfigProbe).Cur = kept;
            return kept;
        };
        var (all, json) = Apply("uvcx_h264_bitrate", "1000000");
        Assert.That(all, Is.True, json);
        Assert.That(json, Does.Contain("\"value\":960000").And.Contain("\"clamped\":true").And.Contain("\"requested\":\"1000000\""));
        Assert.That(File.ReadAllText(_config), Does.EndWith("uvcx_h264_bitrate = 960000\n"));
    }

    [Test]
    public void AnIntegerOutOfTheProbesRangeIsClamped()
    {
        var (all, json) = Apply("uvcx_h264_bitrate", "50000000");
        Assert.That(all, Is.True, json);
        Assert.That(SimulatedUvcDriver.Parse(Commit.Sets[0]).dwBitRate, Is.EqualTo(20_000_000), "GET_MAX");
        Assert.That(json, Does.Contain("\"value\":20000000").And.Contain("\"clamped\":true"));
    }

    [TestCase("Main", TestName = "by label")]
    [TestCase("19712", TestName = "by the unit's value")]
    public void AMenuTakesItsLabelOrValue(string value)
    {
        var (all, json) = Apply("uvcx_h264_profile", value);
        Assert.That(all, Is.True, json);
        Assert.That(SimulatedUvcDriver.Parse(Commit.Sets[0]).wProfile, Is.EqualTo(0x4D00));
        Assert.That(File.ReadAllText(_config), Does.EndWith("uvcx_h264_profile = Main\n"));
    }

    [TestCase("uvcx_h264_profile", "Ultra", "is not a menu item")]
    [TestCase("uvcx_h264_bitrate", "fast", "is not an integer")]
    [TestCase("uvcx_h264_width", "1280", "part of the stream's format")]
    [TestCase("uvcx_h264_stream_mux", "H264", "part of the stream's format")]
    [TestCase("uvcx_h264_nonsense", "1", "unknown control")]
    public void BadRequestsAreRefusedWithoutTouchingTheUnit(string key, string value, string why)
    {
        var (all, json) = Apply(key, value);
        Assert.That(all, Is.False);
        Assert.That(json, Does.Contain(why));
        Assert.That(Commit.Sets, Is.Empty);
        Assert.That(File.ReadAllText(_config), Does.Not.Contain("uvcx"));
    }

    [Test]
    public void ACommitTheCameraRefusesIsReportedAndNotSaved()
    {
        Commit.Fail[Fmp4Streamer.Linux.Native.uvcvideo.UVC_SET_CUR] = Tmds.Linux.LibC.EPIPE;
        var (all, json) = Apply("uvcx_h264_i_frame_period", "2000");
        Assert.That(all, Is.False);
        Assert.That(json, Does.Contain("H.264 extension unit refused uvcx_h264_i_frame_period = 2000: EPIPE"));
        Assert.That(File.ReadAllText(_config), Does.Not.Contain("uvcx"));
        Assert.That(_remembered, Is.Empty);
    }

    [Test]
    public void WhileStreamingTheSettingWaitsForTheNextStart()
    {
        _live = VideoDevice.Open(_uvc, FakeSysfs.ByIdPath);
        var (all, json) = Apply("uvcx_h264_i_frame_period", "2000");
        Assert.That(all, Is.True, json);
        Assert.That(Commit.Sets, Is.Empty, "no commit under a running stream");
        Assert.That(json, Does.Contain("\"live\":false").And.Contain("next starts"));
        Assert.That(_remembered, Has.One.Matches<ControlSetting>(r => r.Key == "uvcx_h264_i_frame_period" && r.Value == "2000"),
            "committed at the next start");
        Assert.That(File.ReadAllText(_config), Does.EndWith("uvcx_h264_i_frame_period = 2000\n"));
    }

    [Test]
    public void ControlsJsonListsBothUnitsAsClassesOfTheirOwn()
    {
        Apply("uvcx_h264_bitrate", "4000000");
        var json = new JsonWriter().BeginObject();
        _settings.WriteControls(json);
        using var doc = System.Text.Json.JsonDocument.Parse(json.EndObject().ToString());
        var classes = doc.RootElement.GetProperty("devices")[0].GetProperty("classes").EnumerateArray().ToList();
        var h264 = classes.Single(c => c.GetProperty("name").GetString() == ExtensionUnitDescriptions.H264Class);
        var led = classes.Single(c => c.GetProperty("name").GetString() == ExtensionUnitDescriptions.LedClass);
        var bitrate = h264.GetProperty("controls").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "uvcx_h264_bitrate");
        Assert.That(bitrate.GetProperty("type").GetString(), Is.EqualTo("integer"));
        Assert.That(bitrate.GetProperty("value").GetInt64(), Is.EqualTo(4_000_000), "the probe's GET_CUR after the commit");
        Assert.That(bitrate.GetProperty("min").GetInt64(), Is.EqualTo(64_000));
        Assert.That(bitrate.GetProperty("max").GetInt64(), Is.EqualTo(20_000_000));
        Assert.That(bitrate.GetProperty("default").GetInt64(), Is.EqualTo(3_000_000));
        Assert.That(bitrate.GetProperty("needs_restart").GetBoolean(), Is.True);
        var profile = h264.GetProperty("controls").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "uvcx_h264_profile");
        Assert.That(profile.GetProperty("value").GetInt64(), Is.EqualTo(0x6400));
        Assert.That(profile.GetProperty("menu").EnumerateArray().Select(m => m.GetProperty("label").GetString()),
            Is.EqualTo(new[] { "Constrained", "Baseline", "Main", "High" }));
        var width = h264.GetProperty("controls").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "uvcx_h264_width");
        Assert.That(width.GetProperty("read_only").GetBoolean(), Is.True);
        var mode = led.GetProperty("controls").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "uvcx_logitech_led1_mode");
        Assert.That(mode.GetProperty("value").GetInt64(), Is.EqualTo(3), "Auto, from GET_CUR");
        Assert.That(mode.GetProperty("needs_restart").GetBoolean(), Is.False);
    }
}
