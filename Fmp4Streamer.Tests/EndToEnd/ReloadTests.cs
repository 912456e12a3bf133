using System.Diagnostics;
using System.Text.Json;
using Fmp4Streamer.Tests.Http;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>SIGHUP against the built binary: a broken file keeps the daemon serving; a changed size restarts the camera.</summary>
[Category("EndToEnd")]
[NonParallelizable]
public class ReloadTests
{
    private const string Config = "[cam]\ntest_pattern = yes\nwidth = 320\nheight = 240\nauto_sleep = no\n";

    private static void Hangup(DaemonProcess daemon) => Assert.That(Tmds.Linux.LibC.kill(daemon.Pid, Tmds.Linux.LibC.SIGHUP), Is.EqualTo(0));

    private static void WaitForLog(DaemonProcess daemon, string text)
    {
        var sw = Stopwatch.StartNew();
        while (!daemon.Log.Contains(text, StringComparison.Ordinal))
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(10)) Assert.Fail($"no '{text}' in the log:\n{daemon.Log}");
            Thread.Sleep(20);
        }
    }

    [Test]
    public void HangupReloadsTheConfigFile()
    {
        using var daemon = DaemonProcess.Start(Config);
        string path = Path.Combine(daemon.WorkDirectory, "fmp4streamer.conf");
        WaitForLog(daemon, "stream: 320x240");

        using (var client = new TestClient(daemon.Port))
        {
            var described = client.Get("/cam/controls.json");
            Assert.That(described.Status, Is.EqualTo(200));
            var root = JsonDocument.Parse(described.Body).RootElement;
            Assert.That(root.GetProperty("devices").GetArrayLength(), Is.EqualTo(0), "the test pattern has no controls");
        }

        File.WriteAllText(path, Config + "fps = fast\n");
        Hangup(daemon);
        WaitForLog(daemon, "keeping the running configuration");
        Assert.That(daemon.Log, Does.Contain("fmp4streamer.conf:6: fps:"), "file:line of the bad value");
        using (var client = new TestClient(daemon.Port))
            Assert.That(client.Get("/cam/").Status, Is.EqualTo(200), "still serving");

        File.WriteAllText(path, Config.Replace("width = 320", "width = 640"));
        Hangup(daemon);
        WaitForLog(daemon, "1 camera(s) restarted");
        WaitForLog(daemon, "640x240");
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    [Test]
    public void AHangupReloadsEvenWhenTheDaemonWasStartedUnderNohup()
    {
        // nohup hands its program SIGHUP ignored; the daemon must still take it as "reload".
        using var daemon = DaemonProcess.StartWith("nohup", [Repository.Binary], Config);
        WaitForLog(daemon, "stream: 320x240");
        Hangup(daemon);
        WaitForLog(daemon, "reloaded");
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }
}
