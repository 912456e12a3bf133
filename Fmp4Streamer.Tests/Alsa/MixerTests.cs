using Fmp4Streamer.Alsa;
using Fmp4Streamer.Linux;
using static Fmp4Streamer.Linux.Native.asound;

namespace Fmp4Streamer.Tests.Alsa;

/// <summary>A sound card's mixer controls through the control interface, against a simulated card.</summary>
public class MixerTests
{
    private SimulatedControlDevice _card = null!;

    [SetUp]
    public void SetUp() => _card = SimulatedControlDevice.Dummy();

    [TearDown]
    public void TearDown() => Assert.That(_card.OpenFdCount, Is.EqualTo(0), "the control node is closed again");

    [TestCase("Capture Volume", 0u, "mixer_capture_volume")]
    [TestCase("Mic Capture Switch", 0u, "mixer_mic_capture_switch")]
    [TestCase("Mic Boost (+20dB)", 0u, "mixer_mic_boost_20db")]
    [TestCase("  PCM--Capture  ", 0u, "mixer_pcm_capture")]
    [TestCase("Mic Capture Volume", 1u, "mixer_mic_capture_volume_1")]
    public void NamesBecomeLowerCaseKeysWithOneUnderscorePerRunOfOtherCharacters(string name, uint index, string key) =>
        Assert.That(MixerNames.Key(name, index), Is.EqualTo(key));

    [Test]
    public void EnumeratesTheMixerControlsTheConfigCanSet()
    {
        using var device = MixerDevice.Open(_card, _card.Path);
        var controls = device.Enumerate();
        var keys = controls.ConvertAll(c => c.Key);
        Assert.That(keys, Is.EqualTo(new[]
        {
            "mixer_master_volume", "mixer_master_capture_switch", "mixer_synth_volume", "mixer_synth_capture_switch",
            "mixer_line_volume", "mixer_line_capture_switch", "mixer_cd_volume", "mixer_cd_capture_switch",
            "mixer_mic_volume", "mixer_mic_capture_switch", "mixer_capture_source", "mixer_mic_boost_20db", "mixer_jack_sense",
        }), "no IEC958 element, no element of another interface");
        var volume = controls[0];
        Assert.That((volume.NumId, volume.Type, volume.Minimum, volume.Maximum, volume.Step, volume.Channels),
            Is.EqualTo((1u, MixerControlType.Integer, -50L, 100L, 1L, 2)));
        Assert.That(controls[10].Items, Is.EqualTo(new[] { "Mic", "Line", "CD" }));
        Assert.That(controls[11].Step, Is.EqualTo(10));
        Assert.That(controls[12].IsWritable, Is.False);
        Assert.That((device.CardName, device.Driver), Is.EqualTo(("Dummy", "Dummy")));
    }

    [Test]
    public void ListsEachControlInTheShapeOfAV4l2Line()
    {
        _card.Element("Master Volume").Values[0] = 80;
        _card.Element("Master Volume").Values[1] = 80;
        _card.Element("Mic Volume").Values[1] = 7;
        _card.Element("Mic Capture Switch").Values[0] = _card.Element("Mic Capture Switch").Values[1] = 1;
        _card.Element("Capture Source").Values[0] = 2;
        using var device = MixerDevice.Open(_card, _card.Path);
        var output = new StringWriter();
        MixerLister.Print(output, "hw:1,0", device, device.Enumerate());
        string text = output.ToString();
        Assert.That(text, Does.StartWith("Device: /dev/snd/controlC1 (audio = hw:1,0)\nName: Dummy\nDriver: Dummy\n\nMixer controls\n" +
            "mixer_master_volume = 80\t( min: -50 max: 100 channels: 2)\n"));
        Assert.That(text, Does.Contain("\nmixer_mic_volume = 0,7\t( min: -50 max: 100 channels: 2)\n"), "channels that differ, each shown");
        Assert.That(text, Does.Contain("\nmixer_mic_capture_switch = on\t( values: off on channels: 2)\n"));
        Assert.That(text, Does.Contain("\nmixer_cd_capture_switch = off\t( values: off on channels: 2)\n"));
        Assert.That(text, Does.Contain("\nmixer_capture_source = CD\t( values: 'Mic' 'Line' 'CD')\n"));
        Assert.That(text, Does.Contain("\nmixer_mic_boost_20db = 10\t( min: 0 max: 30 step: 10)\n"));
        Assert.That(text, Does.EndWith("\nmixer_jack_sense = on\t( values: off on read-only)\n"));
    }

    [TestCase("mixer_master_volume", "75", new long[] { 75, 75 })]
    [TestCase("mixer_master_volume", "-50", new long[] { -50, -50 })]
    [TestCase("mixer_master_volume", "0%%", new long[] { -50, -50 })]
    [TestCase("mixer_master_volume", "100%%", new long[] { 100, 100 })]
    [TestCase("mixer_master_volume", "50%%", new long[] { 25, 25 })]
    [TestCase("mixer_mic_boost_20db", "66%%", new long[] { 20 })]
    [TestCase("mixer_mic_boost_20db", "99%%", new long[] { 30 })]
    [TestCase("mixer_mic_capture_switch", "yes", new long[] { 1, 1 })]
    [TestCase("mixer_mic_capture_switch", "on", new long[] { 1, 1 })]
    [TestCase("mixer_mic_capture_switch", "1", new long[] { 1, 1 })]
    [TestCase("mixer_master_capture_switch", "off", new long[] { 0, 0 })]
    [TestCase("mixer_capture_source", "Line", new long[] { 1 })]
    [TestCase("mixer_capture_source", "cd", new long[] { 2 })]
    public void SetsEveryChannel(string key, string value, long[] expected)
    {
        _card.Element("Master Capture Switch").Values[0] = _card.Element("Master Capture Switch").Values[1] = 1;
        value = value.Replace("%%", "%");
        var controls = Apply(new MixerSetting(key, value, "c.conf:4"));
        var control = controls.Find(c => c.Key == key)!;
        Assert.That(_card.Elements[(int)control.NumId - 1].Values, Is.EqualTo(expected));
        Assert.That(control.Values, Is.EqualTo(expected), "read back after the write");
    }

