using Fmp4Streamer.Linux;
using Fmp4Streamer.Settings;
using Fmp4Streamer.Tests.Http;
using Fmp4Streamer.Tests.V4L2.Simulated;
using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.Tests.Settings;

/// <summary>A server on loopback whose stream "video0" has a simulated camera's controls, saved to a config file in a scratch directory.</summary>
internal sealed class SettingsServer : IDisposable
{
    private readonly string _dir;

    /// <param name="microphone">The camera's sound card, whose mixer controls join its own; none by default.</param>
    public SettingsServer(string config, bool persist = true, AtomicFileWriter? writer = null, SettingsMicrophone? microphone = null)
    {
        _dir = Directory.CreateTempSubdirectory("settings-http").FullName;
        ConfigPath = Path.Combine(_dir, "fmp4streamer.conf");
        File.WriteAllText(ConfigPath, config);
        Camera = new SimulatedV4l2Driver("/dev/video0");
        Server = new ServerFixture();
        var device = new SettingsDevice
        {
            Role = "camera", Path = "/dev/video0", Section = "/dev/video0", PerContext = false,
            Live = () => null, Remember = s => ControlSettingList.Remember(Remembered, s), Remembered = () => Remembered,
        };
        var settings = new CameraSettings("video0", Camera, [device], persist ? new SettingsFile(ConfigPath, writer) : null)
        {
            Microphone = microphone,
        };
        Server.LoopThread.Invoke(() => Server.Server.ServeSettings(0, settings));
    }

    public SimulatedV4l2Driver Camera { get; }
    public ServerFixture Server { get; }
    public string ConfigPath { get; }
    public List<ControlSetting> Remembered { get; } = new();

    public void Dispose()
    {
        Server.Dispose();
        Camera.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
