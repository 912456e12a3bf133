using Fmp4Streamer.Config;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Http;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Settings;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.V4L2.Simulated;
using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.Tests.Settings;

/// <summary>SIGHUP's work: controls applied live, a changed camera restarted alone, server keys taken, a broken file ignored.</summary>
[NonParallelizable]
public class ConfigReloaderTests
{
    private const string TwoPatterns = """
        [server]
        log_level = info
        cors_origin = *

        [a]
        test_pattern = yes
        width = 320
        height = 240

        [b]
        test_pattern = yes
        width = 320
        height = 240
        """;

    private EventLoop _loop = null!;
    private StringWriter _log = null!;
    private TextWriter _previousLog = null!;
    private Log.Level _previousLevel;
    private string _text = "";

    [SetUp]
    public void CaptureLog()
    {
        _loop = new EventLoop();
        _previousLog = Log.Output;
        _previousLevel = Log.Threshold;
        _log = new StringWriter();
        Log.Output = _log;
    }

    [TearDown]
    public void RestoreLog()
    {
        Log.Output = _previousLog;
        Log.Threshold = _previousLevel;
        _loop.Dispose();
    }

    private (ConfigReloader Reloader, HttpServer Server, List<StreamHub> Hubs) Start(string text, IReadOnlyList<CameraSettings?>? settings = null)
    {
        _text = text;
        var config = ConfigLoader.Parse(text, "c.conf");
        var hubs = new List<StreamHub>();
        foreach (var source in config.Sources)
        {
            IVideoSource video = source.Kind == SourceKind.Device
                ? new TestPatternSource(_loop, 320, 240, 30)
                : Streamer.CreateSource(_loop, source, probe: false);
            hubs.Add(new StreamHub(_loop, video, Streamer.HubOptions(config.Server, source)));
        }
        var server = new HttpServer(_loop, Streamer.ServerOptions(config.Server), hubs);
        settings ??= new CameraSettings?[hubs.Count];
        var reloader = new ConfigReloader(_loop, config, () => ConfigLoader.Parse(_text, "c.conf"), server, hubs, settings,
            verbose: false, _ => null);
        return (reloader, server, hubs);
    }

    [Test]
    public void AChangedSizeRestartsThatCameraAlone()
    {
        var (reloader, server, hubs) = Start(TwoPatterns);
        var a = hubs[0].Source;
        var b = hubs[1].Source;
        _text = TwoPatterns.Replace("[b]\ntest_pattern = yes\nwidth = 320", "[b]\ntest_pattern = yes\nwidth = 640");
        Assert.That(reloader.Reload(), Is.True, _log.ToString());
        Assert.That(hubs[0].Source, Is.SameAs(a), "the unchanged camera keeps running");
        Assert.That(hubs[1].Source, Is.Not.SameAs(b));
        Assert.That(hubs[1].Source.Description, Does.Contain("640x240"));
        Assert.That(hubs[1].ConfiguredWidth, Is.EqualTo(640));
        Assert.That(reloader.Current.Sources[1].Width, Is.EqualTo(640));
        Assert.That(_log.ToString(), Does.Contain("1 camera(s) restarted"));
        server.Dispose();
    }

    [Test]
    public void ABrokenConfigIsLoggedWithItsLineAndChangesNothing()
    {
        var (reloader, server, hubs) = Start(TwoPatterns);
        var before = reloader.Current;
        var a = hubs[0].Source;
        _text = TwoPatterns.Replace("log_level = info", "log_level = debug") + "\nfps = fast\n";
        Assert.That(reloader.Reload(), Is.False);
        Assert.That(_log.ToString(), Does.Contain("c.conf:14: fps:").And.Contain("keeping the running configuration"));
        Assert.That(reloader.Current, Is.SameAs(before));
        Assert.That(hubs[0].Source, Is.SameAs(a));
        Assert.That(Log.Threshold, Is.EqualTo(Log.Level.Info), "not even the valid keys are taken");
        server.Dispose();
    }

    [Test]
    public void ServerKeysReadPerRequestAreTaken()
    {
        var (reloader, server, _) = Start(TwoPatterns);
        StreamerConfig? seen = null;
        reloader.Reloaded += c => seen = c;
        _text = TwoPatterns.Replace("log_level = info", "log_level = warning").Replace("cors_origin = *", "cors_origin = https://home.example")
            .Replace("[server]\n", "[server]\nmax_clients = 7\nport = 9999\n");
        Assert.That(reloader.Reload(), Is.True);
        Assert.That(Log.Threshold, Is.EqualTo(Log.Level.Warning));
        Assert.That(server.Options.CorsOrigin, Is.EqualTo("https://home.example"));
        Assert.That(System.Text.Encoding.ASCII.GetString(server.CorsHeaders), Does.Contain("https://home.example"));
        Assert.That(server.Options.MaxClients, Is.EqualTo(7));
        Assert.That(server.Options.Port, Is.EqualTo(8000), "the port stays bound");
        Assert.That(_log.ToString(), Does.Contain("port changed: that takes a restart"));
        Assert.That(seen, Is.Not.Null, "the reload hook runs (a user table is read again there)");
        server.Dispose();
    }

    [Test]
    public void AChangedControlIsAppliedLiveWithoutARestart()
    {
        const string text = "[/dev/video0]\nwidth = 320\nheight = 240\nbrightness = 100\n";
        using var camera = new SimulatedV4l2Driver("/dev/video0");
        var remembered = new List<ControlSetting>();
        var device = new SettingsDevice
        {
            Role = "camera", Path = "/dev/video0", Section = "/dev/video0", PerContext = false,
            Live = () => null, Remember = s => ControlSettingList.Remember(remembered, s), Remembered = () => remembered,
        };
        var settings = new CameraSettings("video0", camera, [device], null);
        var (reloader, server, hubs) = Start(text, [settings]);
        var source = hubs[0].Source;
        _text = text.Replace("brightness = 100", "brightness = 90\ncontrast = 500\nsensor_temperature = 3");
        Assert.That(reloader.Reload(), Is.True, _log.ToString());
        Assert.That(camera.Control("Brightness").Value, Is.EqualTo(90));
        Assert.That(camera.Control("Contrast").Value, Is.EqualTo(100), "clamped as a request would be");
        Assert.That(hubs[0].Source, Is.SameAs(source), "no restart for controls");
        Assert.That(_log.ToString(), Does.Contain("sensor_temperature: 'sensor_temperature' of /dev/video0 is read-only"));
        Assert.That(_log.ToString(), Does.Contain("2 control(s) changed"));
        server.Dispose();
    }

    [Test]
    public void ARemovedCameraKeepsRunningAndANewOneIsNotAdded()
    {
        var (reloader, server, hubs) = Start(TwoPatterns);
        _text = TwoPatterns.Replace("[b]", "[c]");
        Assert.That(reloader.Reload(), Is.True);
        Assert.That(_log.ToString(), Does.Contain("[b] was removed or renamed").And.Contain("[c] is new"));
        Assert.That(hubs, Has.Count.EqualTo(2));
        server.Dispose();
    }
}
