using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>The built binary's answers to a user's mistakes: a clear message and the documented exit code.</summary>
[Category("EndToEnd")]
public class BinaryCliTests
{
    private static ToolResult RunWithConfig(string config, params string[] args)
    {
        string dir = Directory.CreateTempSubdirectory("fmp4streamer-cli-").FullName;
        File.WriteAllText(Path.Combine(dir, "fmp4streamer.conf"), config);
        var all = new List<string> { "-c", Path.Combine(dir, "fmp4streamer.conf") };
        all.AddRange(args);
        try { return ToolRun.Run(Repository.Binary, all, TimeSpan.FromSeconds(20), dir); }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Test]
    public void ABadPortNamesFileLineAndKey()
    {
        var r = RunWithConfig("[server]\nport = abc\n");
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.StdErr, Does.Match(@"fmp4streamer\.conf:2: port: 'abc'"));
    }

    [Test]
    public void AnImpossibleTestPatternSizeIsAConfigurationError()
    {
        var r = RunWithConfig("[pattern]\ntest_pattern = yes\nwidth = 100\nheight = 50\n", "--port", FreePort.Next().ToString());
        Assert.That(r.ExitCode, Is.EqualTo(2), r.StdErr);
        Assert.That(r.StdErr, Does.Contain("fmp4streamer.conf:3: width:"));
    }

    [Test]
    public void AMissingCameraIsWaitedForWhileTheServerAnswers()
    {
        string config = "[/dev/video-that-does-not-exist]\nwidth = 640\nheight = 480\n";
        using var daemon = DaemonProcess.Start(config);
        using var http = new HttpClient();
        var page = http.GetStringAsync(daemon.BaseUrl + "/").Result;
        Assert.That(page, Does.Contain("<video"));
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
        Assert.That(daemon.Log, Does.Contain("video-that-does-not-exist"));
    }

    [Test]
    public void VersionAndHelp()
    {
        var version = ToolRun.Run(Repository.Binary, new[] { "--version" }, TimeSpan.FromSeconds(10));
        Assert.That((version.ExitCode, version.StdOut.Trim()), Is.EqualTo((0, "fmp4streamer 1.0.0")));
        var help = ToolRun.Run(Repository.Binary, new[] { "--help" }, TimeSpan.FromSeconds(10));
        Assert.That(help.ExitCode, Is.EqualTo(0));
        Assert.That(help.StdOut, Does.Contain("--list-controls").And.Contain("--test-pattern").And.Contain("--config"));
    }
}
