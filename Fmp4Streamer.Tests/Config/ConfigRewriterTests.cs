using Fmp4Streamer.Config;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Config;

/// <summary>Values written into config text: everything but the changed values stays byte for byte.</summary>
public class ConfigRewriterTests
{
    // A real-world file: the reference's style, comments between keys, a [DEFAULT]-free camera with an encoder section.
    private const string RealWorld = """
        # fmp4streamer on the printer's Pi
        [server]
        port = 8000
        ; quiet logs
        log_level = warning

        [/dev/video0]
        # the C920
        width = 1280
        height = 720
        fps = 30
        brightness = 128
        # manual focus for the bed
        focus_automatic_continuous = 0
        focus_absolute = 30

        # the Pi's encoder
        [/dev/video11]
        h264_i_frame_period = 15

        """;

    [Test]
    public void AnExistingValueIsReplacedInPlace()
    {
        string result = ConfigRewriter.SetValue(RealWorld, "/dev/video0", "brightness", "150");
        Assert.That(result, Is.EqualTo(RealWorld.Replace("brightness = 128", "brightness = 150")));
    }

    [Test]
    public void ANewKeyGoesAfterTheSectionsLastEntry()
    {
        string result = ConfigRewriter.SetValue(RealWorld, "/dev/video0", "contrast", "40");
        Assert.That(result, Is.EqualTo(RealWorld.Replace("focus_absolute = 30\n", "focus_absolute = 30\ncontrast = 40\n")),
            "before the blank line and the comment that belongs to the next section");
    }

    [Test]
    public void AKeyOfAnotherSectionIsNotTouched()
    {
        string result = ConfigRewriter.SetValue(RealWorld, "/dev/video11", "focus_absolute", "5");
        Assert.That(result, Is.EqualTo(RealWorld.Replace("h264_i_frame_period = 15\n", "h264_i_frame_period = 15\nfocus_absolute = 5\n")));
    }

    [Test]
    public void AMissingSectionIsAppended()
    {
        string result = ConfigRewriter.SetValue("[server]\nport = 8000\n", "/dev/video11", "video_bitrate", "4000000");
        Assert.That(result, Is.EqualTo("[server]\nport = 8000\n\n[/dev/video11]\nvideo_bitrate = 4000000\n"));
    }

    [Test]
    public void SpellingAndSpacingOfTheKeyLineStay()
    {
        const string text = "[cam]\n  Brightness:5\nfps=30";
        Assert.That(ConfigRewriter.SetValue(text, "cam", "brightness", "7"), Is.EqualTo("[cam]\n  Brightness:7\nfps=30"));
        Assert.That(ConfigRewriter.SetValue(text, "cam", "contrast", "1"), Is.EqualTo("[cam]\n  Brightness:5\nfps=30\ncontrast = 1"),
            "a file without a final newline keeps having none");
    }

    [Test]
    public void CrlfLinesStayCrlf()
    {
        string text = RealWorld.Replace("\n", "\r\n");
        string result = ConfigRewriter.SetValue(text, "/dev/video0", "contrast", "40");
        Assert.That(result, Is.EqualTo(text.Replace("focus_absolute = 30\r\n", "focus_absolute = 30\r\ncontrast = 40\r\n")));
    }

    [Test]
    public void AMultiLineValueBecomesOneLineAndTheCommentsStay()
    {
        const string text = "[cam]\nscene = a\n  # note\n  b\nfps = 30\n";
        Assert.That(ConfigRewriter.SetValue(text, "cam", "scene", "c"), Is.EqualTo("[cam]\nscene = c\n  # note\nfps = 30\n"));
    }

    [Test]
    public void APercentIsEscapedAndReadBackAsWritten()
    {
        string result = ConfigRewriter.SetValue(RealWorld, "/dev/video0", "overlay", "50% zoom");
        var section = IniReader.Parse(result, "c.conf").Find("/dev/video0")!;
        Assert.That(section.Find("overlay")!.Value, Is.EqualTo("50% zoom"));
    }

    [Test]
    public void ANewlineInAValueIsRefused()
    {
        Assert.Throws<ArgumentException>(() => ConfigRewriter.SetValue(RealWorld, "/dev/video0", "text", "a\nwidth = 1"));
    }

    [Test]
    public void TheShippedConfigRoundTripsApartFromTheChangedValues()
    {
        string dist = File.ReadAllText(Path.Combine(Repository.Root, "fmp4streamer.conf.dist"));
        string changed = ConfigRewriter.SetValue(dist, "/dev/video0", "fps", "15");
        changed = ConfigRewriter.SetValue(changed, "/dev/video0", "brightness", "140");
        changed = ConfigRewriter.SetValue(changed, "/dev/video0", "brightness", "141");
        Assert.That(changed, Is.EqualTo(dist.Replace("\nfps = 30\n\n# Stream name", "\nfps = 15\nbrightness = 141\n\n# Stream name")));
        var before = IniReader.Parse(dist, "c.conf");
        var after = IniReader.Parse(changed, "c.conf");
        Assert.That(after.Sections.Count, Is.EqualTo(before.Sections.Count));
        Assert.That(after.Find("/dev/video0")!.Find("brightness")!.Value, Is.EqualTo("141"));
        Assert.That(ConfigRewriter.SetValue(changed, "/dev/video0", "brightness", "141"), Is.EqualTo(changed), "setting the same value changes nothing");
    }
}
