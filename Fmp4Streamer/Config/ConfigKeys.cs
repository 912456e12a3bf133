namespace Fmp4Streamer.Config;

/// <summary>
/// The one table of config keys (camera-streamer's option table): the parser validates with it, the built-in
/// defaults are parsed from it, fmp4streamer.conf.dist is checked against it and help text comes from it.
/// Spellings and defaults of the original keys follow fmp4streamer v3.4.7 (spec section 2).
/// </summary>
public static class ConfigKeys
{
    public const string ServerSection = "server";

    /// <summary>configparser's default section: its keys are visible in every section.</summary>
    public const string DefaultSection = "DEFAULT";

    public const string MjpgH264 = "MJPGH264";

    /// <summary>
    /// Keys starting with this in a source section with <c>audio = hw:...</c> set that sound card's mixer controls
    /// (mixer_capture_volume); not table rows, since the card names them, as a camera names its V4L2 controls.
    /// </summary>
    public const string MixerPrefix = "mixer_";

    // [server]

    public static readonly ConfigKey Listen = new("listen", ConfigScope.Server, ConfigKeyType.Address, "",
        "empty", "address to listen on; empty = every IPv4 and IPv6 address (dual-stack ::)");

    public static readonly ConfigKey Port = new("port", ConfigScope.Server, ConfigKeyType.Port, "8000",
        "8000", "TCP port of the HTTP server", 1, 65535);

    public static readonly ConfigKey Priority = new("priority", ConfigScope.Server, ConfigKeyType.Integer, "0",
        "0", "process nice value, -20..19 (negative values need CAP_SYS_NICE; failure only warns)", -20, 19);

    public static readonly ConfigKey LogLevel = new("log_level", ConfigScope.Server, ConfigKeyType.LogLevel, "info",
        "info", "least important log lines written: error, warning, info or debug (-v on the command line = debug)");

    public static readonly ConfigKey MaxClients = new("max_clients", ConfigScope.Server, ConfigKeyType.Integer,
        "100", "100", "most simultaneous HTTP clients; more are refused", 1, 10000);

    // Ten covers a browser's parallel connections (six) plus a player or two on the same host or behind one NAT.
    public static readonly ConfigKey MaxConnectionsPerAddress = new("max_connections_per_address", ConfigScope.Server,
        ConfigKeyType.Integer, "10", "10", "most open connections from one client address; more are closed at once", 1, 10000);

    // 4 MiB is 4 s of an 8 Mbit/s 1080p stream: longer than one GOP at the usual 1-2 s key-frame period, and
    // many times the largest key frame (~0.3-0.5 MB at 1080p), so a Wi-Fi hiccup does not cost a skip. The
    // bytes are references to shared fragments, so memory is bounded by the slowest client, not the sum.
    public static readonly ConfigKey ClientQueueBytes = new("client_queue_bytes", ConfigScope.Server,
        ConfigKeyType.Bytes, "4M", "4M",
        "unsent bytes a slow client may queue before it skips to the next key frame (K, M, G suffixes)",
        64 * 1024, 1024L * 1024 * 1024);

    public static readonly ConfigKey ClientStallTimeout = new("client_stall_timeout", ConfigScope.Server,
        ConfigKeyType.Seconds, "10", "10", "seconds a client may accept no bytes before it is dropped", 1, 3600);

    public static readonly ConfigKey SleepGrace = new("sleep_grace", ConfigScope.Server, ConfigKeyType.Seconds,
        "5", "5", "seconds a source keeps streaming after its last client left (with auto_sleep)", 0, 3600);

    public static readonly ConfigKey CorsOrigin = new("cors_origin", ConfigScope.Server, ConfigKeyType.Origin, "*",
        "*", "Access-Control-Allow-Origin of pages, playlists, segments and streams: *, one origin, or empty for none");

    // HLS (the segmenter's defaults, Streaming/Hls/HlsOptions.cs). The minimum stays well under the 20 s after
    // which a segment without a key frame is dropped.
    public static readonly ConfigKey HlsSegmentDuration = new("hls_segment_duration", ConfigScope.Server,
        ConfigKeyType.Seconds, "1", "1",
        "HLS segments end at the first key frame after this many seconds (longer when key frames are rarer)", 1, 10);

    public static readonly ConfigKey HlsWindow = new("hls_window", ConfigScope.Server, ConfigKeyType.Integer, "6",
        "6", "HLS segments listed in the live playlist; older ones are released", 3, 30);

    public static readonly ConfigKey HlsPartDuration = new("hls_part_duration", ConfigScope.Server,
        ConfigKeyType.Seconds, "0.25", "0.25",
        "Low-Latency HLS part length in seconds (at least 1.25 frames); 0 = plain HLS without parts", 0, 2);

