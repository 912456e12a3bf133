using System.Text;
using System.Text.Json;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Tests.Http;

namespace Fmp4Streamer.Tests.Settings;

/// <summary>
/// The config file is written off the loop: while a change's write hangs at the disk flush (as on a slow SD card),
/// other clients are answered; the change's answer comes when the write is done, and says how it went.
/// </summary>
public class SettingsSaveTests
{
    private const string Config = "[/dev/video0]\nbrightness = 100\n";

    private static TestClient PostBrightness(ServerFixture server, int value)
    {
        var client = server.Connect();
        var body = Encoding.ASCII.GetBytes("{\"brightness\": " + value + "}");
        client.Send($"POST /video0/controls HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        client.Send(body);
        return client;
    }

    [Test]
    public void AHangingWriteHoldsOnlyItsOwnAnswer()
    {
        using var flushing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var writer = new AtomicFileWriter
        {
            BeforeStep = step =>
            {
                if (step != AtomicFileWriter.Step.Flush) return;
                flushing.Set();
                release.Wait(TimeSpan.FromSeconds(20));
            },
        };
        using var fixture = new SettingsServer(Config, writer: writer);
        using var changer = PostBrightness(fixture.Server, 150);
        Assert.That(flushing.Wait(TimeSpan.FromSeconds(10)), Is.True, "the write started");

        using (var other = fixture.Server.Connect())
        {
            var controls = other.Get("/video0/controls.json");
            Assert.That(controls.Status, Is.EqualTo(200), "another client is answered while the write hangs");
        }
        Assert.That(fixture.Camera.Control("Brightness").Value, Is.EqualTo(150), "applied before it is saved");
        Assert.That(File.ReadAllText(fixture.ConfigPath), Is.EqualTo(Config), "not saved yet");

        release.Set();
        var response = changer.ReadResponse();
        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        Assert.That(JsonDocument.Parse(response.Body).RootElement.GetProperty("saved").GetBoolean(), Is.True);
        Assert.That(File.ReadAllText(fixture.ConfigPath), Does.Contain("brightness = 150"), "written when answered");
    }

    [Test]
    public void AFailedWriteIsReportedInTheAnswerAndTheFileKept()
    {
        var writer = new AtomicFileWriter
        {
            BeforeStep = step => { if (step == AtomicFileWriter.Step.Rename) throw new IOException("No space left on device"); },
        };
        using var fixture = new SettingsServer(Config, writer: writer);
        using var changer = PostBrightness(fixture.Server, 150);
        var response = changer.ReadResponse();
        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        var root = JsonDocument.Parse(response.Body).RootElement;
        Assert.That(root.GetProperty("saved").GetBoolean(), Is.False);
        Assert.That(root.GetProperty("saved_reason").GetString(), Does.Contain("No space left on device"));
        Assert.That(File.ReadAllText(fixture.ConfigPath), Is.EqualTo(Config));
    }

    [Test]
    public void ChangesAreWrittenInTheOrderTheyCame()
    {
        using var fixture = new SettingsServer(Config);
        var clients = new List<TestClient>();
        for (int value = 101; value <= 110; value++) clients.Add(PostBrightness(fixture.Server, value));
        foreach (var client in clients)
        {
            Assert.That(client.ReadResponse().Status, Is.EqualTo(200));
            client.Dispose();
        }
        Assert.That(File.ReadAllText(fixture.ConfigPath), Does.Contain("brightness = 110\n").Or.EndWith("brightness = 110"));
    }
}