    [TestCase("mixer_capture_volume", "50",
        "c.conf:4: hw:1,0 (Dummy) has no mixer control 'mixer_capture_volume'; valid mixer controls: mixer_master_volume, " +
        "mixer_master_capture_switch, mixer_synth_volume, mixer_synth_capture_switch, mixer_line_volume, mixer_line_capture_switch, " +
        "mixer_cd_volume, mixer_cd_capture_switch, mixer_mic_volume, mixer_mic_capture_switch, mixer_capture_source, " +
        "mixer_mic_boost_20db, mixer_jack_sense")]
    [TestCase("mixer_master_volume", "101", "c.conf:4: mixer_master_volume = 101 is out of range; hw:1,0 (Dummy) accepts -50 to 100 or 0% to 100%")]
    [TestCase("mixer_master_volume", "loud", "c.conf:4: mixer_master_volume = loud is not an integer or a percentage; hw:1,0 (Dummy) accepts -50 to 100 or 0% to 100%")]
    [TestCase("mixer_master_volume", "120%", "c.conf:4: mixer_master_volume = 120% is not a percentage from 0% to 100%")]
    [TestCase("mixer_mic_boost_20db", "15", "c.conf:4: mixer_mic_boost_20db = 15 is out of range; hw:1,0 (Dummy) accepts 0 to 30 in steps of 10, or 0% to 100%")]
    [TestCase("mixer_mic_capture_switch", "maybe", "c.conf:4: mixer_mic_capture_switch = maybe is not a boolean; use yes, no, on, off, 1 or 0")]
    [TestCase("mixer_capture_source", "Aux", "c.conf:4: mixer_capture_source = Aux is not one of the items; valid values: 'Mic', 'Line', 'CD'")]
    [TestCase("mixer_jack_sense", "on", "c.conf:4: mixer_jack_sense = on: 'Jack Sense' of hw:1,0 (Dummy) is read-only")]
    public void ABadSettingNamesFileLineAndKeyAndNothingIsWritten(string key, string value, string message)
    {
        var e = Assert.Throws<MixerException>(() => Apply(new MixerSetting("mixer_line_volume", "5", "c.conf:3"), new MixerSetting(key, value, "c.conf:4")))!;
        Assert.That(e.Message, Is.EqualTo(message));
        Assert.That(_card.Writes, Is.EqualTo(0), "every line is checked before the first write");
    }

    [Test]
    public void AWriteTheDriverRefusesIsAWarningAndTheOthersAreStillWritten()
    {
        _card.WriteError = Tmds.Linux.LibC.EBUSY;
        _card.WriteErrorElement = "Master Volume";
        using var device = MixerDevice.Open(_card, _card.Path);
        var warnings = new List<string>();
        new MixerSettings(_card, Name(), [new MixerSetting("mixer_master_volume", "20", "c.conf:4"), new MixerSetting("mixer_mic_volume", "30", "c.conf:5")])
            .Apply(device, warnings);
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.StartWith("cannot set mixer_master_volume: SNDRV_CTL_IOCTL_ELEM_WRITE Master Volume /dev/snd/controlC1: EBUSY"));
        Assert.That(_card.Element("Mic Volume").Values, Is.EqualTo(new long[] { 30, 30 }));
    }

    [Test]
    public void TheControlNodeIsTheOneOfThePcmsCard()
    {
        Assert.That(MixerDevice.ControlPathOf("/dev/snd/pcmC1D0c"), Is.EqualTo("/dev/snd/controlC1"));
        Assert.That(MixerDevice.ControlPathOf("/dev/snd/pcmC12D3c"), Is.EqualTo("/dev/snd/controlC12"));
        Assert.That(MixerDevice.ControlPathOf("/dev/video0"), Is.Null);
        var byId = AlsaDeviceName.TryParse("hw:CARD=Dummy,DEV=0", out _)!;
        string cards = Path.GetTempFileName();
        try
        {
            File.WriteAllText(cards, " 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n 3 [Dummy          ]: Dummy - Dummy\n");
            Assert.That(new MixerSettings(_card, byId, [], cards).ControlPath, Is.EqualTo("/dev/snd/controlC3"));
        }
        finally
        {
            File.Delete(cards);
        }
    }

    [Test]
    public void CheckAtStartRefusesAnUnknownKeyWhenTheCardIsThereAndWaitsWhenItIsNot()
    {
        var settings = new MixerSettings(_card, Name(), [new MixerSetting("mixer_gain", "5", "c.conf:4")]);
        Assert.That(Assert.Throws<MixerException>(settings.Check)!.Message, Does.StartWith("c.conf:4: hw:1,0 (Dummy) has no mixer control 'mixer_gain'"));
        _card.Plugged = false;
        Assert.DoesNotThrow(settings.Check);
        Assert.That(_card.Writes, Is.EqualTo(0), "the check writes nothing");
    }

    private List<MixerControl> Apply(params MixerSetting[] settings)
    {
        using var device = MixerDevice.Open(_card, _card.Path);
        var warnings = new List<string>();
        var controls = new MixerSettings(_card, Name(), settings).Apply(device, warnings);
        Assert.That(warnings, Is.Empty);
        return controls;
    }

    private static AlsaDeviceName Name() => AlsaDeviceName.TryParse("hw:1,0", out _)!;
}
