using Fmp4Streamer.V4L2;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.Tests.V4L2;

public class ControlsTests : SimulatedDeviceTest
{
    private const string Valid = "brightness, contrast, saturation, white_balance_automatic, power_line_frequency, " +
        "integer_64_bit, string, bitmask, integer_menu, scene_mode_test, gain__analog, h264_profile, auto_exposure, exposure_time_absolute";

    private List<string> Apply(params (string Key, string Value)[] settings)
    {
        var controls = Controls.Enumerate(Device);
        var list = new List<ControlSetting>();
        for (int i = 0; i < settings.Length; i++) list.Add(new ControlSetting(settings[i].Key, settings[i].Value, $"test.conf:{3 + i}"));
        var warnings = new List<string>();
        controls.Apply(list, warnings);
        return warnings;
    }

    [Test]
    public void EnumeratesEveryTypeWithMenusAndFlags()
    {
        var controls = Controls.Enumerate(Device);
        Assert.That(controls.All.Count, Is.EqualTo(Driver.Controls.Count));
        var plf = controls.Find("power_line_frequency")!;
        Assert.That(plf.Menu, Is.EqualTo(new[] { new MenuItem(0, "Disabled", 0), new MenuItem(1, "50 Hz", 1), new MenuItem(3, "Auto", 3) }));
        Assert.That(plf.Value, Is.EqualTo(3));
        var intMenu = controls.Find("integer_menu")!;
        Assert.That(intMenu.Menu.Select(m => m.Value), Is.EqualTo(new[] { 100000000L, 200000000L, 400000000L, 800000000L }));
        Assert.That(controls.Find("integer_64_bit")!.Value, Is.EqualTo(7));
        Assert.That(controls.Find("exposure_time_absolute")!.IsInactive, Is.True);
        Assert.That(controls.Find("sensor_temperature")!.IsReadOnly, Is.True);
        Assert.That(controls.Find("old_feature"), Is.Null, "disabled controls cannot be set");
        Assert.That(controls.FindById(V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME)!.Type, Is.EqualTo(V4L2_CTRL_TYPE_BUTTON));
        Assert.That(controls.All.Count(c => c.IsClass), Is.EqualTo(3));
        Assert.That(Driver.IoctlLog.Count(n => n == "VIDIOC_QUERYMENU"), Is.EqualTo(4 + 5 + 3 + 5 + 4), "every index min..max, gaps included");
    }

    private static IEnumerable<TestCaseData> Accepted()
    {
        yield return new TestCaseData("brightness", "200", "Brightness", 200L).SetName("integer");
        yield return new TestCaseData("saturation", "-100", "Saturation", -100L).SetName("negative integer");
        yield return new TestCaseData("white_balance_automatic", "no", "White Balance, Automatic", 0L).SetName("boolean no");
        yield return new TestCaseData("white_balance_automatic", "0", "White Balance, Automatic", 0L).SetName("boolean 0");
        yield return new TestCaseData("white_balance_automatic", "False", "White Balance, Automatic", 0L).SetName("boolean False");
        yield return new TestCaseData("white_balance_automatic", "off", "White Balance, Automatic", 0L).SetName("boolean off");
        yield return new TestCaseData("power_line_frequency", "50 Hz", "Power Line Frequency", 1L).SetName("menu by item name");
        yield return new TestCaseData("power_line_frequency", "Auto", "Power Line Frequency", 3L).SetName("menu item after a gap");
        yield return new TestCaseData("integer_menu", "800000000", "Integer Menu", 4L).SetName("integer menu by value");
        yield return new TestCaseData("integer_64_bit", "1099511627776", "Integer 64 Bit", 1L << 40).SetName("64-bit integer");
        yield return new TestCaseData("bitmask", "0x2", "Bitmask", 2L).SetName("bitmask hex");
        yield return new TestCaseData("bitmask", "9", "Bitmask", 9L).SetName("bitmask decimal");
        yield return new TestCaseData("h264_profile", "Main", "H264 Profile", 2L).SetName("codec menu");
    }

    [TestCaseSource(nameof(Accepted))]
    public void AppliesEachKind(string key, string value, string driverName, long stored)
    {
        var warnings = Apply((key, value));
        Assert.That(warnings, Is.Empty);
        Assert.That(Driver.Control(driverName).Value, Is.EqualTo(stored));
        Assert.That(Driver.Control(driverName).Writes, Is.EqualTo(1));
    }

    [Test]
    public void BooleansAcceptOneYesTrueOn()
    {
        foreach (var v in new[] { "1", "yes", "TRUE", "on" })
        {
            Driver.Control("White Balance, Automatic").Value = 0;
            Apply(("white_balance_automatic", v));
            Assert.That(Driver.Control("White Balance, Automatic").Value, Is.EqualTo(1), v);
        }
    }

    [Test]
    public void AppliesAString()
    {
        Assert.That(Apply(("string", "abc")), Is.Empty);
        Assert.That(Driver.Control("String").Text, Is.EqualTo("abc"));
    }

    [TestCase("h264_level")]
    [TestCase("h264_i_frame_period")]
    public void ControlsOfTheOriginalSampleConfigOnlyWarnWhereMissing(string key)
    {
        var warnings = Apply((key, "High"));
        Assert.That(warnings, Is.EqualTo(new[] { $"test.conf:3: /dev/video-sim has no control '{key}' (the original sample configuration sets it for Raspberry Pi cameras); ignored" }));
    }