    // RTSP (RFC 2326) beside HTTP.
    public static readonly ConfigKey RtspPort = new("rtsp_port", ConfigScope.Server, ConfigKeyType.Integer, "8554",
        "8554", "TCP port of the RTSP server; 0 = no RTSP", 0, 65535);

    // 1400 leaves room for IP, UDP and tunnel headers within a 1500-byte Ethernet MTU.
    public static readonly ConfigKey RtspMtu = new("rtsp_mtu", ConfigScope.Server, ConfigKeyType.Integer, "1400",
        "1400", "largest RTP packet in bytes", 256, 9000);

    public static readonly ConfigKey RtspUdpPorts = new("rtsp_udp_ports", ConfigScope.Server, ConfigKeyType.Text,
        "8000-8999", "8000-8999", "UDP ports for RTP/RTCP over UDP, as even/odd pairs: first-last");

    // Access: users, who needs none, who may change settings, and whose forwarded addresses to believe.
    public static readonly ConfigKey Htpasswd = new("htpasswd", ConfigScope.Server, ConfigKeyType.FilePath, "",
        "none", "htpasswd file of users (bcrypt entries, htpasswd -B); every URL and RTSP then needs one");

    // Loopback: a local nginx, Moonraker or timelapse tool keeps working without a password.
    public static readonly ConfigKey AuthExempt = new("auth_exempt", ConfigScope.Server, ConfigKeyType.Networks,
        "127.0.0.0/8, ::1", "127.0.0.0/8, ::1", "networks whose clients need no user; empty = nobody is exempt");

    public static readonly ConfigKey Admins = new("admins", ConfigScope.Server, ConfigKeyType.NameList, "",
        "none", "users who may change settings; without htpasswd, only auth_exempt clients may");

    public static readonly ConfigKey TrustedProxies = new("trusted_proxies", ConfigScope.Server, ConfigKeyType.Networks, "",
        "none", "proxies whose X-Forwarded-For and Forwarded headers name the real client (addresses or networks)");

    public static readonly ConfigKey PersistControls = new("persist_controls", ConfigScope.Server, ConfigKeyType.Boolean,
        "yes", "yes", "write control values changed over HTTP into this config file; no = keep them until the daemon stops");

    // source sections

    public static readonly ConfigKey Name = new("name", ConfigScope.Source, ConfigKeyType.StreamName, null,
        "device basename (video0) or section name",
        "stream name used in URLs; letters, digits, '.', '_', '-'; unique");

    public static readonly ConfigKey Command = new("command", ConfigScope.Source, ConfigKeyType.Text, "",
        "none", "shell command writing Annex-B H264 to stdout; makes the section a command source");

    public static readonly ConfigKey TestPattern = new("test_pattern", ConfigScope.Source, ConfigKeyType.Boolean,
        "no", "no", "yes = built-in test pattern instead of a device");

    public static readonly ConfigKey Width = new("width", ConfigScope.Source, ConfigKeyType.Integer, "640",
        "640", "stream width in pixels", 1, 16384);

    public static readonly ConfigKey Height = new("height", ConfigScope.Source, ConfigKeyType.Integer, "480",
        "480", "stream height in pixels", 1, 16384);

    public static readonly ConfigKey Fps = new("fps", ConfigScope.Source, ConfigKeyType.Integer, "30",
        "30", "frames per second requested from the device", 1, 240);

    public static readonly ConfigKey AutoSleep = new("auto_sleep", ConfigScope.Source, ConfigKeyType.Boolean,
        "yes", "yes", "stop the source while no one is watching");

    public static readonly ConfigKey Rotation = new("rotation", ConfigScope.Source, ConfigKeyType.Rotation,
        "0", "0", "MP4 track rotation: 0, 90, 180 or 270");

    // Pictures (snapshots and MJPEG). 85 keeps a 720p snapshot near 100 KB with no visible blocks; 15 fps is
    // Moonraker's default target_fps for its MJPEG streamer.
    public static readonly ConfigKey SnapshotQuality = new("snapshot_quality", ConfigScope.Source, ConfigKeyType.Integer,
        "85", "85", "JPEG quality of snapshots and MJPEG frames, 1..100", 1, 100);

    public static readonly ConfigKey SnapshotWidth = new("snapshot_width", ConfigScope.Source, ConfigKeyType.Integer,
        "0", "0", "largest width of snapshots and MJPEG frames (scaled down, aspect kept); 0 = the stream's width", 0, 16384);

    public static readonly ConfigKey MjpegFps = new("mjpeg_fps", ConfigScope.Source, ConfigKeyType.Integer,
        "15", "15", "most frames per second of the MJPEG stream", 1, 60);

    // Sound (a second track of AAC).
    public static readonly ConfigKey Audio = new("audio", ConfigScope.Source, ConfigKeyType.Text, "", "none",
        "ALSA capture device of the stream's sound: hw:1,0, hw:CARD=Name,DEV=0, hw:1,0,2 (a subdevice) or /dev/snd/pcmC1D0c");

