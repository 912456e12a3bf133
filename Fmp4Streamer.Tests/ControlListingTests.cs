using Fmp4Streamer.Cli;
using Fmp4Streamer.Config;
using Fmp4Streamer.Linux.Native;
using Fmp4Streamer.Tests.V4L2.Simulated;
using Fmp4Streamer.Tests.V4L2.Uvc;
using Fmp4Streamer.V4L2;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.Tests;

/// <summary>-l from a configuration: the camera, then the M2M chain it uses, each with its own section's controls (compatibility §1).</summary>
public class ControlListingTests
{
    private const string Footer = "To set one, put ctrl_name = Value into chain.conf under the device\n";

    private const string MjpgChain = """
        [/dev/video0]
        capture_format = MJPG
        decoder = /dev/video10
        encoder = /dev/video11

        [/dev/video10]
        display_delay_enable = 1

        [/dev/video11]
        h264_i_frame_period = 30
        """;

    private SimulatedV4l2Driver _camera = null!;
    private SimulatedV4l2Driver _decoder = null!;
    private SimulatedV4l2Driver _encoder = null!;

    [SetUp]
    public void CreateDevices()
    {
        _camera = new SimulatedV4l2Driver("/dev/video0");
        _decoder = Codec("/dev/video10", "Simulated decoder", "simdec", DecoderControls());
        _encoder = Codec("/dev/video11", "Simulated encoder", "simenc", EncoderControls());
    }

    [TearDown]
    public void DisposeDevices()
    {
        _camera.Dispose();
        _decoder.Dispose();
        _encoder.Dispose();
    }

    [Test]
    public void ListsTheCameraThenTheDecoderThenTheEncoderWithTheirOwnSettings()
    {
        var (code, output) = List(MjpgChain);
        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        int camera = output.IndexOf("Device: /dev/video0\nName: Simulated Camera\nDriver: simdrv\n", StringComparison.Ordinal);
        int decoder = output.IndexOf("\n\nDevice: /dev/video10\nName: Simulated decoder\nDriver: simdec\n\nControls\n", StringComparison.Ordinal);
        int encoder = output.IndexOf("\n\nDevice: /dev/video11\nName: Simulated encoder\nDriver: simenc\n\nControls\n", StringComparison.Ordinal);
        Assert.That(camera, Is.EqualTo(0), output);
        Assert.That(decoder, Is.GreaterThan(camera), output);
        Assert.That(encoder, Is.GreaterThan(decoder), output);
        Assert.That(output[(decoder + 2)..(encoder + 1)], Is.EqualTo(
            "Device: /dev/video10\nName: Simulated decoder\nDriver: simdec\n\nControls\n\nCodec Controls\n\n" +
            "display_delay_enable = 1\t( default: 0 min: 0 max: 1)\n"), "[/dev/video10] applied to the decoder");
        Assert.That(output[encoder..], Does.EndWith(
            "h264_i_frame_period = 30\t( default: 60 min: 0 max: 600)\n\n" + Footer), "[/dev/video11] applied; one empty line, then the footer once");
        Assert.That(_encoder.Control(V4L2_CID_MPEG_VIDEO_H264_I_PERIOD).Value, Is.EqualTo(30));
        Assert.That(output.Split("To set one").Length, Is.EqualTo(2), "one footer");
        Assert.That(_camera.OpenFdCount + _decoder.OpenFdCount + _encoder.OpenFdCount, Is.EqualTo(0), "every device closed");
    }

    [Test]
    public void AYuyvCameraListsItsEncoderButNoDecoderBlock()
    {
        const string text = "[/dev/video0]\ncapture_format = YUYV\nencoder = /dev/video11\n";
        var devices = ControlListing.Devices(ConfigLoader.Parse(text, "chain.conf"));
        Assert.That(Describe(devices), Is.EqualTo(new[] { "/dev/video0 uvc", "/dev/video11" }));
    }

    [Test]
    public void AnH264CameraWithADecoderAndAnEncoderListsBoth()
    {
        // Decoding the camera's H264 and encoding it again (another bitrate or key-frame interval) uses both.
        string text = MjpgChain.Replace("capture_format = MJPG", "capture_format = H264");
        var devices = ControlListing.Devices(ConfigLoader.Parse(text, "chain.conf"));
        Assert.That(Describe(devices), Is.EqualTo(new[] { "/dev/video0 uvc", "/dev/video10", "/dev/video11" }));
    }

