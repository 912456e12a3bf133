using Fmp4Streamer.Http.Settings;
using Fmp4Streamer.Settings;
using Fmp4Streamer.Tests.V4L2.Simulated;
using Fmp4Streamer.Tests.V4L2.Uvc;
using Fmp4Streamer.V4L2;
using Fmp4Streamer.V4L2.Uvc;

namespace Fmp4Streamer.Tests.Settings;

/// <summary>uvcx_ keys in a settings request: the Logitech LED through its extension unit live, the H.264 unit refused.</summary>
public class ExtensionUnitSettingsTests
{
    private FakeSysfs _sysfs = null!;
    private SimulatedUvcDriver _uvc = null!;
    private CameraSettings _settings = null!;
    private string _dir = null!;
    private string _config = null!;
    private readonly List<ControlSetting> _remembered = new();

    [SetUp]
    public void SetUp()
    {
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
            Live = () => null, Remember = s => ControlSettingList.Remember(_remembered, s), Remembered = () => _remembered,
        };
        _settings = new CameraSettings("c920", _uvc, [device], new SettingsFile(_config));
    }

    [TearDown]
    public void TearDown()
    {
        _uvc.Dispose();
        _sysfs.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private (bool All, string Json) Apply(string key, string value)
    {
        var json = new JsonWriter().BeginObject();
        bool all = _settings.Apply([new SettingChange(key, value)], "127.0.0.1", json);
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

    [Test]
    public void TheH264UnitWaitsForARestart()
    {
        var (all, json) = Apply("uvcx_h264_i_frame_period", "1000");
        Assert.That(all, Is.False);
        Assert.That(json, Does.Contain("committed to the camera's H.264 unit before streaming"));
    }
}
