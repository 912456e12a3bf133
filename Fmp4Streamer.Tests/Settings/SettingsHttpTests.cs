using System.Text;
using System.Text.Json;
using Fmp4Streamer.Http.Settings;
using Fmp4Streamer.Settings;
using Fmp4Streamer.Tests.Http;
using Fmp4Streamer.Tests.V4L2.Simulated;
using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.Tests.Settings;

/// <summary>controls.json and POST controls against a simulated camera behind a real server on loopback.</summary>
public class SettingsHttpTests
{
    private const string Config = """
        # my camera
        [server]
        port = 8000

        [/dev/video0]
        # picture
        width = 640
        brightness = 100
        """;

    private SettingsServer _fixture = null!;
    private SimulatedV4l2Driver _camera = null!;
    private ServerFixture _server = null!;
    private string _configPath = null!;
    private List<ControlSetting> _remembered = null!;

    [SetUp]
    public void Start()
    {
        _fixture = new SettingsServer(Config);
        _camera = _fixture.Camera;
        _server = _fixture.Server;
        _configPath = _fixture.ConfigPath;
        _remembered = _fixture.Remembered;
    }

    [TearDown]
    public void Stop() => _fixture.Dispose();

    private TestResponse Post(string body, string contentType = "application/json", string extra = "")
    {
        using var client = _server.Connect();
        var bytes = Encoding.UTF8.GetBytes(body);
        client.Send($"POST /video0/controls HTTP/1.1\r\nHost: test\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\n{extra}\r\n");
        client.Send(bytes);
        return client.ReadResponse();
    }

    private static JsonElement Result(TestResponse response, int index = 0) =>
        JsonDocument.Parse(response.Body).RootElement.GetProperty("results")[index];

    private static JsonElement FindControl(JsonElement root, string name)
    {
        foreach (var device in root.GetProperty("devices").EnumerateArray())
            foreach (var cls in device.GetProperty("classes").EnumerateArray())
                foreach (var c in cls.GetProperty("controls").EnumerateArray())
                    if (c.GetProperty("name").GetString() == name) return c;
        throw new AssertionException("no control " + name);
    }

    [Test]
    public void ControlsJsonDescribesEveryControlGroupedByClass()
    {
        using var client = _server.Connect();
        var response = client.Get("/video0/controls.json");
        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Header("Content-Type"), Is.EqualTo("application/json"));
        Assert.That(response.Header("Cache-Control"), Does.Contain("no-store"));
        var root = JsonDocument.Parse(response.Body).RootElement;
        Assert.That(root.GetProperty("camera").GetString(), Is.EqualTo("video0"));
        Assert.That(root.GetProperty("may_change").GetBoolean(), Is.True, "loopback may change settings");
        Assert.That(root.GetProperty("persist").GetBoolean(), Is.True);
        var device = root.GetProperty("devices")[0];
        Assert.That(device.GetProperty("path").GetString(), Is.EqualTo("/dev/video0"));
        Assert.That(device.GetProperty("card").GetString(), Is.EqualTo("Simulated Camera"));
        var classes = device.GetProperty("classes");
        Assert.That(classes[0].GetProperty("name").GetString(), Is.EqualTo("User Controls"));

