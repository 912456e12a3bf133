using Fmp4Streamer.Config;

namespace Fmp4Streamer.Tests.Config;

/// <summary>Every config error message, exactly (mediamtx TestConfErrors style).</summary>
public class ConfigErrorTests
{
    private static TestCaseData Case(string name, string text, string message) =>
        new TestCaseData(text, message).SetName(name);

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("NulAfterANumber", "[server]\nport = 8000\0\n",
            "c.conf:2: port: '8000' is followed by a NUL byte (character 5 of the value); remove it");
        yield return Case("ControlCharacterInAValue", "[/dev/video0]\nwidth = 64\u000140\n",
            "c.conf:2: width: '64' is followed by the control character 0x01 (character 3 of the value); remove it");
        yield return Case("BadLogLevel", "[server]\nlog_level = verbose\n",
            "c.conf:2: log_level: 'verbose' is not a log level; use error, warning, info or debug");
        yield return Case("BadPort", "[server]\nport = abc\n",
            "c.conf:2: port: 'abc' is not a port number");
        yield return Case("PortOutOfRange", "[server]\nport = 70000\n",
            "c.conf:2: port: '70000' is not a port number (1..65535)");
        yield return Case("PortZero", "[server]\nport = 0\n",
            "c.conf:2: port: '0' is not a port number (1..65535)");
        yield return Case("PortWithInlineComment", "[server]\nport = 8000 # web\n",
            "c.conf:2: port: '8000 # web' is not a port number (comments must be on their own line)");
        yield return Case("PortWithContinuation", "[server]\nport = 8000\n  listen = x\n",
            "c.conf:2: port: '8000\\nlisten = x' is not a port number (the indented line after it continues the value; remove the indentation)");
        yield return Case("BadListen", "[server]\nlisten = a b\n",
            "c.conf:2: listen: 'a b' is not an IP address or host name (leave it empty for all addresses)");
        yield return Case("BadPriority", "[server]\npriority = -21\n",
            "c.conf:2: priority: '-21' is out of range -20..19");
        yield return Case("BadQueueBytes", "[server]\nclient_queue_bytes = 4X\n",
            "c.conf:2: client_queue_bytes: '4X' is not a size; use a number of bytes with an optional K, M or G suffix (e.g. 4M)");
        yield return Case("QueueBytesTooSmall", "[server]\nclient_queue_bytes = 1K\n",
            "c.conf:2: client_queue_bytes: '1K' is out of range 64K..1G");
        yield return Case("BadStallTimeout", "[server]\nclient_stall_timeout = 0\n",
            "c.conf:2: client_stall_timeout: '0' is out of range 1..3600 seconds");
        yield return Case("BadSleepGrace", "[server]\nsleep_grace = soon\n",
            "c.conf:2: sleep_grace: 'soon' is not a number of seconds");
        yield return Case("CorsOriginWithPath", "[server]\ncors_origin = https://a.example/x\n",
            "c.conf:2: cors_origin: 'https://a.example/x' is not '*' or an origin such as https://example.com (scheme://host[:port], no path)");
        yield return Case("CorsOriginWithoutScheme", "[server]\ncors_origin = a.example\n",
            "c.conf:2: cors_origin: 'a.example' is not '*' or an origin such as https://example.com (scheme://host[:port], no path)");
        yield return Case("HlsSegmentDurationZero", "[server]\nhls_segment_duration = 0.5\n",
            "c.conf:2: hls_segment_duration: '0.5' is out of range 1..10 seconds");
        yield return Case("HlsSegmentDurationNotNumber", "[server]\nlisten =\nhls_segment_duration = 2s\n",
            "c.conf:3: hls_segment_duration: '2s' is not a number of seconds");
        yield return Case("HlsWindowTooSmall", "[server]\nhls_window = 2\n",
            "c.conf:2: hls_window: '2' is out of range 3..30");
        yield return Case("HlsWindowTooLarge", "[server]\nhls_window = 31\n",
            "c.conf:2: hls_window: '31' is out of range 3..30");
        yield return Case("HlsPartDurationTooLong", "[server]\nhls_part_duration = 2.5\n",
            "c.conf:2: hls_part_duration: '2.5' is out of range 0..2 seconds");
        yield return Case("HlsPartDurationInMilliseconds", "[server]\nhls_part_duration = 250ms\n",
            "c.conf:2: hls_part_duration: '250ms' is not a number of seconds");
        yield return Case("HlsKeyInDevice", "[/dev/video0]\nhls_window = 6\n",
            "c.conf:2: hls_window: belongs in [server], not in [/dev/video0]");
        yield return Case("UnknownServerKey", "[server]\nlisten =\nbogus = 1\n",
            "c.conf:3: bogus: unknown key in [server]; valid keys: listen, port, priority, log_level, max_clients, max_connections_per_address, client_queue_bytes, client_stall_timeout, sleep_grace, cors_origin, hls_segment_duration, hls_window, hls_part_duration, rtsp_port, rtsp_mtu, rtsp_udp_ports, htpasswd, auth_exempt, admins, trusted_proxies, persist_controls");
        yield return Case("SourceKeyInServer", "[server]\ncapture_format = H264\n",
            "c.conf:2: capture_format: belongs in a source section such as [/dev/video0], not in [server]");
        yield return Case("ServerKeyInDevice", "[/dev/video0]\nport = 8000\n",
            "c.conf:2: port: belongs in [server], not in [/dev/video0]");
        yield return Case("CapitalisedServer", "[Server]\nport = 8000\n",
            "c.conf:1: section names are case-sensitive: write [server] instead of [Server]");
        yield return Case("LowerCaseDefault", "[default]\nwidth = 1\n",
            "c.conf:1: section names are case-sensitive: write [DEFAULT] instead of [default]");
        yield return Case("BadBool", "[/dev/video0]\nauto_sleep = maybe\n",
            "c.conf:2: auto_sleep: 'maybe' is not a boolean; use yes/no, true/false, on/off or 1/0");
        yield return Case("BadRotation", "[/dev/video0]\nrotation = 45\n",
            "c.conf:2: rotation: '45' is not a rotation; use 0, 90, 180 or 270");
        yield return Case("WidthNotNumber", "[/dev/video0]\nwidth = wide\n",
            "c.conf:2: width: 'wide' is not an integer");
        yield return Case("HeightZero", "[/dev/video0]\nheight = 0\n",
            "c.conf:2: height: '0' is out of range 1..16384");
        yield return Case("FpsTooHigh", "[/dev/video0]\nfps = 241\n",
            "c.conf:2: fps: '241' is out of range 1..240");
        yield return Case("BadMemory", "[/dev/video0]\ncapture_memory = USERPTR\n",
            "c.conf:2: capture_memory: 'USERPTR' is not a memory type; use MMAP or DMABUF");
        yield return Case("BadMemoryPair", "[/dev/video0]\nencoder = /dev/video11\ncapture_format = YUYV\nencoder_memory = MMAP\n",
            "c.conf:4: encoder_memory: 'MMAP' is not a memory pair; use INPUT-CAPTURE with MMAP or DMABUF on each side, e.g. MMAP-DMABUF");
        yield return Case("BadMemoryPairSide", "[/dev/video0]\ndecoder_memory = MMAP-SHM\n",
            "c.conf:2: decoder_memory: 'MMAP-SHM' is not a memory pair; use INPUT-CAPTURE with MMAP or DMABUF on each side, e.g. MMAP-DMABUF");
        yield return Case("BadCaptureFormat", "[/dev/video0]\ncapture_format = H26\n",
            "c.conf:2: capture_format: 'H26' is not a capture format; use exactly 4 characters (H264, YUYV, MJPG, JPEG, NV12, ...) or MJPGH264");
        yield return Case("BadFourCC", "[/dev/video0]\ncapture_format = YUYV\nencoder = /dev/video11\nencoder_input_format = NV12X\n",
            "c.conf:4: encoder_input_format: 'NV12X' is not a fourcc; use exactly 4 characters (e.g. MJPG, NV12, YUYV)");
        yield return Case("RawFormatWithoutEncoder", "[/dev/video0]\ncapture_format = RGB3\n",
            "c.conf:2: capture_format: 'RGB3' is not H264 or MJPGH264, nor a picture format (MJPG, JPEG, YUYV, NV12) served alone: add an M2M H264 encoder (e.g. encoder = /dev/video11)");
        yield return Case("DecoderWithoutEncoder", "[/dev/video0]\ncapture_format = MJPG\ndecoder = /dev/video10\n",
            "c.conf:3: decoder: '/dev/video10' decodes to raw frames: add an H264 encoder after it (e.g. encoder = /dev/video11)");
        yield return Case("MjpgH264WithEncoder", "[/dev/video0]\ncapture_format = MJPGH264\nencoder = /dev/video11\n",
            "c.conf:3: encoder: capture_format = MJPGH264 already delivers H264; remove the decoder and encoder or capture MJPG");
        yield return Case("LastElementNotMmap", "[/dev/video0]\ncapture_format = YUYV\nencoder = /dev/video11\nencoder_memory = MMAP-DMABUF\n",
            "c.conf:4: encoder_memory: the capture memory of the last element in the chain must be MMAP (MMAP-DMABUF)");
        yield return Case("CameraAloneNotMmap", "[/dev/video0]\ncapture_memory = DMABUF\n",
            "c.conf:2: capture_memory: the capture memory of the last element in the chain must be MMAP (DMABUF)");
        yield return Case("DmabufToDmabuf", "[/dev/video0]\ncapture_format = YUYV\nencoder = /dev/video11\nencoder_memory = DMABUF-MMAP\n",
            "c.conf:4: encoder_memory: the input of this stage and the capture of the previous one (capture_memory = DMABUF) are both DMABUF; use MMAP on at least one side");
        yield return Case("DecoderDmabufToEncoderDmabuf",
            "[/dev/video0]\ncapture_format = MJPG\ndecoder = /dev/video10\nencoder = /dev/video11\nencoder_memory = DMABUF-MMAP\n",
            "c.conf:5: encoder_memory: the input of this stage and the capture of the previous one (decoder_memory = MMAP-DMABUF) are both DMABUF; use MMAP on at least one side");
        yield return Case("DuplicateNames", "[/dev/video0]\n[/dev/v4l/by-path/video0]\n",
            "c.conf:2: name: stream name 'video0' of [/dev/v4l/by-path/video0] is already used by [/dev/video0] (c.conf:1); set name = ... to tell them apart");
        yield return Case("DuplicateExplicitNames", "[/dev/video0]\nname = cam\n[/dev/video2]\nname = cam\n",
            "c.conf:4: name: stream name 'cam' of [/dev/video2] is already used by [/dev/video0] (c.conf:1); set name = ... to tell them apart");
        yield return Case("BadName", "[/dev/video0]\nname = my cam\n",
            "c.conf:2: name: 'my cam' is not a stream name; use letters, digits, '.', '_' and '-', starting with a letter or digit");
        yield return Case("UnnameableSection", "[***]\ntest_pattern = yes\n",
            "c.conf:1: name: cannot make a stream name from [***]; set name = ... (letters, digits, '.', '_', '-')");
        yield return Case("CommandAndTestPattern", "[x]\ncommand = cat a.h264\ntest_pattern = yes\n",
            "c.conf:3: test_pattern: a section has either command = ... or test_pattern = yes, not both");
        yield return Case("AudioAndAudioCommand", "[/dev/video0]\naudio = hw:1,0\naudio_command = arecord -t raw\n",
            "c.conf:3: audio_command: a section has either audio = ... or audio_command = ..., not both");
        yield return Case("TestPatternAudioOnACamera", "[/dev/video0]\ntest_pattern_audio = yes\n",
            "c.conf:2: test_pattern_audio: is only valid with test_pattern = yes");
        yield return Case("BadAudioRate", "[/dev/video0]\naudio = hw:1,0\naudio_rate = 22050\n",
            "c.conf:3: audio_rate: 22050 is not one of 48000, 44100, 32000, 16000");
        yield return Case("AudioBitrateAboveTheFrameLimit", "[/dev/video0]\naudio_rate = 16000\naudio_bitrate = 200\n",
            "c.conf:3: audio_bitrate: 200 kbit/s is outside 8..92 for 1 channel(s) at 16000 Hz");
        yield return Case("BadAudioChannels", "[/dev/video0]\naudio_channels = 3\n",
            "c.conf:2: audio_channels: '3' is out of range 1..2");
        yield return Case("EmptyCommand", "[x]\ncommand =\n",
            "c.conf:2: command: is empty");
        yield return Case("ControlInCommandSection", "[x]\ncommand = cat a.h264\nbrightness = 5\n",
            "c.conf:3: brightness: is not valid in the command section [x]; valid keys: name, command, test_pattern, width, height, fps, auto_sleep, rotation, snapshot_quality, snapshot_width, mjpeg_fps, audio, audio_command, audio_rate, audio_channels, audio_bitrate, test_pattern_audio");
        yield return Case("DeviceKeyInTestPattern", "[x]\ntest_pattern = on\nencoder = /dev/video11\n",
            "c.conf:3: encoder: is not valid in the test pattern section [x]; valid keys: name, command, test_pattern, width, height, fps, auto_sleep, rotation, snapshot_quality, snapshot_width, mjpeg_fps, audio, audio_command, audio_rate, audio_channels, audio_bitrate, test_pattern_audio");
        yield return Case("ConfigKeyInEncoderSection",
            "[/dev/video0]\ncapture_format = YUYV\nencoder = /dev/video11\n[/dev/video11]\nwidth = 640\n",
            "c.conf:5: width: is not valid in [/dev/video11], the encoder of [/dev/video0] (c.conf:3); an encoder or decoder section holds only V4L2 controls");
        yield return Case("OwnEncoder", "[/dev/video0]\nencoder = /dev/video0\n",
            "c.conf:2: encoder: [/dev/video0] cannot be its own encoder");
        yield return Case("ServerAsEncoder", "[/dev/video0]\nencoder = server\n",
            "c.conf:2: encoder: 'server' is not a device path (e.g. /dev/video11)");
        yield return Case("BadBoolInDefault", "[DEFAULT]\nauto_sleep = sometimes\n[/dev/video0]\n",
            "c.conf:2: auto_sleep: 'sometimes' is not a boolean; use yes/no, true/false, on/off or 1/0");
    }

    [TestCaseSource(nameof(Cases))]
    public void RejectsWithExactMessage(string text, string message)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(text, "c.conf"));
        Assert.That(e!.Message, Is.EqualTo(message));
    }

    [Test]
    public void MissingExplicitFileIsAnError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fmp4streamer-missing-{Guid.NewGuid():N}.conf");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, explicitPath: true));
        Assert.That(e!.Message, Is.EqualTo($"{path}: config file not found"));
    }

    [Test]
    public void DirectoryIsAnError()
    {
        string path = Path.GetTempPath().TrimEnd('/');
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, explicitPath: false));
        Assert.That(e!.Message, Is.EqualTo($"{path}: is a directory, not a config file"));
    }

    [Test]
    public void MissingDefaultFileGivesTheDefaults()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fmp4streamer-missing-{Guid.NewGuid():N}.conf");
        Assert.That(ConfigLoader.Load(path, explicitPath: false), Is.SameAs(StreamerConfig.Default));
    }

    [Test]
    public void ErrorsForLaterLayersNameTheLine()
    {
        StreamerConfig config = ConfigLoader.Parse(
            "[server]\n[/dev/video0]\nwidth = 1920\nbrightness = 300\n", "c.conf");
        SourceConfig camera = config.Sources[0];
        Assert.That(camera.Error("width", "1920x480 not offered").Message, Is.EqualTo("c.conf:3: width: 1920x480 not offered"));
        Assert.That(camera.Error("capture_format", "H264 not offered").Message,
            Is.EqualTo("c.conf:2: capture_format: H264 not offered"));
        Assert.That(camera.Controls[0].Error("'300' is out of range 0..255").Message,
            Is.EqualTo("c.conf:4: brightness: '300' is out of range 0..255"));
        Assert.That(StreamerConfig.Default.Sources[0].Error("capture_format", "x").Message,
            Is.EqualTo("(built-in default): capture_format: x"));
    }
}
