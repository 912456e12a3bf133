using System.Text;
using System.Text.Json;
using Fmp4Streamer.Alsa;
using Fmp4Streamer.Settings;
using Fmp4Streamer.Tests.Alsa;
using Fmp4Streamer.Tests.Http;

namespace Fmp4Streamer.Tests.Settings;

/// <summary>
/// The microphone's mixer controls (mixer_ keys) in controls.json and in POST controls, beside the camera's, against a
/// simulated sound card behind a real server on loopback.
/// </summary>
public class MixerSettingsHttpTests
{
    private const string Config = """
        [/dev/video0]
        audio = hw:1,0
        brightness = 100
        mixer_mic_volume = 10

        [/dev/video1]
        mixer_mic_volume = 5
        """;

    private SimulatedControlDevice _card = null!;
    private readonly List<MixerSetting> _remembered = new();
    private string? _controlPath;
    private SettingsServer _fixture = null!;

    private void Start(bool persist = true)
    {
        _fixture = new SettingsServer(Config, persist, microphone: new SettingsMicrophone
        {
            Audio = "hw:1,0", Section = "/dev/video0", Io = _card, ControlPath = () => _controlPath,
            Remember = s => _remembered.Add(s),
        });
    }

    [SetUp]
    public void SetUp()
    {
        _card = SimulatedControlDevice.Dummy();
        _card.Element("Mic Volume").Values[0] = _card.Element("Mic Volume").Values[1] = 10;
        _remembered.Clear();
        _controlPath = _card.Path;
    }

    [TearDown]
    public void TearDown()
    {
        _fixture?.Dispose();
        _fixture = null!;
        Assert.That(_card.OpenFdCount, Is.EqualTo(0), "the control node is closed after each request");
    }

    private TestResponse Post(string body)
    {
        using var client = _fixture.Server.Connect();
        var bytes = Encoding.UTF8.GetBytes(body);
        client.Send($"POST /video0/controls HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n");
        client.Send(bytes);
        return client.ReadResponse();
    }

    private JsonElement ControlsJson()
    {
        using var client = _fixture.Server.Connect();
        var response = client.Get("/video0/controls.json");
        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        return JsonDocument.Parse(response.Body).RootElement;
    }

    private static JsonElement Result(TestResponse response, int index = 0) =>
        JsonDocument.Parse(response.Body).RootElement.GetProperty("results")[index];

    private static JsonElement Microphone(JsonElement root)
    {
        var devices = root.GetProperty("devices");
        Assert.That(devices.GetArrayLength(), Is.EqualTo(2), "the camera, then its microphone");
        return devices[1];
    }

    private static JsonElement Control(JsonElement microphone, string key)
    {
        foreach (var c in microphone.GetProperty("classes")[0].GetProperty("controls").EnumerateArray())
            if (c.GetProperty("name").GetString() == key) return c;
        throw new AssertionException("no control " + key);
    }

    [Test]
    public void ControlsJsonListsTheMicrophonesMixerControlsLikeADevicesControls()
    {
        Start();
        _card.Element("Capture Source").Values[0] = 2;
        var mic = Microphone(ControlsJson());
        Assert.That(mic.GetProperty("role").GetString(), Is.EqualTo("microphone"));
        Assert.That(mic.GetProperty("path").GetString(), Is.EqualTo("/dev/snd/controlC1"));
        Assert.That(mic.GetProperty("card").GetString(), Is.EqualTo("Dummy"));
        Assert.That(mic.GetProperty("section").GetString(), Is.EqualTo("/dev/video0"));
        Assert.That(mic.TryGetProperty("error", out _), Is.False);
        var classes = mic.GetProperty("classes");
        Assert.That(classes.GetArrayLength(), Is.EqualTo(1));
        Assert.That(classes[0].GetProperty("controls").GetArrayLength(), Is.EqualTo(13), "every control -l lists, no more");

        var volume = Control(mic, "mixer_mic_volume");
        Assert.That(volume.GetProperty("key").GetString(), Is.EqualTo("mixer_mic_volume"), "the config key is what a POST names");
        Assert.That(volume.GetProperty("label").GetString(), Is.EqualTo("Mic Volume"));
        Assert.That(volume.GetProperty("type").GetString(), Is.EqualTo("integer"));
        Assert.That((volume.GetProperty("min").GetInt64(), volume.GetProperty("max").GetInt64(), volume.GetProperty("step").GetInt64()),
            Is.EqualTo((-50L, 100L, 1L)));
        Assert.That(volume.GetProperty("value").GetInt64(), Is.EqualTo(10));
        Assert.That(volume.GetProperty("channels").GetInt64(), Is.EqualTo(2));
        Assert.That(Control(mic, "mixer_mic_boost_20db").GetProperty("step").GetInt64(), Is.EqualTo(10));

        var capture = Control(mic, "mixer_mic_capture_switch");
        Assert.That(capture.GetProperty("type").GetString(), Is.EqualTo("boolean"));
        Assert.That((capture.GetProperty("min").GetInt64(), capture.GetProperty("max").GetInt64()), Is.EqualTo((0L, 1L)));

        var source = Control(mic, "mixer_capture_source");
        Assert.That(source.GetProperty("type").GetString(), Is.EqualTo("menu"));
        Assert.That(source.GetProperty("value").GetInt64(), Is.EqualTo(2), "the item's index, as a V4L2 menu's value");
        var items = source.GetProperty("menu");
        Assert.That(items.GetArrayLength(), Is.EqualTo(3));
        Assert.That((items[2].GetProperty("index").GetInt64(), items[2].GetProperty("label").GetString()), Is.EqualTo((2L, "CD")));

        var jack = Control(mic, "mixer_jack_sense");
        Assert.That(jack.GetProperty("read_only").GetBoolean(), Is.True);
        Assert.That(volume.GetProperty("read_only").GetBoolean(), Is.False);
        Assert.That(volume.GetProperty("inactive").GetBoolean(), Is.False);
    }

