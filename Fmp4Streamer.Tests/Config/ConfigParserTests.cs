using Fmp4Streamer.Config;

namespace Fmp4Streamer.Tests.Config;

public class ConfigParserTests
{
    private static string Controls(IReadOnlyList<ConfigEntry> controls)
    {
        var parts = new List<string>();
        foreach (ConfigEntry c in controls) parts.Add($"{c.Key}={c.Value}@{c.Location}");
        return string.Join(" ", parts);
    }

    // The seed README's Raspberry Pi example for a YUYV USB camera, verbatim (trailing space after "listen =").
    private const string YuyvWithEncoder = """
        [server]
        listen = 
        port = 8000

        [/dev/video0]
        width = 640
        height = 480
        fps = 30
        capture_format = YUYV
        encoder = /dev/video11

        [/dev/video11]
        # you can set any V4L2 control too, list them with the -l option
        h264_profile = High
        h264_level = 4.2
        h264_i_frame_period = 15
        """;

    [Test]
    public void ReadmeYuyvCameraWithPiEncoder()
    {
        StreamerConfig config = ConfigLoader.Parse(YuyvWithEncoder, "pi.conf");
        Assert.That(config.Server.Listen, Is.EqualTo(""));
        Assert.That(config.Server.BindAddress, Is.EqualTo("::"));
        Assert.That(config.Server.Port, Is.EqualTo(8000));
        Assert.That(config.Sources, Has.Count.EqualTo(1), "the encoder section is not a source");
        SourceConfig camera = config.Sources[0];
        Assert.That(camera.Kind, Is.EqualTo(SourceKind.Device));
        Assert.That(camera.DevicePath, Is.EqualTo("/dev/video0"));
        Assert.That(camera.Name, Is.EqualTo("video0"));
        Assert.That(camera.CaptureFormat, Is.EqualTo("YUYV"));
        Assert.That(camera.Decoder, Is.Null);
        Assert.That(camera.Encoder, Is.EqualTo("/dev/video11"));
        Assert.That(camera.CaptureMemory, Is.EqualTo(MemoryType.DmaBuf));
        Assert.That(camera.EncoderMemory, Is.EqualTo(new MemoryPair(MemoryType.Mmap, MemoryType.Mmap)));
        Assert.That(camera.EncoderInputFormat, Is.EqualTo("YUYV"));
        Assert.That(camera.Controls, Is.Empty);
        Assert.That(Controls(camera.EncoderControls),
            Is.EqualTo("h264_profile=High@pi.conf:14 h264_level=4.2@pi.conf:15 h264_i_frame_period=15@pi.conf:16"));
        Assert.That(camera.DecoderControls, Is.Empty);
        Assert.That(config.Warnings, Is.Empty);
    }

    [Test]
    public void ReadmeMjpgCameraWithDecoderAndEncoder()
    {
        string text = YuyvWithEncoder.Replace("capture_format = YUYV", "capture_format = MJPG\ndecoder = /dev/video10");
        SourceConfig camera = ConfigLoader.Parse(text, "pi.conf").Sources.Single();
        Assert.That(camera.CaptureFormat, Is.EqualTo("MJPG"));
        Assert.That(camera.Decoder, Is.EqualTo("/dev/video10"));
        Assert.That(camera.Encoder, Is.EqualTo("/dev/video11"));
        Assert.That(camera.CaptureMemory, Is.EqualTo(MemoryType.DmaBuf));
        Assert.That(camera.DecoderMemory.ToString(), Is.EqualTo("MMAP-DMABUF"));
        Assert.That(camera.EncoderMemory.ToString(), Is.EqualTo("MMAP-MMAP"));
        Assert.That(camera.DecoderInputFormat, Is.EqualTo("MJPG"));
        Assert.That(camera.EncoderInputFormat, Is.EqualTo("NV12"));
        Assert.That(camera.DecoderControls, Is.Empty, "[/dev/video10] is absent: no controls, as the original");
        Assert.That(camera.EncoderControls, Has.Count.EqualTo(3));
    }

