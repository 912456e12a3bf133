using Fmp4Streamer.Cli;
using Fmp4Streamer.Config;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Tests.V4L2.Simulated;

namespace Fmp4Streamer.Tests.Alsa;

/// <summary>-l with audio = hw:...: the sound card's block after the stream's V4L2 devices, its mixer keys applied first.</summary>
[NonParallelizable]
public class MixerListingTests
{
    private const string Footer = "To set one, put ctrl_name = Value into c.conf under the device\n";

    private SimulatedV4l2Driver _camera = null!;
    private SimulatedControlDevice _card = null!;
    private TextWriter _previousLog = null!;
    private StringWriter _log = null!;

    [SetUp]
    public void SetUp()
    {
        _camera = new SimulatedV4l2Driver("/dev/video0");
        _card = SimulatedControlDevice.Dummy();
        _previousLog = Log.Output;
        _log = new StringWriter();
        Log.Output = _log;
    }

    [TearDown]
    public void TearDown()
    {
        Log.Output = _previousLog;
        _camera.Dispose();
    }

    private (int Code, string Output) List(string text)
    {
        var output = new StringWriter();
        int code = ControlListing.Print(ConfigLoader.Parse(text, "c.conf"), "c.conf", new SimulatedLinuxIo(_camera, _card), output);
        return (code, output.ToString());
    }

    [Test]
    public void TheCardFollowsTheCameraWithTheSectionsMixerKeysApplied()
    {
        var (code, output) = List("[/dev/video0]\naudio = hw:1,0\nmixer_mic_volume = 75%%\nmixer_capture_source = Line\n");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), _log.ToString());
        Assert.That(output, Does.StartWith("Device: /dev/video0\n"));
        int card = output.IndexOf("\n\nDevice: /dev/snd/controlC1 (audio = hw:1,0)\nName: Dummy\nDriver: Dummy\n\nMixer controls\n", StringComparison.Ordinal);
        Assert.That(card, Is.GreaterThan(0), output);
        Assert.That(output[card..], Does.Contain("\nmixer_mic_volume = 63\t( min: -50 max: 100 channels: 2)\n"));
        Assert.That(output[card..], Does.Contain("\nmixer_capture_source = Line\t( values: 'Mic' 'Line' 'CD')\n"));
        Assert.That(output, Does.EndWith("read-only)\n\n" + Footer), "one empty line, then the footer once");
        Assert.That(_card.Element("Mic Volume").Values, Is.EqualTo(new long[] { 63, 63 }));
        Assert.That(_card.OpenFdCount + _camera.OpenFdCount, Is.EqualTo(0));
    }

    [Test]
    public void ACameraWithoutAudioListsAsBefore()
    {
        var (code, output) = List("[/dev/video0]\n");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output, Does.Not.Contain("Mixer controls"));
        Assert.That(_card.Opens, Is.EqualTo(0));
    }

    [Test]
    public void ATestPatternWithAnAlsaDeviceListsItsCard()
    {
        var (code, output) = List("[t]\ntest_pattern = yes\naudio = /dev/snd/pcmC1D0c\n");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), _log.ToString());
        Assert.That(output, Does.StartWith("Device: /dev/snd/controlC1 (audio = /dev/snd/pcmC1D0c)\n"));
    }

    [Test]
    public void AnUnknownMixerKeyFailsAsABadControlDoes()
    {
        var (code, _) = List("[/dev/video0]\naudio = hw:1,0\nmixer_capture_volume = 50\n");
        Assert.That(code, Is.EqualTo(ExitCodes.Device));
        Assert.That(_log.ToString(), Does.Contain("c.conf:3: hw:1,0 (Dummy) has no mixer control 'mixer_capture_volume'; valid mixer controls: mixer_master_volume"));
    }

    [Test]
    public void AMissingCardIsAnError()
    {
        _card.Plugged = false;
        var (code, _) = List("[/dev/video0]\naudio = hw:1,0\n");
        Assert.That(code, Is.EqualTo(ExitCodes.Device));
        Assert.That(_log.ToString(), Does.Contain("open /dev/snd/controlC1: ENOENT"));
    }
}