    private static IEnumerable<TestCaseData> Refused()
    {
        yield return new TestCaseData("nonexistent", "1",
            $"test.conf:3: /dev/video-sim has no control 'nonexistent'; valid controls: {Valid}").SetName("unknown control lists valid names");
        yield return new TestCaseData("old_feature", "1",
            $"test.conf:3: /dev/video-sim has no control 'old_feature'; valid controls: {Valid}").SetName("disabled control is unknown");
        yield return new TestCaseData("brightness", "300",
            "test.conf:3: brightness = 300 is out of range; /dev/video-sim accepts 0 to 255").SetName("integer out of range");
        yield return new TestCaseData("brightness", "abc",
            "test.conf:3: brightness = abc is not an integer; /dev/video-sim accepts 0 to 255").SetName("integer not a number");
        yield return new TestCaseData("contrast", "101",
            "test.conf:3: contrast = 101 is out of range; /dev/video-sim accepts 0 to 100 in steps of 5").SetName("integer range with step");
        yield return new TestCaseData("integer_64_bit", "1099511627777",
            "test.conf:3: integer_64_bit = 1099511627777 is out of range; /dev/video-sim accepts -1099511627776 to 1099511627776").SetName("64-bit out of range");
        yield return new TestCaseData("white_balance_automatic", "maybe",
            "test.conf:3: white_balance_automatic = maybe is not a boolean; use 1, yes, true, on, 0, no, false or off").SetName("boolean");
        yield return new TestCaseData("power_line_frequency", "60 Hz",
            "test.conf:3: power_line_frequency = 60 Hz is not a menu item; valid values: 'Disabled', '50 Hz', 'Auto'").SetName("menu item unknown");
        yield return new TestCaseData("power_line_frequency", "50 hz",
            "test.conf:3: power_line_frequency = 50 hz is not a menu item; valid values: 'Disabled', '50 Hz', 'Auto'").SetName("menu item is case-sensitive");
        yield return new TestCaseData("integer_menu", "300",
            "test.conf:3: integer_menu = 300 is not one of the values; valid values: 100000000, 200000000, 400000000, 800000000").SetName("integer menu value unknown");
        yield return new TestCaseData("bitmask", "0x10",
            "test.conf:3: bitmask = 0x10 sets bits outside 0x8000250f, the bits /dev/video-sim accepts").SetName("bitmask outside");
        yield return new TestCaseData("bitmask", "xyz",
            "test.conf:3: bitmask = xyz is not a bitmask; use a number such as 0x8000250f (the bits /dev/video-sim accepts)").SetName("bitmask not a number");
        yield return new TestCaseData("string", "x",
            "test.conf:3: string = x has 1 characters; /dev/video-sim accepts 2 to 10").SetName("string too short");
        yield return new TestCaseData("do_white_balance", "1",
            "test.conf:3: do_white_balance = 1: 'do_white_balance' is a button (an action, not a setting); remove it from the config").SetName("button");
        yield return new TestCaseData("sensor_temperature", "30",
            "test.conf:3: control 'sensor_temperature' of /dev/video-sim is read-only and cannot be set").SetName("read-only");
    }

    [TestCaseSource(nameof(Refused))]
    public void RefusesWithAMessageNamingLocationAndValidValues(string key, string value, string message)
    {
        var e = Assert.Throws<V4l2Exception>(() => Apply((key, value)));
        Assert.That(e!.Message, Is.EqualTo(message));
        Assert.That(Driver.Controls.Sum(c => c.Writes), Is.EqualTo(0), "nothing written");
    }

    [Test]
    public void AValueTheDriverAdjustsIsAWarningWithWhatItUsed()
    {
        Assert.That(Apply(("contrast", "57")), Is.EqualTo(new[] { "test.conf:3: /dev/video-sim set contrast to 55 instead of 57" }));
        Assert.That(Driver.Control("Contrast").Value, Is.EqualTo(55));
    }

    [Test]
    public void AnInactiveControlIsReportedAndWritten()
    {
        Assert.That(Apply(("exposure_time_absolute", "100")), Is.EqualTo(new[]
        {
            "test.conf:3: control 'exposure_time_absolute' of /dev/video-sim is inactive (another control, such as an automatic mode, overrides it); setting 100 anyway",
        }));
        Assert.That(Driver.Control("Exposure Time, Absolute").Value, Is.EqualTo(100));
    }

    [Test]
    public void FlagsAreReadAgainBeforeEachWriteSoEarlierSettingsCount()
    {
        Assert.That(Apply(("auto_exposure", "Manual Mode"), ("exposure_time_absolute", "100")), Is.Empty);
        Assert.That(Driver.Control("Exposure Time, Absolute").Value, Is.EqualTo(100));
    }

    [Test]
    public void AWriteTheDriverRefusesIsAWarning()
    {
        Driver.Control("Brightness").FailWith = 16; // EBUSY
        Assert.That(Apply(("brightness", "10")), Is.EqualTo(new[] { "test.conf:3: /dev/video-sim refused brightness = 10: EBUSY" }));
    }

    [Test]
    public void FallsBackToSCtrlWithoutExtendedControls()
    {
        Driver.SupportsExtCtrls = false;
        Assert.That(Apply(("brightness", "42"), ("power_line_frequency", "Disabled")), Is.Empty);
        Assert.That(Driver.Control("Brightness").Value, Is.EqualTo(42));
        Assert.That(Driver.Control("Power Line Frequency").Value, Is.EqualTo(0));
        Assert.That(Driver.IoctlLog, Does.Contain("VIDIOC_S_CTRL"));
    }
}