    [Test]
    public void EncoderSectionBeforeTheCameraIsStillTheEncoder()
    {
        // The original took the first non-server section as the camera; referenced sections are M2M here.
        const string text = "[/dev/video11]\nh264_level = 4\n[/dev/video0]\ncapture_format = YUYV\nencoder = /dev/video11\n";
        SourceConfig camera = ConfigLoader.Parse(text, "c.conf").Sources.Single();
        Assert.That(camera.Section, Is.EqualTo("/dev/video0"));
        Assert.That(Controls(camera.EncoderControls), Is.EqualTo("h264_level=4@c.conf:2"));
    }

    [Test]
    public void MjpgH264WithUvcxControlsInFileOrder()
    {
        const string text = """
            [server]
            listen =
            port = 8000

            [/dev/v4l/by-id/usb-046d_Logitech_Webcam_C930e_DDCF656E-video-index0]
            width = 1920
            height = 1080
            fps = 30
            capture_format = MJPGH264
            uvcx_h264_i_frame_period = 1000
            power_line_frequency = 50 Hz
            uvcx_h264_profile = High
            uvcx_logitech_led1_mode = Off
            """;
        SourceConfig camera = ConfigLoader.Parse(text, "c930e.conf").Sources.Single();
        Assert.That(camera.Name, Is.EqualTo("usb-046d_Logitech_Webcam_C930e_DDCF656E-video-index0"));
        Assert.That((camera.Width, camera.Height, camera.Fps), Is.EqualTo((1920, 1080, 30)));
        Assert.That(camera.IsMjpgH264, Is.True);
        Assert.That(camera.CaptureFourCC, Is.EqualTo("MJPG"));
        Assert.That(camera.CaptureMemory, Is.EqualTo(MemoryType.Mmap));
        Assert.That(Controls(camera.Controls), Is.EqualTo(
            "uvcx_h264_i_frame_period=1000@c930e.conf:10 power_line_frequency=50 Hz@c930e.conf:11 " +
            "uvcx_h264_profile=High@c930e.conf:12 uvcx_logitech_led1_mode=Off@c930e.conf:13"));
        Assert.That(camera.FindControl("uvcx_h264_profile")!.Value, Is.EqualTo("High"));
        Assert.That(camera.FindControl("h264_profile"), Is.Null);
    }

    [Test]
    public void SeveralSourcesKeepFileOrderAndNames()
    {
        const string text = """
            [/dev/video2]
            [garden]
            command = cat /tmp/x.h264
            fps = 25
            [Test Card]
            test_pattern = yes
            width = 320
            height = 240
            [/dev/video0]
            name = front-door
            """;
        StreamerConfig config = ConfigLoader.Parse(text, "c.conf");
        Assert.That(config.Sources.Select(s => (s.Kind, s.Name)), Is.EqualTo(new[]
        {
            (SourceKind.Device, "video2"), (SourceKind.Command, "garden"), (SourceKind.TestPattern, "Test_Card"),
            (SourceKind.Device, "front-door"),
        }));
        Assert.That(config.Sources[1].Command, Is.EqualTo("cat /tmp/x.h264"));
        Assert.That(config.Sources[1].DevicePath, Is.Null);
        Assert.That(config.Sources[1].Fps, Is.EqualTo(25));
        Assert.That((config.Sources[2].Width, config.Sources[2].Height), Is.EqualTo((320, 240)));
    }

    [Test]
    public void OnlyServerSectionAddsDefaultDevice()
    {
        StreamerConfig config = ConfigLoader.Parse("[server]\nport = 8080\n", "c.conf");
        Assert.That(config.Server.Port, Is.EqualTo(8080));
        SourceConfig camera = config.Sources.Single();
        Assert.That(camera.Section, Is.EqualTo("/dev/video0"));
        Assert.That(camera.Location, Is.EqualTo(new ConfigLocation("c.conf", 0)));
        Assert.That((camera.Width, camera.Height, camera.Fps, camera.CaptureFormat), Is.EqualTo((640, 480, 30, "H264")));
    }