        var contrast = FindControl(root, "contrast");
        Assert.That(contrast.GetProperty("type").GetString(), Is.EqualTo("integer"));
        Assert.That(contrast.GetProperty("min").GetInt64(), Is.EqualTo(0));
        Assert.That(contrast.GetProperty("max").GetInt64(), Is.EqualTo(100));
        Assert.That(contrast.GetProperty("step").GetInt64(), Is.EqualTo(5));
        Assert.That(contrast.GetProperty("default").GetInt64(), Is.EqualTo(50));
        Assert.That(contrast.GetProperty("value").GetInt64(), Is.EqualTo(55), "the current value, read from the device");
        var menu = FindControl(root, "power_line_frequency");
        Assert.That(menu.GetProperty("type").GetString(), Is.EqualTo("menu"));
        Assert.That(menu.GetProperty("menu").GetArrayLength(), Is.EqualTo(3), "the gap at index 2 is skipped");
        Assert.That(menu.GetProperty("menu")[2].GetProperty("label").GetString(), Is.EqualTo("Auto"));
        Assert.That(FindControl(root, "sensor_temperature").GetProperty("read_only").GetBoolean(), Is.True);
        Assert.That(FindControl(root, "do_white_balance").GetProperty("type").GetString(), Is.EqualTo("button"));
        Assert.That(FindControl(root, "white_balance_automatic").GetProperty("type").GetString(), Is.EqualTo("boolean"));
        Assert.That(response.Text, Does.Not.Contain("old_feature"), "disabled controls are not listed");
        Assert.That(_camera.OpenFdCount, Is.EqualTo(0), "the node opened for the request is closed");
    }

    [Test]
    public void TheFirstCameraAnswersWithoutItsName()
    {
        using var client = _server.Connect();
        Assert.That(client.Get("/controls.json").Status, Is.EqualTo(200));
    }

    [Test]
    public void AChangeIsAppliedReadBackLoggedAndSaved()
    {
        var response = Post("{\"brightness\": 120, \"power_line_frequency\": \"50 Hz\"}");
        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        Assert.That(_camera.Control("Brightness").Value, Is.EqualTo(120));
        Assert.That(_camera.Control("Power Line Frequency").Value, Is.EqualTo(1));
        var result = Result(response);
        Assert.That(result.GetProperty("ok").GetBoolean(), Is.True);
        Assert.That(result.GetProperty("value").GetInt64(), Is.EqualTo(120));
        Assert.That(result.GetProperty("clamped").GetBoolean(), Is.False);
        Assert.That(JsonDocument.Parse(response.Body).RootElement.GetProperty("saved").GetBoolean(), Is.True);
        Assert.That(File.ReadAllText(_configPath), Is.EqualTo(Config.Replace("brightness = 100", "brightness = 120") +
            "\npower_line_frequency = 50 Hz"), "replaced in place; the new key after the section's last line");
        Assert.That(_remembered, Has.Some.EqualTo(new ControlSetting("brightness", "120", "settings")), "applied again at the next open");
    }

    [Test]
    public void AValueOutOfRangeIsClampedAndReported()
    {
        var response = Post("{\"brightness\": 300}");
        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        var result = Result(response);
        Assert.That(result.GetProperty("value").GetInt64(), Is.EqualTo(255));
        Assert.That(result.GetProperty("clamped").GetBoolean(), Is.True);
        Assert.That(result.GetProperty("requested").GetString(), Is.EqualTo("300"));
        Assert.That(_camera.Control("Brightness").Value, Is.EqualTo(255));
    }

    [Test]
    public void AValueBeyond32BitsIsClampedNotWrapped()
    {
        // 2^32 + 100 would become 100 if it were cut to the ioctl's 32-bit field.
        var result = Result(Post("{\"brightness\": 4294967396}"));
        Assert.That(result.GetProperty("value").GetInt64(), Is.EqualTo(255));
        Assert.That(_camera.Control("Brightness").Value, Is.EqualTo(255));
    }

    [Test]
    public void TheDriversRoundingToTheStepIsReported()
    {
        var response = Post("{\"contrast\": 62}");
        var result = Result(response);
        Assert.That(result.GetProperty("value").GetInt64(), Is.EqualTo(_camera.Control("Contrast").Value));
        Assert.That(result.GetProperty("value").GetInt64() % 5, Is.EqualTo(0));
        Assert.That(result.GetProperty("clamped").GetBoolean(), Is.True);
    }

    [TestCase("{\"sensor_temperature\": 20}", "read-only", TestName = "ReadOnlyIsRefused")]
    [TestCase("{\"no_such_control\": 1}", "unknown control 'no_such_control'", TestName = "UnknownIsRefused")]
    [TestCase("{\"width\": 1280}", "'width' is read when the camera starts", TestName = "RestartOnlyIsRefused")]
    [TestCase("{\"port\": 9000}", "'port' is a server setting", TestName = "ServerKeyIsRefused")]
    [TestCase("{\"brightness\": \"bright\"}", "'bright' is not an integer", TestName = "ANonNumberIsRefused")]
    [TestCase("{\"power_line_frequency\": \"60 Hz\"}", "is not a menu item", TestName = "AMissingMenuItemIsRefused")]
    public void RefusedPerKeyWithAReason(string body, string reason)
    {
        string before = File.ReadAllText(_configPath);
        var response = Post(body);
        Assert.That(response.Status, Is.EqualTo(422), response.Text);
        var result = Result(response);
        Assert.That(result.GetProperty("ok").GetBoolean(), Is.False);
        Assert.That(result.GetProperty("error").GetString(), Does.Contain(reason));
        Assert.That(File.ReadAllText(_configPath), Is.EqualTo(before), "nothing saved");
    }

    [Test]
    public void AnInactiveControlIsRefused()
    {
        _camera.Control("Brightness").Flags |= Fmp4Streamer.Linux.Native.videodev2.V4L2_CTRL_FLAG_INACTIVE;
        var result = Result(Post("{\"brightness\": 10}"));
        Assert.That(result.GetProperty("error").GetString(), Does.Contain("inactive"));
        Assert.That(_camera.Control("Brightness").Value, Is.EqualTo(128));
    }

    [Test]
    public void ARefusedKeyDoesNotStopTheOthers()
    {
        var response = Post("{\"width\": 1, \"brightness\": 7}");
        Assert.That(response.Status, Is.EqualTo(422));
        Assert.That(Result(response, 0).GetProperty("ok").GetBoolean(), Is.False);
        Assert.That(Result(response, 1).GetProperty("ok").GetBoolean(), Is.True);
        Assert.That(_camera.Control("Brightness").Value, Is.EqualTo(7));
    }

    [Test]
    public void AFormIsTakenToo()
    {
        var response = Post("brightness=42&white_balance_automatic=off", "application/x-www-form-urlencoded");
        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        Assert.That(_camera.Control("Brightness").Value, Is.EqualTo(42));
        Assert.That(_camera.Control("White Balance, Automatic").Value, Is.EqualTo(0));
    }

    [Test]
    public void AButtonIsPressed()
    {
        var response = Post("{\"do_white_balance\": true}");
        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        Assert.That(_camera.Control("Do White Balance").Writes, Is.EqualTo(1));
        Assert.That(File.ReadAllText(_configPath), Does.Not.Contain("do_white_balance"), "an action, not a setting");
    }

    [TestCase("{\"brightness\": }", 400, TestName = "MalformedJson")]
    [TestCase("[1, 2]", 400, TestName = "NotAnObject")]
    [TestCase("{\"brightness\": {\"a\": 1}}", 400, TestName = "NestedValue")]
    [TestCase("{\"brightness\": 1, \"brightness\": 2}", 400, TestName = "DuplicateName")]
    [TestCase("{}", 400, TestName = "EmptyObject")]
    public void AMalformedBodyIs400(string body, int status)
    {
        var response = Post(body);
        Assert.That(response.Status, Is.EqualTo(status), response.Text);
        Assert.That(JsonDocument.Parse(response.Body).RootElement.GetProperty("error").GetString(), Is.Not.Empty);
        Assert.That(_camera.Control("Brightness").Value, Is.EqualTo(128));
    }

    [Test]
    public void AnotherContentTypeIs415()
    {
        Assert.That(Post("brightness=1", "text/plain").Status, Is.EqualTo(415));
    }

    [Test]
    public void APostWithoutContentLengthIs411()
    {
        using var client = _server.Connect();
        client.Send("POST /video0/controls HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n");
        Assert.That(client.ReadResponse().Status, Is.EqualTo(411));
    }

    [Test]
    public void ABodyOverTheLimitIs413()
    {
        using var client = _server.Connect();
        client.Send("POST /video0/controls HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n");
        Assert.That(client.ReadResponse().Status, Is.EqualTo(413));
    }

    [Test]
    public void ABodyInPiecesIsWaitedFor()
    {
        using var client = _server.Connect();
        const string body = "{\"brightness\": 99}";
        client.Send($"POST /video0/controls HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body[..5]}");
        Thread.Sleep(50);
        client.Send(body[5..] + "GET /video0/controls.json HTTP/1.1\r\nHost: test\r\n\r\n");
        Assert.That(client.ReadResponse().Status, Is.EqualTo(200));
        var pipelined = client.ReadResponse();
        Assert.That(pipelined.Status, Is.EqualTo(200), "the request after the body is parsed from the right place");
        Assert.That(FindControl(JsonDocument.Parse(pipelined.Body).RootElement, "brightness").GetProperty("value").GetInt64(), Is.EqualTo(99));
    }

    [Test]
    public void ACrossSitePostIsRefused()
    {
        var response = Post("{\"brightness\": 1}", extra: "Origin: http://evil.example\r\n");
        Assert.That(response.Status, Is.EqualTo(403));
        Assert.That(_camera.Control("Brightness").Value, Is.EqualTo(128));
        Assert.That(Post("{\"brightness\": 2}", extra: "Origin: http://test\r\n").Status, Is.EqualTo(200), "the page's own origin");
        Assert.That(Post("{\"brightness\": 3}", extra: "Origin: null\r\n").Status, Is.EqualTo(403));
    }

    [Test]
    public void TheIndividualPermissionCheckDecides()
    {
        _server.LoopThread.Invoke(() => _server.Server.MayChangeSettings = (HttpConnectionDeny));
        Assert.That(Post("{\"brightness\": 1}").Status, Is.EqualTo(403));
        using var client = _server.Connect();
        var root = JsonDocument.Parse(client.Get("/video0/controls.json").Body).RootElement;
        Assert.That(root.GetProperty("may_change").GetBoolean(), Is.False, "the panel stays hidden");
        Assert.That(_camera.Control("Brightness").Value, Is.EqualTo(128));
    }

    private static bool HttpConnectionDeny(Fmp4Streamer.Http.HttpConnection connection, out string? user)
    {
        user = null;
        return false;
    }

    [Test]
    public void GetOnThePostRouteIs405()
    {
        using var client = _server.Connect();
        var response = client.Get("/video0/controls");
        Assert.That(response.Status, Is.EqualTo(405));
        Assert.That(response.Header("Allow"), Is.EqualTo("OPTIONS, POST"));
    }
}
