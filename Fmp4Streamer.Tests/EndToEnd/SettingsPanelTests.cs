using System.Text.Json;
using Fmp4Streamer.Tests.Settings;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>The page's settings panel in headless Chromium at a phone's size, against a simulated camera.</summary>
[Category("EndToEnd")]
[NonParallelizable]
public class SettingsPanelTests
{
    private static JsonElement Drive(string url, string? plan)
    {
        if (!Directory.Exists(Path.Combine(BrowserPlayback.ScriptDirectory, "node_modules", "playwright-core")))
            Assert.Fail("playwright-core is not installed: run `cd tests/browser && npm ci` (make test does)");
        var args = new List<string> { Path.Combine(BrowserPlayback.ScriptDirectory, "settings.js"), url };
        if (plan is not null) args.Add(plan);
        var r = ToolRun.Run("node", args, TimeSpan.FromSeconds(60), BrowserPlayback.ScriptDirectory, "nodejs");
        string json = r.StdOut.Trim().Split('\n')[^1];
        if (!json.StartsWith('{')) Assert.Fail($"settings.js printed no report (exit {r.ExitCode}):\n{r.StdOut}\n{r.StdErr}");
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    [Test]
    public void ThePanelChangesTheCameraLive()
    {
        using var fixture = new SettingsServer("[/dev/video0]\nbrightness = 100\n");
        string url = $"http://127.0.0.1:{fixture.Server.Port}/video0/";
        var report = Drive(url, """{"slider":"brightness","value":200,"switch":"white_balance_automatic","menu":"power_line_frequency","item":"Disabled","button":"do_white_balance"}""");
        Assert.That(report.GetProperty("ok").GetBoolean(), Is.True, report.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("sliders").GetInt32(), Is.GreaterThanOrEqualTo(4), "integers are sliders");
            Assert.That(report.GetProperty("switches").GetInt32(), Is.EqualTo(1), "the boolean is a switch");
            Assert.That(report.GetProperty("menus").GetInt32(), Is.GreaterThanOrEqualTo(3), "menus and the integer menu are lists");
            Assert.That(report.GetProperty("buttons").GetInt32(), Is.GreaterThanOrEqualTo(1));
            Assert.That(report.GetProperty("headings")[0].GetString(), Is.EqualTo("User Controls"), "grouped by class");
            Assert.That(report.GetProperty("panelWidth").GetDouble(), Is.LessThanOrEqualTo(390), "fits a phone's screen");
            Assert.That(fixture.Camera.Control("Brightness").Value, Is.EqualTo(200));
            Assert.That(fixture.Camera.Control("White Balance, Automatic").Value, Is.EqualTo(0), "the switch was on");
            Assert.That(fixture.Camera.Control("Power Line Frequency").Value, Is.EqualTo(0));
            Assert.That(fixture.Camera.Control("Do White Balance").Writes, Is.EqualTo(1));
            Assert.That(File.ReadAllText(fixture.ConfigPath), Does.Contain("brightness = 200").And.Contain("power_line_frequency = Disabled"));
        });
    }

    [Test]
    public void TheButtonStaysHiddenForAClientThatMayNotChangeSettings()
    {
        using var fixture = new SettingsServer("[/dev/video0]\n");
        fixture.Server.LoopThread.Invoke(() => fixture.Server.Server.MayChangeSettings = Deny);
        var report = Drive($"http://127.0.0.1:{fixture.Server.Port}/video0/", null);
        Assert.That(report.GetProperty("buttonShown").GetBoolean(), Is.False, report.ToString());
    }

    private static bool Deny(Fmp4Streamer.Http.HttpConnection connection, out string? user)
    {
        user = null;
        return false;
    }
}
