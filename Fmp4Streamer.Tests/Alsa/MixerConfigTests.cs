using Fmp4Streamer.Config;
using System.Linq;

namespace Fmp4Streamer.Tests.Alsa;

/// <summary>mixer_* keys in the config: apart from the V4L2 controls, only beside an ALSA audio device.</summary>
public class MixerConfigTests
{
    [Test]
    public void MixerKeysAreKeptApartFromTheCamerasControls()
    {
        var source = ConfigLoader.Parse("[/dev/video0]\naudio = hw:1,0\nbrightness = 100\nmixer_capture_volume = 80%%\nmixer_capture_switch = on\n", "c.conf").Sources[0];
        Assert.That(source.Controls.Select(e => e.Key), Is.EqualTo(new[] { "brightness" }));
        Assert.That(source.Mixer.Select(e => $"{e.Key}={e.Value}@{e.Location}"),
            Is.EqualTo(new[] { "mixer_capture_volume=80%@c.conf:4", "mixer_capture_switch=on@c.conf:5" }));
    }

    [Test]
    public void ATestPatternOrCommandSectionWithAnAlsaDeviceTakesMixerKeys()
    {
        var config = ConfigLoader.Parse(
            "[t]\ntest_pattern = yes\naudio = hw:1,0\nmixer_mic_volume = 5\n\n[c]\ncommand = cat\naudio = hw:2,0\nmixer_capture_switch = off\n", "c.conf");
        Assert.That(config.Sources[0].Mixer.Select(e => e.Key), Is.EqualTo(new[] { "mixer_mic_volume" }));
        Assert.That(config.Sources[1].Mixer.Select(e => e.Key), Is.EqualTo(new[] { "mixer_capture_switch" }));
    }

    [Test]
    public void DefaultMixerKeysApplyToSectionsWithAudioOnly()
    {
        var config = ConfigLoader.Parse(
            "[DEFAULT]\nmixer_capture_volume = 50\n\n[/dev/video0]\naudio = hw:1,0\nmixer_capture_volume = 70\n\n[/dev/video1]\n", "c.conf");
        Assert.That(config.Sources[0].Mixer.Select(e => e.Value), Is.EqualTo(new[] { "70" }), "the section's own line wins");
        Assert.That(config.Sources[1].Mixer, Is.Empty);
        Assert.That(config.Sources[1].Controls, Is.Empty, "not taken for a V4L2 control either");
    }

    [Test]
    public void AReloadWithOnlyMixerLinesChangedKeepsTheCameraRunning()
    {
        var a = ConfigLoader.Parse("[/dev/video0]\naudio = hw:1,0\nmixer_capture_volume = 50\n", "c.conf").Sources[0];
        var b = ConfigLoader.Parse("[/dev/video0]\naudio = hw:1,0\nmixer_capture_volume = 60\n", "c.conf").Sources[0];
        Assert.That(ConfigReloader.SameStart(a, b), Is.True);
    }
}
