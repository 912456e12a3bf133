using Fmp4Streamer.Linux;
using Fmp4Streamer.V4L2;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.Tests.V4L2;

public class VideoDeviceTests : SimulatedDriverTest
{
    [Test]
    public void OpensNonBlockingAndReadsTheCapability()
    {
        using var device = VideoDevice.Open(Driver, Driver.Path);
        var caps = device.QueryCapabilities();
        Assert.That((caps.Driver, caps.Card, caps.BusInfo), Is.EqualTo(("simdrv", "Simulated Camera", "platform:sim")));
        Assert.That(device.RequireCapture(), Is.EqualTo(V4L2_BUF_TYPE_VIDEO_CAPTURE));
    }

    [Test]
    public void MissingDeviceThrowsLinuxExceptionNamingThePath()
    {
        var e = Assert.Throws<LinuxException>(() => VideoDevice.Open(Driver, "/dev/video9"));
        Assert.That(e!.Message, Does.StartWith("open /dev/video9: ENOENT"));
    }

    private static IEnumerable<TestCaseData> RefusedCapabilities()
    {
        yield return new TestCaseData(V4L2_CAP_VIDEO_OUTPUT | V4L2_CAP_STREAMING, true,
            "/dev/video-sim (Simulated Camera, driver simdrv) is not usable as a camera: it lacks video capture (capabilities 0x04000002)")
            .SetName("output only");
        yield return new TestCaseData(V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_READWRITE, true,
            "/dev/video-sim (Simulated Camera, driver simdrv) is not usable as a camera: it lacks streaming I/O (capabilities 0x01000001)")
            .SetName("capture without streaming");
        yield return new TestCaseData(V4L2_CAP_META_CAPTURE, true,
            "/dev/video-sim (Simulated Camera, driver simdrv) is not usable as a camera: it lacks video capture and streaming I/O (capabilities 0x00800000)")
            .SetName("metadata node");
    }

    [TestCaseSource(nameof(RefusedCapabilities))]
    public void QueryCapRefusalNamesDeviceAndWhatItLacks(uint deviceCaps, bool reportDeviceCaps, string message)
    {
        Driver.DeviceCaps = deviceCaps;
        Driver.ReportDeviceCaps = reportDeviceCaps;
        // The other node of the device can capture: only this node's device_caps count.
        Driver.OtherNodeCaps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
        using var device = VideoDevice.Open(Driver, Driver.Path);
        var e = Assert.Throws<V4l2Exception>(() => device.RequireCapture());
        Assert.That(e!.Message, Is.EqualTo(message));
    }

    [Test]
    public void WithoutDeviceCapsTheCapabilitiesFieldCounts()
    {
        Driver.ReportDeviceCaps = false;
        using var device = VideoDevice.Open(Driver, Driver.Path);
        Assert.That(device.RequireCapture(), Is.EqualTo(V4L2_BUF_TYPE_VIDEO_CAPTURE));
    }

    [Test]
    public void SetFormatReturnsTheNegotiatedFormat()
    {
        using var device = VideoDevice.Open(Driver, Driver.Path);
        var f = device.SetFormat(V4L2_BUF_TYPE_VIDEO_CAPTURE, 1280, 720, V4L2_PIX_FMT_H264);
        Assert.That(f, Is.EqualTo(new VideoFormat(V4L2_BUF_TYPE_VIDEO_CAPTURE, 1280, 720, V4L2_PIX_FMT_H264, 64 * 1024)));
        Assert.That(device.GetFormat(V4L2_BUF_TYPE_VIDEO_CAPTURE).SizeImage, Is.EqualTo(64u * 1024));
    }

    private static IEnumerable<TestCaseData> RefusedFormats()
    {
        yield return new TestCaseData(1920, 1080, "H264",
            "/dev/video-sim cannot capture H264 1920x1080: the driver offered H264 1280x720 instead (formats H264, MJPG; H264 sizes 640x480 1280x720)")
            .SetName("size changed");
        yield return new TestCaseData(640, 480, "NV12",
            "/dev/video-sim cannot capture NV12 640x480: the driver offered H264 640x480 instead (formats H264, MJPG)")
            .SetName("format changed");
    }

    [TestCaseSource(nameof(RefusedFormats))]
    public void FormatRefusalSaysWhatTheDriverOffered(int width, int height, string fourcc, string message)
    {
        using var device = VideoDevice.Open(Driver, Driver.Path);
        var e = Assert.Throws<V4l2Exception>(() => device.SetFormat(V4L2_BUF_TYPE_VIDEO_CAPTURE, width, height, FourCc.Parse(fourcc)));
        Assert.That(e!.Message, Is.EqualTo(message));
    }

    [TestCase(30, new string[0], TestName = "supported rate: no warning")]
    [TestCase(25, new[] { "/dev/video-sim can't set fps to 25, using 30" }, TestName = "other rate: warning with the rate used")]
    public void FrameRateWarnsWhenTheDriverPicksAnother(int fps, string[] warnings)
    {
        using var device = VideoDevice.Open(Driver, Driver.Path);
        var got = new List<string>();
        device.SetFrameRate(V4L2_BUF_TYPE_VIDEO_CAPTURE, fps, got);
        Assert.That(got, Is.EqualTo(warnings));
    }

    [Test]
    public void FrameRateUnsupportedIsAWarning()
    {
        Driver.FrameRateSupported = false;
        using var device = VideoDevice.Open(Driver, Driver.Path);
        var got = new List<string>();
        device.SetFrameRate(V4L2_BUF_TYPE_VIDEO_CAPTURE, 30, got);
        Assert.That(got, Is.EqualTo(new[] { "/dev/video-sim can't set fps to 30: VIDIOC_S_PARM ENOTTY" }));
    }

    [Test]
    public void CloseReleasesTheFd()
    {
        var device = VideoDevice.Open(Driver, Driver.Path);
        Assert.That(Driver.OpenFdCount, Is.EqualTo(1));
        device.Dispose();
        device.Dispose();
        Assert.That(Driver.OpenFdCount, Is.EqualTo(0));
    }
}