    [Test]
    public void APostSetsEveryChannelAnswersWithTheReadBackValueRemembersAndSaves()
    {
        Start();
        var response = Post("{\"mixer_mic_volume\": 40, \"mixer_capture_source\": \"Line\", \"mixer_mic_capture_switch\": true}");
        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        Assert.That(_card.Element("Mic Volume").Values, Is.EqualTo(new long[] { 40, 40 }));
        Assert.That(_card.Element("Capture Source").Values, Is.EqualTo(new long[] { 1 }));
        Assert.That(_card.Element("Mic Capture Switch").Values, Is.EqualTo(new long[] { 1, 1 }));
        var result = Result(response);
        Assert.That(result.GetProperty("ok").GetBoolean(), Is.True);
        Assert.That(result.GetProperty("name").GetString(), Is.EqualTo("mixer_mic_volume"));
        Assert.That(result.GetProperty("device").GetString(), Is.EqualTo("/dev/snd/controlC1"));
        Assert.That(result.GetProperty("value").GetInt64(), Is.EqualTo(40));
        Assert.That(result.GetProperty("clamped").GetBoolean(), Is.False);
        Assert.That(Result(response, 1).GetProperty("value").GetInt64(), Is.EqualTo(1));
        Assert.That(JsonDocument.Parse(response.Body).RootElement.GetProperty("saved").GetBoolean(), Is.True);
        Assert.That(File.ReadAllText(_fixture.ConfigPath), Is.EqualTo("""
            [/dev/video0]
            audio = hw:1,0
            brightness = 100
            mixer_mic_volume = 40
            mixer_capture_source = Line
            mixer_mic_capture_switch = on

            [/dev/video1]
            mixer_mic_volume = 5
            """), "replaced in its section only; new keys after the section's last line, as -l prints them");
        Assert.That(_remembered, Is.EqualTo(new[]
        {
            new MixerSetting("mixer_mic_volume", "40", "settings"),
            new MixerSetting("mixer_capture_source", "Line", "settings"),
            new MixerSetting("mixer_mic_capture_switch", "on", "settings"),
        }), "applied again at the next capture open");
    }

    [TestCase("{\"mixer_mic_volume\": 300}", "mixer_mic_volume", 100, "300", TestName = "AboveTheRangeIsClampedToTheMaximum")]
    [TestCase("{\"mixer_mic_volume\": -90}", "mixer_mic_volume", -50, "-90", TestName = "BelowTheRangeIsClampedToTheMinimum")]
    [TestCase("{\"mixer_mic_boost_20db\": 14}", "mixer_mic_boost_20db", 10, "14", TestName = "OffTheStepIsRoundedToTheNearestStep")]
    public void AValueTheControlCannotTakeIsClampedAndReported(string body, string key, long kept, string requested)
    {
        Start();
        var response = Post(body);
        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        var result = Result(response);
        Assert.That(result.GetProperty("value").GetInt64(), Is.EqualTo(kept));
        Assert.That(result.GetProperty("clamped").GetBoolean(), Is.True);
        Assert.That(result.GetProperty("requested").GetString(), Is.EqualTo(requested));
        Assert.That(File.ReadAllText(_fixture.ConfigPath), Does.Contain($"\n{key} = {kept}\n"), "the value kept is saved");
        Assert.That(_remembered, Is.EqualTo(new[] { new MixerSetting(key, kept.ToString(System.Globalization.CultureInfo.InvariantCulture), "settings") }));
    }

