using Fmp4Streamer.Alsa;
using Fmp4Streamer.Config;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Http;
using Fmp4Streamer.Http.Settings;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Settings;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.TestSupport;
using Fmp4Streamer.Tests.V4L2.Simulated;

namespace Fmp4Streamer.Tests.Alsa;

/// <summary>When the mixer keys reach the card: checked at start, written when capture opens and again after a replug, and on reload.</summary>
[NonParallelizable]
public class MixerStartTests
{
    private ManualClock _clock = null!;
    private EventLoop _loop = null!;
    private SimulatedPcmDevice _pcm = null!;
    private SimulatedControlDevice _card = null!;
    private SimulatedLinuxIo _io = null!;
    private StringWriter _log = null!;
    private TextWriter _previousLog = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new ManualClock();
        _loop = new EventLoop(_clock);
        _pcm = new SimulatedPcmDevice(_clock);
        _card = SimulatedControlDevice.Dummy();
        // The card first: it owns the control node that both the mixer and capture's subdevice choice open.
        _io = new SimulatedLinuxIo(_card, _pcm);
        _previousLog = Log.Output;
        _log = new StringWriter();
        Log.Output = _log;
    }

    [TearDown]
    public void TearDown()
    {
        Log.Output = _previousLog;
        _loop.Dispose();
    }

    private static SourceConfig Section(string mixerLines) =>
        ConfigLoader.Parse("[/dev/video0]\naudio = hw:1,0\n" + mixerLines, "c.conf").Sources[0];

    private static AlsaDeviceName Name() => AlsaDeviceName.TryParse("hw:1,0", out _)!;

    [Test]
    public void TheSettingsAreWrittenWhenCaptureOpensAndAgainAfterAReplug()
    {
        var mixer = Streamer.CheckedMixer(_io, Name(), Section("mixer_mic_volume = 60\nmixer_mic_capture_switch = yes\n"))!;
        Assert.That(_card.Writes, Is.EqualTo(0), "the start-up check writes nothing");
        using var source = new AlsaCaptureSource(_loop, _io, Name(), 48000, 1, "/nonexistent") { Mixer = mixer };
        source.Start(new RecordingPcmSink());
        Assert.That(source.IsOpen, Is.True);
        Assert.That(_card.Element("Mic Volume").Values, Is.EqualTo(new long[] { 60, 60 }));
        Assert.That(_card.Element("Mic Capture Switch").Values, Is.EqualTo(new long[] { 1, 1 }));

        // Unplugged: the card comes back with its power-on values, and capture reopens.
        _pcm.Plugged = false;
        _card.Element("Mic Volume").Values[0] = _card.Element("Mic Volume").Values[1] = 0;
        _loop.AdvanceAndRun(_clock, 30_000, stepUs: 10_000);
        Assert.That(source.IsOpen, Is.False);
        _pcm.Plugged = true;
        _loop.AdvanceAndRun(_clock, 3_000_000, stepUs: 100_000);
        Assert.That(source.IsOpen, Is.True);
        Assert.That(_card.Element("Mic Volume").Values, Is.EqualTo(new long[] { 60, 60 }));
        Assert.That(_card.OpenFdCount, Is.EqualTo(0));
    }

    [Test]
    public void AnUnknownKeyStopsTheStartWithFileLineAndKey()
    {
        var e = Assert.Throws<SourceSetupException>(() => Streamer.CheckedMixer(_io, Name(), Section("mixer_mic_volume = 60\nmixer_capture_volume = 10\n")))!;
        Assert.That(e.Message, Does.StartWith("c.conf:4: hw:1,0 (Dummy) has no mixer control 'mixer_capture_volume'; valid mixer controls: mixer_master_volume,"));
    }

    [Test]
    public void AMissingCardIsCheckedWhenCaptureOpensIt()
    {
        _card.Plugged = false;
        var mixer = Streamer.CheckedMixer(_io, Name(), Section("mixer_capture_volume = 10\n"));
        Assert.That(mixer, Is.Not.Null);
        _card.Plugged = true;
        using var source = new AlsaCaptureSource(_loop, _io, Name(), 48000, 1, "/nonexistent") { Mixer = mixer };
        source.Start(new RecordingPcmSink());
        Assert.That(source.IsOpen, Is.True, "a mixer key the card lacks does not stop the sound");
        Assert.That(_log.ToString(), Does.Contain("c.conf:3: hw:1,0 (Dummy) has no mixer control 'mixer_capture_volume'"));
    }

    [Test]
    public void AReloadWritesTheChangedLinesNowAndTheNewSetAtTheNextOpen()
    {
        const string before = "[/dev/video0]\naudio = hw:1,0\nmixer_mic_volume = 60\nmixer_line_volume = 10\n";
        string text = before;
        var config = ConfigLoader.Parse(text, "c.conf");
        var source = new AlsaCaptureSource(_loop, _io, Name(), 48000, 1, "/nonexistent")
        {
            Mixer = Streamer.CheckedMixer(_io, Name(), config.Sources[0]),
        };
        var hub = new StreamHub(_loop, new TestPatternSource(_loop, 320, 240, 30), Streamer.HubOptions(config.Server, config.Sources[0]),
            new AudioTrack(source, Fmp4Streamer.Audio.AudioEncoders.Create(48000, 1), "video0"));
        using var server = new HttpServer(_loop, Streamer.ServerOptions(config.Server), [hub]);
        var reloader = new ConfigReloader(_loop, config, () => ConfigLoader.Parse(text, "c.conf"), server, [hub], new Fmp4Streamer.Settings.CameraSettings?[1],
            verbose: false, _ => null) { MixerIo = _io };
        source.Start(new RecordingPcmSink());
        _card.Element("Line Volume").Values[0] = _card.Element("Line Volume").Values[1] = 33; // changed by hand since the start
        int writes = _card.Writes;

        text = before.Replace("mixer_mic_volume = 60", "mixer_mic_volume = 80");
        Assert.That(reloader.Reload(), Is.True, _log.ToString());
        Assert.That(_card.Element("Mic Volume").Values, Is.EqualTo(new long[] { 80, 80 }));
        Assert.That(_card.Element("Line Volume").Values, Is.EqualTo(new long[] { 33, 33 }), "an unchanged line is not written again");
        Assert.That(_card.Writes, Is.EqualTo(writes + 1));
        Assert.That(hub.Audio!.Source, Is.SameAs(source), "the sound keeps running");
        Assert.That(_log.ToString(), Does.Contain("0 camera(s) restarted, 1 control(s) changed"));

        source.Stop();
        _card.Element("Mic Volume").Values[0] = 0;
        source.Start(new RecordingPcmSink());
        Assert.That(_card.Element("Mic Volume").Values, Is.EqualTo(new long[] { 80, 80 }), "the new set at the next open");
        source.Dispose();
    }

    [TestCase("mixer_mic_volume = 60\n", TestName = "AValueSetOverHttpReplacesTheSectionsAtTheNextOpen")]
    [TestCase("", TestName = "AValueSetOverHttpIsWrittenAtTheNextOpenWithoutMixerLines")]
    public void AValueSetOverHttpIsWrittenAgainAtTheNextOpen(string mixerLines)
    {
        var config = ConfigLoader.Parse("[/dev/video0]\naudio = hw:1,0\n" + mixerLines, "c.conf");
        using var source = new AlsaCaptureSource(_loop, _io, Name(), 48000, 1, "/nonexistent")
        {
            Mixer = Streamer.CheckedMixer(_io, Name(), config.Sources[0]),
        };
        var hub = new StreamHub(_loop, new TestPatternSource(_loop, 320, 240, 30), Streamer.HubOptions(config.Server, config.Sources[0]),
            new AudioTrack(source, Fmp4Streamer.Audio.AudioEncoders.Create(48000, 1), "video0"));
        var settings = new CameraSettings("video0", _io, [], null) { Microphone = CameraSettingsFactory.Microphone(hub, config.Sources[0], _io) };
        source.Start(new RecordingPcmSink());

        var json = new JsonWriter().BeginObject();
        bool all = settings.Apply([new SettingChange("mixer_mic_volume", "20"), new SettingChange("mixer_line_volume", "35")], "alice", json, out _);
        Assert.That(all, Is.True, json.EndObject().ToString());
        Assert.That(_card.Element("Mic Volume").Values, Is.EqualTo(new long[] { 20, 20 }), "set live");
        Assert.That(_log.ToString(), Does.Contain("alice: mixer_mic_volume = 20 on /dev/snd/controlC1 (was " + (mixerLines == "" ? "0" : "60") + ")"));

        // Unplugged and back: the card comes back with its power-on values.
        source.Stop();
        foreach (var name in new[] { "Mic Volume", "Line Volume" }) _card.Element(name).Values[0] = _card.Element(name).Values[1] = 0;
        source.Start(new RecordingPcmSink());
        Assert.That(_card.Element("Mic Volume").Values, Is.EqualTo(new long[] { 20, 20 }), "the value set over HTTP, not the section's");
        Assert.That(_card.Element("Line Volume").Values, Is.EqualTo(new long[] { 35, 35 }));
        Assert.That(source.Mixer!.Settings, Has.Count.EqualTo(2), "one setting per key");
        Assert.That(_card.OpenFdCount, Is.EqualTo(0));
    }
}