    public static readonly ConfigKey AudioCommand = new("audio_command", ConfigScope.Source, ConfigKeyType.Text, "",
        "none", "shell command writing raw S16_LE PCM (audio_rate, audio_channels) to stdout, instead of audio");

    public static readonly ConfigKey AudioRate = new("audio_rate", ConfigScope.Source, ConfigKeyType.Integer, "48000",
        "48000", "sound sample rate: 48000, 44100, 32000 or 16000", 16000, 48000);

    public static readonly ConfigKey AudioChannels = new("audio_channels", ConfigScope.Source, ConfigKeyType.Integer,
        "1", "1", "sound channels: 1 or 2", 1, 2);

    // 0 = by channel count: 64 kbit/s mono, 96 stereo.
    public static readonly ConfigKey AudioBitrate = new("audio_bitrate", ConfigScope.Source, ConfigKeyType.Integer,
        "0", "64 mono, 96 stereo", "AAC bitrate in kbit/s (constant)", 0, 552);

    public static readonly ConfigKey TestPatternAudio = new("test_pattern_audio", ConfigScope.Source,
        ConfigKeyType.Boolean, "no", "no",
        "yes = the test pattern has sound: a 1 kHz burst at each full second, when its picture flashes");

    public static readonly ConfigKey CaptureFormat = new("capture_format", ConfigScope.Device,
        ConfigKeyType.CaptureFormat, "H264", "H264",
        "device capture format: H264, MJPGH264, YUYV, MJPG, JPEG or another fourcc");

    public static readonly ConfigKey Decoder = new("decoder", ConfigScope.Device, ConfigKeyType.DevicePath, "",
        "none", "M2M decoder device, e.g. /dev/video10 (MJPG -> NV12)");

    public static readonly ConfigKey Encoder = new("encoder", ConfigScope.Device, ConfigKeyType.DevicePath, "",
        "none", "M2M H264 encoder device, e.g. /dev/video11");

    public static readonly ConfigKey CaptureMemory = new("capture_memory", ConfigScope.Device,
        ConfigKeyType.Memory, null, "DMABUF with a decoder or encoder, else MMAP",
        "memory of the camera's capture queue: MMAP or DMABUF");

    public static readonly ConfigKey DecoderMemory = new("decoder_memory", ConfigScope.Device,
        ConfigKeyType.MemoryPair, "MMAP-DMABUF", "MMAP-DMABUF", "decoder memory, INPUT-CAPTURE");

    public static readonly ConfigKey EncoderMemory = new("encoder_memory", ConfigScope.Device,
        ConfigKeyType.MemoryPair, "MMAP-MMAP", "MMAP-MMAP", "encoder memory, INPUT-CAPTURE");

    public static readonly ConfigKey DecoderInputFormat = new("decoder_input_format", ConfigScope.Device,
        ConfigKeyType.FourCC, null, "MJPG if capture_format is JPEG, else capture_format",
        "fourcc set on the decoder's input queue");

    public static readonly ConfigKey EncoderInputFormat = new("encoder_input_format", ConfigScope.Device,
        ConfigKeyType.FourCC, null, "NV12 with a decoder, else capture_format",
        "fourcc set on the encoder's input queue");

    public static IReadOnlyList<ConfigKey> All { get; } =
    [
        Listen, Port, Priority, LogLevel, MaxClients, MaxConnectionsPerAddress, ClientQueueBytes, ClientStallTimeout, SleepGrace,
        CorsOrigin,
        HlsSegmentDuration, HlsWindow, HlsPartDuration, RtspPort, RtspMtu, RtspUdpPorts,
        Htpasswd, AuthExempt, Admins, TrustedProxies, PersistControls,
        Name, Command, TestPattern, Width, Height, Fps, AutoSleep, Rotation, SnapshotQuality, SnapshotWidth, MjpegFps,
        Audio, AudioCommand, AudioRate, AudioChannels, AudioBitrate, TestPatternAudio,
        CaptureFormat, Decoder, Encoder, CaptureMemory, DecoderMemory, EncoderMemory,
        DecoderInputFormat, EncoderInputFormat,
    ];

    /// <summary>The row for a (lower-case) key, or null for a control.</summary>
    public static ConfigKey? Find(string name)
    {
        foreach (ConfigKey key in All)
            if (key.Name == name) return key;
        return null;
    }

    /// <summary>Comma-separated names of the keys of one scope (for "valid keys: ..." messages).</summary>
    public static string Names(ConfigScope scope)
    {
        var names = new List<string>();
        foreach (ConfigKey key in All)
            if (key.Scope == scope) names.Add(key.Name);
        return string.Join(", ", names);
    }
}