    [TestCase("{\"mixer_no_such_control\": 1}", "unknown control 'mixer_no_such_control'", TestName = "AnUnknownMixerKeyIsRefused")]
    [TestCase("{\"mixer_jack_sense\": \"off\"}", "'mixer_jack_sense' of /dev/snd/controlC1 (Dummy) is read-only", TestName = "AReadOnlyMixerControlIsRefused")]
    [TestCase("{\"mixer_mic_capture_switch\": \"maybe\"}", "is not a boolean", TestName = "ANonBooleanIsRefused")]
    [TestCase("{\"mixer_capture_source\": \"Radio\"}", "valid values: 'Mic', 'Line', 'CD'", TestName = "AMissingItemIsRefused")]
    [TestCase("{\"mixer_mic_volume\": \"loud\"}", "is not an integer or a percentage", TestName = "ANonNumberIsRefused")]
    public void RefusedWithAReason(string body, string reason)
    {
        Start();
        var response = Post(body);
        Assert.That(response.Status, Is.EqualTo(422), response.Text);
        var result = Result(response);
        Assert.That(result.GetProperty("ok").GetBoolean(), Is.False);
        Assert.That(result.GetProperty("error").GetString(), Does.Contain(reason));
        Assert.That(_card.Writes, Is.EqualTo(0));
        Assert.That(File.ReadAllText(_fixture.ConfigPath), Is.EqualTo(Config), "nothing saved");
        Assert.That(_remembered, Is.Empty);
    }

    [Test]
    public void AnUnpluggedCardIsRefusedAndShownWithItsReason()
    {
        Start();
        _controlPath = null;
        var response = Post("{\"mixer_mic_volume\": 40, \"brightness\": 120}");
        Assert.That(response.Status, Is.EqualTo(422), response.Text);
        Assert.That(Result(response).GetProperty("error").GetString(), Is.EqualTo("the sound card of audio = hw:1,0 is not plugged in"));
        Assert.That(Result(response, 1).GetProperty("ok").GetBoolean(), Is.True, "the camera's controls still change");
        var mic = Microphone(ControlsJson());
        Assert.That(mic.GetProperty("error").GetString(), Is.EqualTo("the sound card of audio = hw:1,0 is not plugged in"));
        Assert.That(mic.GetProperty("classes").GetArrayLength(), Is.EqualTo(0));

        _controlPath = _card.Path;
        _card.Plugged = false;
        Assert.That(Result(Post("{\"mixer_mic_volume\": 40}")).GetProperty("error").GetString(),
            Does.StartWith("the sound card of audio = hw:1,0 cannot be read: open /dev/snd/controlC1: ENOENT"));
        Assert.That(Microphone(ControlsJson()).GetProperty("error").GetString(), Does.Contain("ENOENT"));
        Assert.That(_remembered, Is.Empty);
    }

    [Test]
    public void WithoutPersistControlsTheValueIsKeptInMemoryOnly()
    {
        Start(persist: false);
        var response = Post("{\"mixer_mic_volume\": 40}");
        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        var root = JsonDocument.Parse(response.Body).RootElement;
        Assert.That(root.GetProperty("saved").GetBoolean(), Is.False);
        Assert.That(root.GetProperty("saved_reason").GetString(), Does.Contain("persist_controls = no"));
        Assert.That(File.ReadAllText(_fixture.ConfigPath), Is.EqualTo(Config));
        Assert.That(_card.Element("Mic Volume").Values, Is.EqualTo(new long[] { 40, 40 }));
        Assert.That(_remembered, Has.Count.EqualTo(1));
    }

    [Test]
    public void ACameraWithoutAnAlsaDeviceRefusesMixerKeys()
    {
        _fixture = new SettingsServer(Config);
        var response = Post("{\"mixer_mic_volume\": 40}");
        Assert.That(response.Status, Is.EqualTo(422), response.Text);
        Assert.That(Result(response).GetProperty("error").GetString(), Does.Contain("has none"));
        using var client = _fixture.Server.Connect();
        var root = JsonDocument.Parse(client.Get("/video0/controls.json").Body).RootElement;
        Assert.That(root.GetProperty("devices").GetArrayLength(), Is.EqualTo(1), "no microphone entry");
    }
}