    [Test]
    public void AnH264CameraWithOnlyAnEncoderIgnoresIt()
    {
        const string text = "[/dev/video0]\ncapture_format = H264\nencoder = /dev/video11\n\n[/dev/video11]\nh264_i_frame_period = 30\n";
        var (code, output) = List(text);
        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output, Does.Not.Contain("/dev/video11"));
        Assert.That(output, Does.EndWith(")\n\n" + Footer));
        Assert.That(_encoder.OpenAttempts, Is.EqualTo(0));
    }

    [Test]
    public void AnUnknownEncoderControlNamesFileLineKeyAndTheValidOnes()
    {
        string text = MjpgChain.Replace("h264_i_frame_period = 30", "h264_i_frame_period = 30\nh264_bitrate_typo = 5");
        var devices = ControlListing.Devices(ConfigLoader.Parse(text, "chain.conf"));
        var e = Assert.Throws<V4l2Exception>(() => ControlLister.Print(new StringWriter(), Io(), devices, "chain.conf"))!;
        Assert.That(e.Message, Is.EqualTo(
            "chain.conf:11: /dev/video11 has no control 'h264_bitrate_typo'; valid controls: video_bitrate, h264_i_frame_period"));
        Assert.That(List(text).Code, Is.EqualTo(ExitCodes.Device), "-l fails as start-up would");
    }

    [Test]
    public void UvcxKeysOfAnEncoderSectionAreNotExtensionUnitControls()
    {
        string text = MjpgChain.Replace("h264_i_frame_period = 30", "uvcx_h264_i_frame_period = 30");
        var devices = ControlListing.Devices(ConfigLoader.Parse(text, "chain.conf"));
        var e = Assert.Throws<V4l2Exception>(() => ControlLister.Print(new StringWriter(), Io(), devices, "chain.conf"))!;
        Assert.That(e.Message, Does.StartWith("chain.conf:10: /dev/video11 has no control 'uvcx_h264_i_frame_period'"));
    }

    [Test]
    public void AnM2MDeviceIsNotLookedUpInSysfs()
    {
        // The encoder sits where sysfs describes a UVC camera with H.264 and LED units: -l must not query them.
        using var sysfs = new FakeSysfs(FakeSysfs.C920(), node: "video5");
        using var encoder = Codec(FakeSysfs.ByIdPath, "Simulated encoder", "simenc", EncoderControls());
        string text = $"[/dev/video0]\ncapture_format = YUYV\nencoder = {FakeSysfs.ByIdPath}\n";
        var output = new StringWriter();
        int code = ControlListing.Print(ConfigLoader.Parse(text, "chain.conf"), "chain.conf", new SimulatedLinuxIo(_camera, encoder),
            output, sysfs.Root);
        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output.ToString(), Does.Not.Contain("uvcx_"));
        Assert.That(encoder.IoctlLog, Does.Not.Contain($"0x{uvcvideo.UVCIOC_CTRL_QUERY:x8}"));
    }

    private (int Code, string Output) List(string text)
    {
        var output = new StringWriter();
        int code = ControlListing.Print(ConfigLoader.Parse(text, "chain.conf"), "chain.conf", Io(), output);
        return (code, output.ToString());
    }

    private SimulatedLinuxIo Io() => new(_camera, _decoder, _encoder);

    private static string[] Describe(List<ListedDevice> devices)
    {
        var parts = new string[devices.Count];
        for (int i = 0; i < devices.Count; i++) parts[i] = devices[i].Path + (devices[i].HasExtensionUnits ? " uvc" : "");
        return parts;
    }

    private static SimulatedV4l2Driver Codec(string path, string card, string driver, List<SimControl> controls)
    {
        var device = new SimulatedV4l2Driver(path)
        {
            Card = card, Driver = driver, DeviceCaps = V4L2_CAP_VIDEO_M2M | V4L2_CAP_STREAMING, OtherNodeCaps = 0,
        };
        device.Controls.Clear();
        device.Controls.AddRange(controls);
        return device;
    }

    private const uint CodecClass = V4L2_CTRL_CLASS_CODEC | 1;
    private const uint ClassFlags = V4L2_CTRL_FLAG_READ_ONLY | V4L2_CTRL_FLAG_WRITE_ONLY;
    private const uint V4L2_CID_MPEG_VIDEO_BITRATE = V4L2_CID_CODEC_BASE + 207;
    private const uint V4L2_CID_MPEG_VIDEO_H264_I_PERIOD = V4L2_CID_CODEC_BASE + 358;
    private const uint V4L2_CID_MPEG_VIDEO_DEC_DISPLAY_DELAY_ENABLE = V4L2_CID_CODEC_BASE + 642;

    private static List<SimControl> DecoderControls() => new()
    {
        new() { Id = CodecClass, Type = V4L2_CTRL_TYPE_CTRL_CLASS, Name = "Codec Controls", Flags = ClassFlags },
        new() { Id = V4L2_CID_MPEG_VIDEO_DEC_DISPLAY_DELAY_ENABLE, Type = V4L2_CTRL_TYPE_BOOLEAN, Name = "Display Delay Enable", Maximum = 1 },
    };

    private static List<SimControl> EncoderControls() => new()
    {
        new() { Id = CodecClass, Type = V4L2_CTRL_TYPE_CTRL_CLASS, Name = "Codec Controls", Flags = ClassFlags },
        new() { Id = V4L2_CID_MPEG_VIDEO_BITRATE, Type = V4L2_CTRL_TYPE_INTEGER, Name = "Video Bitrate", Minimum = 25000, Maximum = 25000000, Step = 25000, Default = 10000000, Value = 10000000 },
        new() { Id = V4L2_CID_MPEG_VIDEO_H264_I_PERIOD, Type = V4L2_CTRL_TYPE_INTEGER, Name = "H264 I-Frame Period", Maximum = 600, Default = 60, Value = 60 },
    };
}
