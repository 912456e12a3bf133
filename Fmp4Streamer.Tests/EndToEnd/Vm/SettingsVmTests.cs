using System.Text;
using System.Text.Json;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// The settings panel on a real driver, in one boot (tests/vm/payloads/settings.sh): the daemon in the guest serves
/// vivid as a pictures-only YUYV camera; headless Chromium on the host opens the page through the port forward and,
/// as a user, moves the brightness slider, flips the "boolean" switch and picks a "menu" item. The guest reads the values back with v4l2-ctl, its
/// config file comes back with only those lines changed, and after vivid is reset to its defaults a restarted daemon
/// sets the saved values again.
/// </summary>
[Category("Vm")]
[Category("VmStreamer")]
public class SettingsVmTests
{
    private const string Plan = """{"slider":"brightness","value":200,"switch":"boolean","menu":"menu","item":"Menu Item 1"}""";

    private VmSession _vm = null!;
    private int _exitCode;
    private JsonElement? _browser;
    private string? _browserOutput;
    private string? _before;
    private string? _after;

    [OneTimeSetUp]
    public void BootOnce()
    {
        Assert.That(File.Exists(VmRig.StreamerBinary), Is.True, $"{VmRig.StreamerBinary} missing: build it with ./build.sh");
        if (!Directory.Exists(Path.Combine(BrowserPlayback.ScriptDirectory, "node_modules", "playwright-core")))
            Assert.Fail("playwright-core is not installed: run `cd tests/browser && npm ci` (make test does)");
        _vm = new VmSession("settings", VmRig.PayloadPath("settings.sh"), [VmRig.StreamerBinary], 200);
        if (_vm.TryWaitFor("RIG-MARK ready-for-browser", 120) != null)
        {
            var r = ToolRun.Run("node", [Path.Combine(BrowserPlayback.ScriptDirectory, "settings.js"), $"http://127.0.0.1:{_vm.HostPort}/", Plan],
                TimeSpan.FromSeconds(90), BrowserPlayback.ScriptDirectory, "nodejs");
            _browserOutput = $"exit {r.ExitCode}\n{r.StdOut}\n{r.StdErr}";
            string last = r.StdOut.Trim().Split('\n')[^1];
            if (last.StartsWith('{')) _browser = JsonDocument.Parse(last).RootElement.Clone();
            _vm.Signal("changed");
            if (_vm.TryWaitFor("RIG-MARK published settings-after.conf", 60) != null)
                _after = Encoding.UTF8.GetString(_vm.Fetch("settings-after.conf"));
            _before = Encoding.UTF8.GetString(_vm.Fetch("settings-before.conf"));
            if (_vm.TryWaitFor("RIG-MARK fetch-files", 90) != null) _vm.Signal("fetched");
        }
        _exitCode = _vm.WaitForExit(120);
        _vm.SaveSections("settings", "daemon-log", "daemon-restart-log");
        TestContext.Progress.WriteLine($"settings VM: {_vm.Elapsed.TotalSeconds:F1} s; browser: {_browser?.ToString() ?? _browserOutput}");
    }

    [OneTimeTearDown]
    public void PowerOff() => _vm?.Dispose();

    private string DaemonLog => _vm.Console.Section("daemon-log")?.Text ?? "(no daemon log)";

    /// <summary>`v4l2-ctl -C a,b` output ("brightness: 200", "menu: 3 (Menu Item 3)") as name → value.</summary>
    private Dictionary<string, string> Controls(string section)
    {
        var s = _vm.RequireSection(section);
        Assert.That(s.ExitCode, Is.Zero, s.Text);
        var values = new Dictionary<string, string>();
        foreach (string line in s.Text.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon > 0) values[line[..colon].Trim()] = line[(colon + 1)..].Trim().Split(' ')[0];
        }
        return values;
    }

    private static readonly Dictionary<string, string> Configured = new() { ["brightness"] = "100", ["boolean"] = "1", ["menu"] = "3", ["contrast"] = "90" };
    private static readonly Dictionary<string, string> Changed = new() { ["brightness"] = "200", ["boolean"] = "0", ["menu"] = "1", ["contrast"] = "90" };

    [Test]
    public void PayloadCompletesWithTheDaemonAlive()
    {
        Assert.That(_exitCode, Is.EqualTo(0), _vm.Tail());
        Assert.That(_vm.Console.Value("alive_after_panel"), Is.EqualTo("yes"), DaemonLog);
        Assert.That(_vm.Console.Value("alive_after_restart"), Is.EqualTo("yes"), _vm.Console.Section("daemon-restart-log")?.Text);
    }

    [Test]
    public void TheDaemonSetsTheConfigsValuesAtStart() =>
        Assert.That(Controls("controls-at-start"), Is.EquivalentTo(Configured), DaemonLog);

    [Test]
    public void TheBrowserDroveThePanelWithoutErrors()
    {
        Assert.That(_browser, Is.Not.Null, _browserOutput);
        var b = _browser!.Value;
        Assert.That(b.GetProperty("ok").GetBoolean(), Is.True, b.ToString());
        Assert.That(b.GetProperty("buttonShown").GetBoolean(), Is.True, "the host (10.0.2.2 in the guest, auth_exempt) may change settings: " + b);
        Assert.That(b.GetProperty("headings").EnumerateArray().Select(h => h.GetString()), Does.Contain("User Controls"), b.ToString());
        // Every answer from the real driver: taken, and the one value clamped nowhere.
        foreach (var answer in b.GetProperty("answers").EnumerateArray())
            foreach (var result in answer.GetProperty("results").EnumerateArray())
                Assert.That(result.GetProperty("ok").GetBoolean(), Is.True, answer.ToString());
        Assert.That(b.GetProperty("sliderShown").GetString(), Is.EqualTo("200"));
    }

    [Test]
    public void V4l2CtlReadsThePanelsValuesFromTheDevice() =>
        Assert.That(Controls("controls-after-panel"), Is.EquivalentTo(Changed), _browserOutput + "\n" + DaemonLog);

    [Test]
    public void TheConfigFileChangedOnlyInTheChangedLines()
    {
        Assert.That(_before, Is.Not.Null.And.Contains("brightness = 100"));
        Assert.That(_after, Is.Not.Null, _vm.Tail());
        string[] before = _before!.Split('\n');
        string[] after = _after!.Split('\n');
        Assert.That(after, Has.Length.EqualTo(before.Length), _after);
        var differing = new List<string>();
        for (int i = 0; i < before.Length; i++)
            if (before[i] != after[i]) differing.Add(before[i] + " -> " + after[i]);
        Assert.That(differing, Is.EquivalentTo(new[]
        {
            "brightness = 100 -> brightness = 200",
            "boolean = yes -> boolean = 0",
            "menu = Menu Item 3 -> menu = Menu Item 1",
        }), _after);
    }

    [Test]
    public void ARestartedDaemonSetsTheSavedValuesAgain()
    {
        Assert.That(Controls("controls-reset"), Is.EquivalentTo(new Dictionary<string, string>
            { ["brightness"] = "128", ["boolean"] = "1", ["menu"] = "3", ["contrast"] = "128" }), "vivid's defaults before the restart");
        Assert.That(Controls("controls-after-restart"), Is.EquivalentTo(Changed), _vm.Console.Section("daemon-restart-log")?.Text);
    }
}