    [Test]
    public void DefaultSectionIsVisibleEverywhere()
    {
        const string text = """
            [DEFAULT]
            width = 1280
            height = 720
            port = 9000
            brightness = 10
            [server]
            [/dev/video0]
            height = 960
            brightness = 20
            contrast = 5
            [/dev/video11]
            h264_level = 4
            [/dev/video2]
            capture_format = YUYV
            encoder = /dev/video11
            [pattern]
            test_pattern = yes
            """;
        StreamerConfig config = ConfigLoader.Parse(text, "c.conf");
        Assert.That(config.Server.Port, Is.EqualTo(9000));
        Assert.That(config.Server.Error("port", "x").Message, Is.EqualTo("c.conf:4: port: x"));
        SourceConfig video0 = config.Sources[0];
        Assert.That((video0.Width, video0.Height), Is.EqualTo((1280, 960)));
        Assert.That(Controls(video0.Controls), Is.EqualTo("brightness=20@c.conf:9 contrast=5@c.conf:10"));
        SourceConfig video2 = config.Sources[1];
        Assert.That(Controls(video2.Controls), Is.EqualTo("brightness=10@c.conf:5"));
        Assert.That(Controls(video2.EncoderControls), Is.EqualTo("h264_level=4@c.conf:12"), "DEFAULT controls stay off M2M devices");
        SourceConfig pattern = config.Sources[2];
        Assert.That(pattern.Kind, Is.EqualTo(SourceKind.TestPattern));
        Assert.That(pattern.Controls, Is.Empty);
        Assert.That(pattern.Width, Is.EqualTo(1280));
    }

    [Test]
    public void SizeKeysInServerAreIgnoredWithAWarning()
    {
        StreamerConfig config = ConfigLoader.Parse("[server]\nwidth = 1920\nport = 8000\n", "c.conf");
        Assert.That(config.Warnings, Is.EqualTo(new[] { "c.conf:2: width: ignored in [server]; set it in the device section" }));
        Assert.That(config.Sources[0].Width, Is.EqualTo(640));
    }

    [Test]
    public void UnusedM2MKeysWarn()
    {
        StreamerConfig config = ConfigLoader.Parse(
            "[/dev/video0]\ndecoder_memory = MMAP-DMABUF\nencoder_input_format = NV12\n", "c.conf");
        Assert.That(config.Warnings, Is.EqualTo(new[]
        {
            "c.conf:2: decoder_memory: ignored, there is no decoder in [/dev/video0]",
            "c.conf:3: encoder_input_format: ignored, there is no encoder in [/dev/video0]",
        }));
    }

    [Test]
    public void AnEncoderWithoutADecoderOnAnH264CameraIsUnusedAndWarns()
    {
        StreamerConfig config = ConfigLoader.Parse("[/dev/video0]\nencoder = /dev/video11\n", "c.conf");
        Assert.That(config.Warnings, Is.EqualTo(new[]
        {
            "c.conf:2: encoder: ignored, the camera's frames are H264 already (with a decoder too they would be re-encoded) in [/dev/video0]",
        }));
        Assert.That(config.Sources[0].UsesM2MChain, Is.False);
    }

    [Test]
    public void AnH264CameraWithADecoderAndAnEncoderIsReEncoded()
    {
        StreamerConfig config = ConfigLoader.Parse("[/dev/video0]\ndecoder = /dev/video10\nencoder = /dev/video11\n", "c.conf");
        SourceConfig source = config.Sources[0];
        Assert.That(config.Warnings, Is.Empty);
        Assert.That(source.UsesM2MChain, Is.True);
        Assert.That((source.DecoderInputFormat, source.EncoderInputFormat), Is.EqualTo(("H264", "NV12")));
    }

    [TestCase("MJPG", true)]
    [TestCase("JPEG", true)]
    [TestCase("YUYV", true)]
    [TestCase("NV12", true)]
    [TestCase("H264", false)]
    [TestCase("MJPGH264", false)]
    public void APictureFormatWithoutAnEncoderServesPicturesOnly(string format, bool picturesOnly)
    {
        StreamerConfig config = ConfigLoader.Parse($"[/dev/video0]\ncapture_format = {format}\n", "c.conf");
        SourceConfig source = config.Sources[0];
        Assert.That(config.Warnings, Is.Empty);
        Assert.That((source.PicturesOnly, source.UsesM2MChain, source.CaptureMemory), Is.EqualTo((picturesOnly, false, MemoryType.Mmap)));
        if (!picturesOnly) return;
        var withEncoder = ConfigLoader.Parse($"[/dev/video0]\ncapture_format = {format}\nencoder = /dev/video11\n", "c.conf").Sources[0];
        Assert.That(withEncoder.PicturesOnly, Is.False, "an encoder makes video of it");
    }

