using Fmp4Streamer.V4L2;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.Tests.V4L2;

public class ControlListerTests : SimulatedDriverTest
{
    private const string ExpectedBlock =
        "Device: /dev/video-sim\n" +
        "Name: Simulated Camera\n" +
        "Driver: simdrv\n" +
        "\n" +
        "Controls\n" +
        "\n" +
        "User Controls\n" +
        "\n" +
        "brightness = 128\t( default: 128 min: 0 max: 255)\n" +
        "contrast = 55\t( default: 50 min: 0 max: 100 step: 5)\n" +
        "saturation = -20\t( default: 0 min: -100 max: 100)\n" +
        "white_balance_automatic = 1\t( default: 1 min: 0 max: 1)\n" +
        "power_line_frequency = Auto\t( default: 50 Hz values: 'Disabled' '50 Hz' 'Auto' )\n" +
        "Do White Balance = \n" +
        "Integer 64 Bit = \n" +
        "String = \n" +
        "Bitmask = \n" +
        "integer_menu = 400000000\t( default: 100000000 values: 100000000 200000000 400000000 800000000 )\n" +
        "scene_mode_test = Night's Mode\t( default: None values: 'None' \"Night's Mode\" 'Sports & Action' )\n" +
        "gain__analog = 5\t( default: 5 min: 0 max: 10)\n" +
        "sensor_temperature = 35\t( default: 20 min: -40 max: 120)\n" +
        "\n" +
        "Codec Controls\n" +
        "\n" +
        "Force Key Frame = \n" +
        "h264_profile = High\t( default: Baseline values: 'Baseline' 'Constrained Baseline' 'Main' 'Extended' 'High' )\n" +
        "\n" +
        "Camera Controls\n" +
        "\n" +
        "auto_exposure = Aperture Priority Mode\t( default: Aperture Priority Mode values: 'Auto Mode' 'Manual Mode' 'Aperture Priority Mode' )\n" +
        "exposure_time_absolute = 250\t( default: 250 min: 3 max: 2047)\n";

    [Test]
    public void ListsEveryControlOfTheSimulatedDriverInTheReferenceFormat()
    {
        var output = new StringWriter();
        ControlLister.Print(output, Driver, new[] { new ListedDevice(Driver.Path, Array.Empty<ControlSetting>()) }, "test.conf");
        Assert.That(output.ToString(), Is.EqualTo(ExpectedBlock + "\nTo set one, put ctrl_name = Value into test.conf under the device\n"));
        Assert.That(Driver.OpenFdCount, Is.EqualTo(0));
    }

    [Test]
    public void TheQueryCtrlFallbackListsTheSame()
    {
        Driver.SupportsQueryExtCtrl = false;
        var output = new StringWriter();
        ControlLister.PrintDevice(output, Driver, Driver.Path, Array.Empty<ControlSetting>());
        Assert.That(output.ToString(), Is.EqualTo(ExpectedBlock));
        Assert.That(Driver.IoctlLog, Does.Contain("VIDIOC_QUERYCTRL"));
    }

    [Test]
    public void ValuesSetFromTheConfigAreListed()
    {
        var output = new StringWriter();
        var settings = new[]
        {
            new ControlSetting("brightness", "10", "test.conf:3"),
            new ControlSetting("power_line_frequency", "50 Hz", "test.conf:4"),
        };
        ControlLister.PrintDevice(output, Driver, Driver.Path, settings);
        Assert.That(output.ToString(), Does.Contain("brightness = 10\t( default: 128 min: 0 max: 255)\n"));
        Assert.That(output.ToString(), Does.Contain("power_line_frequency = 50 Hz\t( default: 50 Hz values: 'Disabled' '50 Hz' 'Auto' )\n"));
    }

    private static ControlInfo Menu(long? value, long def) => new()
    {
        Id = 1, Type = V4L2_CTRL_TYPE_MENU, RawName = "Power Line Frequency", Name = "power_line_frequency",
        Minimum = 0, Maximum = 2, Step = 1, Default = def, Value = value,
        Menu = new[] { new MenuItem(0, "Disabled", 0), new MenuItem(1, "50 Hz", 1) },
    };

    private static IEnumerable<TestCaseData> Lines()
    {
        yield return new TestCaseData(Menu(1, 0), "power_line_frequency = 50 Hz\t( default: Disabled values: 'Disabled' '50 Hz' )")
            .SetName("menu with current and default");
        yield return new TestCaseData(Menu(2, 0), "power_line_frequency = default: Disabled values: 'Disabled' '50 Hz' )")
            .SetName("menu current matching no item drops the current part");
        yield return new TestCaseData(Menu(1, 2), "power_line_frequency = 50 Hz\t( values: 'Disabled' '50 Hz' )")
            .SetName("menu default matching no item drops the default part");
        yield return new TestCaseData(new ControlInfo
        {
            Id = 2, Type = V4L2_CTRL_TYPE_INTEGER, RawName = "Pan (Absolute)", Name = "pan_absolute",
            Minimum = -36000, Maximum = 36000, Step = 3600, Default = 0, Value = 0,
        }, "pan_absolute = 0\t( default: 0 min: -36000 max: 36000 step: 3600)").SetName("integer with step (README example)");
        yield return new TestCaseData(new ControlInfo
        {
            Id = 3, Type = V4L2_CTRL_TYPE_CTRL_CLASS, RawName = "User Controls", Name = "user_controls",
            Minimum = 0, Maximum = 0, Step = 0, Default = 0,
        }, "\nUser Controls\n").SetName("class between blank lines, not normalised");
        yield return new TestCaseData(new ControlInfo
        {
            Id = 4, Type = V4L2_CTRL_TYPE_U8, RawName = "Some Array", Name = "some_array",
            Minimum = 0, Maximum = 255, Step = 1, Default = 0,
        }, "Some Array = ").SetName("other types print their raw name");
    }

    [TestCaseSource(nameof(Lines))]
    public void FormatsOneLine(ControlInfo control, string expected) =>
        Assert.That(ControlLister.FormatLine(control), Is.EqualTo(expected));
}
