using Fmp4Streamer.Tests.V4L2.Simulated;
using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.Tests.V4L2.Uvc;

/// <summary>-l of a UVC camera: its extension unit lines follow the V4L2 controls, Logitech first (compatibility §1).</summary>
public class UvcControlListerTests
{
    [Test]
    public void ExtensionUnitLinesFollowTheControls()
    {
        using var sysfs = new FakeSysfs(FakeSysfs.C920());
        using var uvc = new SimulatedUvcDriver(new SimulatedV4l2Driver(FakeSysfs.ByIdPath));
        uvc.AddH264Unit();
        uvc.AddLedUnit();
        var output = new StringWriter();
        var settings = new[] { new ControlSetting("brightness", "100", "c.conf:2"), new ControlSetting("uvcx_h264_i_frame_period", "3000", "c.conf:3") };
        ControlLister.PrintDevice(output, uvc, FakeSysfs.ByIdPath, settings, sysfs.Root);
        string[] lines = output.ToString().Split('\n');
        int led = Array.IndexOf(lines, "uvcx_logitech_led1_mode = Auto\t( default: Off values: 'Off' 'On' 'Blink' 'Auto' )");
        Assert.That(led, Is.GreaterThan(Array.FindLastIndex(lines, l => l.StartsWith("exposure_time_absolute"))), "after the last V4L2 control");
        Assert.That(lines[led + 2], Is.EqualTo("uvcx_h264_stream_mux = None\t( default: None values: 'None' 'H264' )"));
        Assert.That(lines, Does.Contain("uvcx_h264_i_frame_period = 3000\t( default: 1000 min: 0 max: 65535)"));
        Assert.That(lines, Does.Contain("brightness = 100\t( default: 128 min: 0 max: 255)"));
        Assert.That(lines[^1], Is.EqualTo(""), "the block ends with a newline");
    }
}