    private static IEnumerable<TestCaseData> DerivedDefaults()
    {
        // capture_format, decoder?, encoder? -> capture_memory, decoder_input_format, encoder_input_format
        yield return new TestCaseData("H264", null, null, MemoryType.Mmap, "H264", "H264").SetName("H264Alone");
        yield return new TestCaseData("YUYV", null, "/dev/video11", MemoryType.DmaBuf, "YUYV", "YUYV").SetName("YuyvEncoder");
        yield return new TestCaseData("MJPG", "/dev/video10", "/dev/video11", MemoryType.DmaBuf, "MJPG", "NV12").SetName("MjpgDecoderEncoder");
        yield return new TestCaseData("JPEG", "/dev/video10", "/dev/video11", MemoryType.DmaBuf, "MJPG", "NV12").SetName("JpegDecodesAsMjpg");
        yield return new TestCaseData("MJPGH264", null, null, MemoryType.Mmap, "MJPG", "MJPG").SetName("MjpgH264");
    }

    [TestCaseSource(nameof(DerivedDefaults))]
    public void DerivedDefaultsFollowTheOriginal(string format, string? decoder, string? encoder,
        MemoryType captureMemory, string decoderInput, string encoderInput)
    {
        string text = $"[/dev/video0]\ncapture_format = {format}\n" +
            (decoder is null ? "" : $"decoder = {decoder}\n") + (encoder is null ? "" : $"encoder = {encoder}\n");
        SourceConfig camera = ConfigLoader.Parse(text, "c.conf").Sources.Single();
        Assert.That(camera.CaptureMemory, Is.EqualTo(captureMemory));
        Assert.That(camera.DecoderInputFormat, Is.EqualTo(decoderInput));
        Assert.That(camera.EncoderInputFormat, Is.EqualTo(encoderInput));
    }

    [TestCase("1", true)]
    [TestCase("YES", true)]
    [TestCase("True", true)]
    [TestCase("on", true)]
    [TestCase("0", false)]
    [TestCase("no", false)]
    [TestCase("FALSE", false)]
    [TestCase("Off", false)]
    public void BooleanWords(string word, bool expected)
    {
        SourceConfig camera = ConfigLoader.Parse($"[/dev/video0]\nauto_sleep = {word}\n", "c.conf").Sources[0];
        Assert.That(camera.AutoSleep, Is.EqualTo(expected));
    }

    [Test]
    public void ServerKeysParse()
    {
        StreamerConfig config = ConfigLoader.Parse("""
            [server]
            listen = 192.168.1.5
            port = 8443
            priority = -5
            max_clients = 8
            client_queue_bytes = 512K
            client_stall_timeout = 2.5
            sleep_grace = 0
            hls_segment_duration = 2
            hls_window = 10
            hls_part_duration = 0.4
            """, "c.conf");
        ServerConfig server = config.Server;
        Assert.That(server.BindAddress, Is.EqualTo("192.168.1.5"));
        Assert.That((server.Port, server.Priority, server.MaxClients), Is.EqualTo((8443, -5, 8)));
        Assert.That(server.ClientQueueBytes, Is.EqualTo(512 * 1024));
        Assert.That(server.ClientStallTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(2500)));
        Assert.That(server.SleepGrace, Is.EqualTo(TimeSpan.Zero));
        Assert.That((server.HlsSegmentDuration, server.HlsWindow, server.HlsPartDuration),
            Is.EqualTo((TimeSpan.FromSeconds(2), 10, TimeSpan.FromMilliseconds(400))));
    }

    [TestCase("0", 0)]
    [TestCase("0.1", 100)]
    [TestCase("2", 2000)]
    public void HlsPartDurationTakesDecimalSeconds(string value, int milliseconds) =>
        Assert.That(ConfigLoader.Parse($"[server]\nhls_part_duration = {value}\n", "c.conf").Server.HlsPartDuration,
            Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));

    [Test]
    public void PercentInControlValue()
    {
        SourceConfig camera = ConfigLoader.Parse("[/dev/video0]\nosd_text = 100%% cam\n", "c.conf").Sources[0];
        Assert.That(camera.Controls.Single().Value, Is.EqualTo("100% cam"));
    }

    [Test]
    public void TestPatternKeepsServerAndFirstSourceGeometry()
    {
        StreamerConfig config = ConfigLoader.Parse(
            "[server]\nport = 9000\n[/dev/video0]\nwidth = 1280\nheight = 720\nfps = 15\nrotation = 90\n[/dev/video2]\n", "c.conf");
        StreamerConfig pattern = StreamerConfig.ForTestPattern(config);
        Assert.That(pattern.Server, Is.SameAs(config.Server));
        SourceConfig source = pattern.Sources.Single();
        Assert.That((source.Kind, source.Name, source.Width, source.Height, source.Fps, source.Rotation),
            Is.EqualTo((SourceKind.TestPattern, "test", 1280, 720, 15, 90)));
    }

    // The original v3.4.7 fmp4streamer.conf.dist as quoted in its README: copied configs must keep loading.
    private const string OriginalConfDist = """
        [server]
        listen =
        port = 8000
        [/dev/video0]
        width = 640
        height = 480
        fps = 30

        # Device capture format (default: H264)
        # H264, MJPGH264, YUYV, MJPG, JPEG
        # capture_format = H264

        # Decoder M2M device (default: disabled)
        # To decode the stream to a compatible format with the encoder (eg MJPG -> NV12 -> H264)
        # decoder = /dev/video10

        # Encoder M2M device (default: disabled)
        # To encode the stream to H264 (eg YUYV -> H264 or MJPG -> NV12 -> H264)
        # encoder = /dev/video11

        # Auto Sleep mode (default: yes)
        # Sleep the camera when no one is watching the stream
        # auto_sleep = yes

        # Sets the MP4 TRAK rotation matrix (default: 0)
        # 0, 90, 180, 270
        # rotation = 0

        # Controls

        # you can set any V4L2 control too, list them with the -l option
        h264_profile = High
        h264_level = 4.2
        h264_i_frame_period = 15

        uvcx_h264_i_frame_period = 1000
        uvcx_h264_profile = High

        # Advanced (change only if you know, what you are doing)

        # Buffer memory configurations (MMAP or DMABUF)
        # Sometimes contigous memory is not large enough for hardwares and tuning needed

        # default: DMABUF if encoder or decoder else MMAP
        # capture_memory = DMABUF

        # decoder_memory = MMAP-DMABUF
        # encoder_memory = MMAP-MMAP

        # Input format for the decoder (default: MJPG if capture_format == JPEG else capture_format)
        # If the capture_format isn't supported by the decoder directly,
        # but it can decode it with another format eg (capture_format = JPEG, decoder_input_format = MJPG)
        # decoder_input_format = MJPG

        # Input format for the encoder (default: NV12 if decoder else capture_format)
        # encoder_input_format = NV12
        """;

    [Test]
    public void OriginalConfDistLoadsUnchanged()
    {
        StreamerConfig config = ConfigLoader.Parse(OriginalConfDist, "fmp4streamer.conf");
        Assert.That((config.Server.Listen, config.Server.Port), Is.EqualTo(("", 8000)));
        SourceConfig camera = config.Sources.Single();
        Assert.That((camera.Section, camera.Width, camera.Height, camera.Fps, camera.CaptureFormat, camera.AutoSleep),
            Is.EqualTo(("/dev/video0", 640, 480, 30, "H264", true)));
        Assert.That(Controls(camera.Controls), Is.EqualTo(
            "h264_profile=High@fmp4streamer.conf:32 h264_level=4.2@fmp4streamer.conf:33 " +
            "h264_i_frame_period=15@fmp4streamer.conf:34 uvcx_h264_i_frame_period=1000@fmp4streamer.conf:36 " +
            "uvcx_h264_profile=High@fmp4streamer.conf:37"));
        Assert.That(config.Warnings, Is.Empty);
    }
}
