namespace Fmp4Streamer.Config;

/// <summary>
/// Turns an <see cref="IniDocument"/> into a <see cref="StreamerConfig"/> with the original's section
/// semantics: [server]; every other section is a source, except sections named by a decoder =/encoder =
/// (M2M device sections holding only that device's controls); [DEFAULT] keys are visible everywhere.
/// Where the original ignored or crashed on a value, this throws a ConfigException naming file, line and key.
/// </summary>
public static class ConfigParser
{
    /// <summary>The device used when the file has no source section (as the original).</summary>
    public const string DefaultDevice = "/dev/video0";

    public static StreamerConfig Parse(IniDocument document)
    {
        var warnings = new List<string>();
        IniSection? defaults = null;
        IniSection? server = null;
        var others = new List<IniSection>();
        foreach (IniSection section in document.Sections)
        {
            if (section.Name == ConfigKeys.DefaultSection) defaults = section;
            else if (section.Name == ConfigKeys.ServerSection) server = section;
            else
            {
                // configparser would take [Server] as a camera device: say what was meant instead.
                if (section.Name.Equals(ConfigKeys.ServerSection, StringComparison.OrdinalIgnoreCase) ||
                    section.Name.Equals(ConfigKeys.DefaultSection, StringComparison.OrdinalIgnoreCase))
                    throw new ConfigException(section.Location, null,
                        $"section names are case-sensitive: write [{(section.Name.Length == 6 ? ConfigKeys.ServerSection : ConfigKeys.DefaultSection)}] instead of [{section.Name}]");
                others.Add(section);
            }
        }

        ServerConfig serverConfig = ParseServer(document, server, defaults, warnings);
        Dictionary<string, M2MReference> references = FindReferences(others, defaults);

        var sources = new List<SourceConfig>();
        foreach (IniSection section in others)
        {
            if (references.TryGetValue(section.Name, out M2MReference? reference))
                CheckM2MSection(section, reference);
            else
                sources.Add(ParseSource(section, document, defaults, warnings));
        }
        if (sources.Count == 0)
        {
            var implicitSection = new IniSection(DefaultDevice, new ConfigLocation(document.FileName, 0));
            sources.Add(ParseSource(implicitSection, document, defaults, warnings));
        }
        CheckUniqueNames(sources);

        return new StreamerConfig
        {
            FileName = document.FileName,
            Server = serverConfig,
            Sources = sources,
            Warnings = warnings,
        };
    }

    private static ServerConfig ParseServer(IniDocument document, IniSection? section, IniSection? defaults,
        List<string> warnings)
    {
        var location = section?.Location ?? new ConfigLocation(document.FileName, 0);
        var values = new SectionValues(location);
        if (section is not null)
        {
            foreach (ConfigEntry entry in section.Entries)
            {
                ConfigKey? key = ConfigKeys.Find(entry.Key);
                if (key is not null && key.Scope == ConfigScope.Server)
                    values.Entries[entry.Key] = entry;
                else if (IsDefaultSizeKey(entry.Key))
                    // The original kept width/height/fps in DEFAULT, so they were visible (and unused) here.
                    warnings.Add($"{entry.Location}: {entry.Key}: ignored in [server]; set it in the device section");
                else if (key is not null)
                    throw entry.Error($"belongs in a source section such as [{DefaultDevice}], not in [server]");
                else
                    throw entry.Error($"unknown key in [server]; valid keys: {ConfigKeys.Names(ConfigScope.Server)}");
            }
        }
        if (defaults is not null)
        {
            foreach (ConfigEntry entry in defaults.Entries)
            {
                ConfigKey? key = ConfigKeys.Find(entry.Key);
                if (key is not null && key.Scope == ConfigScope.Server && !values.Has(key))
                    values.Entries[entry.Key] = entry;
            }
        }

        return new ServerConfig
        {
            Listen = values.Address(ConfigKeys.Listen),
            Port = values.Integer(ConfigKeys.Port),
            Priority = values.Integer(ConfigKeys.Priority),
            LogLevel = values.LogLevel(ConfigKeys.LogLevel),
            MaxClients = values.Integer(ConfigKeys.MaxClients),
            MaxConnectionsPerAddress = values.Integer(ConfigKeys.MaxConnectionsPerAddress),
            ClientQueueBytes = values.Bytes(ConfigKeys.ClientQueueBytes),
            ClientStallTimeout = values.Seconds(ConfigKeys.ClientStallTimeout),
            SleepGrace = values.Seconds(ConfigKeys.SleepGrace),
            CorsOrigin = values.Origin(ConfigKeys.CorsOrigin),
            HlsSegmentDuration = values.Seconds(ConfigKeys.HlsSegmentDuration),
            HlsWindow = values.Integer(ConfigKeys.HlsWindow),
            HlsPartDuration = values.Seconds(ConfigKeys.HlsPartDuration),
            RtspPort = values.Integer(ConfigKeys.RtspPort),
            RtspMtu = values.Integer(ConfigKeys.RtspMtu),
            RtspUdpPorts = values.PortRange(ConfigKeys.RtspUdpPorts),
            Htpasswd = values.FilePath(ConfigKeys.Htpasswd),
            AuthExempt = values.Networks(ConfigKeys.AuthExempt),
            Admins = values.NameList(ConfigKeys.Admins),
            TrustedProxies = values.Networks(ConfigKeys.TrustedProxies),
            PersistControls = values.Boolean(ConfigKeys.PersistControls),
            Location = location,
            Entries = values.Entries,
        };
    }

    private static bool IsDefaultSizeKey(string key) =>
        key == ConfigKeys.Width.Name || key == ConfigKeys.Height.Name || key == ConfigKeys.Fps.Name;

    /// <summary>Who first names a section as its decoder or encoder.</summary>
    private sealed record M2MReference(ConfigEntry Entry, string Referrer);

    private static Dictionary<string, M2MReference> FindReferences(List<IniSection> sections, IniSection? defaults)
    {
        var references = new Dictionary<string, M2MReference>();
        foreach (IniSection section in sections)
        {
            AddReference(references, section.Find(ConfigKeys.Decoder.Name), section.Name);
            AddReference(references, section.Find(ConfigKeys.Encoder.Name), section.Name);
        }
        if (defaults is not null)
        {
            AddReference(references, defaults.Find(ConfigKeys.Decoder.Name), defaults.Name);
            AddReference(references, defaults.Find(ConfigKeys.Encoder.Name), defaults.Name);
        }
        return references;
    }

    private static void AddReference(Dictionary<string, M2MReference> references, ConfigEntry? entry, string referrer)
    {
        if (entry is null || entry.Value.Length == 0) return;
        if (entry.Value == referrer)
            throw entry.Error($"[{referrer}] cannot be its own {entry.Key}");
        if (entry.Value == ConfigKeys.ServerSection || entry.Value == ConfigKeys.DefaultSection)
            throw entry.Error($"'{entry.Value}' is not a device path (e.g. /dev/video11)");
        references.TryAdd(entry.Value, new M2MReference(entry, referrer));
    }

    private static void CheckM2MSection(IniSection section, M2MReference reference)
    {
        foreach (ConfigEntry entry in section.Entries)
        {
            if (ConfigKeys.Find(entry.Key) is not null)
                throw entry.Error(
                    $"is not valid in [{section.Name}], the {reference.Entry.Key} of [{reference.Referrer}] " +
                    $"({reference.Entry.Location}); an encoder or decoder section holds only V4L2 controls");
        }
    }

    private static string? OptionalText(ConfigEntry? entry)
    {
        if (entry is null) return null;
        string text = ConfigValues.ParseText(entry);
        return text.Length == 0 ? null : text;
    }

    private static SourceConfig ParseSource(IniSection section, IniDocument document, IniSection? defaults,
        List<string> warnings)
    {
        var values = new SectionValues(section.Location);
        var ownControls = new List<ConfigEntry>();
        foreach (ConfigEntry entry in section.Entries)
        {
            ConfigKey? key = ConfigKeys.Find(entry.Key);
            if (key is null) ownControls.Add(entry);
            else if (key.Scope == ConfigScope.Server)
                throw entry.Error($"belongs in [server], not in [{section.Name}]");
            else values.Entries[entry.Key] = entry;
        }
        // configparser lists DEFAULT keys first, then the section's own; a section's key overrides DEFAULT's.
        var controls = new List<ConfigEntry>();
        if (defaults is not null)
        {
            foreach (ConfigEntry entry in defaults.Entries)
            {
                ConfigKey? key = ConfigKeys.Find(entry.Key);
                if (key is null)
                {
                    if (section.Find(entry.Key) is null) controls.Add(entry);
                }
                else if (key.Scope != ConfigScope.Server && !values.Has(key))
                    values.Entries[entry.Key] = entry;
            }
        }
        controls.AddRange(ownControls);

        SourceKind kind = SourceKind.Device;
        ConfigEntry? testPatternEntry = values.Get(ConfigKeys.TestPattern);
        bool testPattern = values.Boolean(ConfigKeys.TestPattern);
        if (values.Has(ConfigKeys.Command))
        {
            if (testPattern)
                throw testPatternEntry!.Error("a section has either command = ... or test_pattern = yes, not both");
            kind = SourceKind.Command;
        }
        else if (testPattern)
            kind = SourceKind.TestPattern;

        if (kind != SourceKind.Device)
        {
            string what = kind == SourceKind.Command ? "command" : "test pattern";
            foreach (ConfigEntry entry in section.Entries)
            {
                ConfigKey? key = ConfigKeys.Find(entry.Key);
                if (key is null || key.Scope == ConfigScope.Device)
                    throw entry.Error(
                        $"is not valid in the {what} section [{section.Name}]; valid keys: {ConfigKeys.Names(ConfigScope.Source)}");
            }
            // Device keys and controls inherited from [DEFAULT] do not apply to these sources.
            foreach (ConfigKey key in ConfigKeys.All)
                if (key.Scope == ConfigScope.Device) values.Remove(key);
            controls.Clear();
        }

        string name = values.Has(ConfigKeys.Name)
            ? ConfigValues.ParseStreamName(values.Get(ConfigKeys.Name)!)
            : DeriveName(section, kind);

        int width = values.Integer(ConfigKeys.Width);
        int height = values.Integer(ConfigKeys.Height);
        int fps = values.Integer(ConfigKeys.Fps);
        bool autoSleep = values.Boolean(ConfigKeys.AutoSleep);
        int rotation = values.Rotation(ConfigKeys.Rotation);
        int snapshotQuality = values.Integer(ConfigKeys.SnapshotQuality);
        int snapshotWidth = values.Integer(ConfigKeys.SnapshotWidth);
        int mjpegFps = values.Integer(ConfigKeys.MjpegFps);
        string? command = kind == SourceKind.Command ? ConfigValues.ParseText(values.Get(ConfigKeys.Command)!) : null;

        string? audio = OptionalText(values.Get(ConfigKeys.Audio));
        string? audioCommand = OptionalText(values.Get(ConfigKeys.AudioCommand));
        if (audio is not null && audioCommand is not null)
            throw values.Get(ConfigKeys.AudioCommand)!.Error("a section has either audio = ... or audio_command = ..., not both");
        bool testPatternAudio = values.Boolean(ConfigKeys.TestPatternAudio);
        if (testPatternAudio && kind != SourceKind.TestPattern)
            throw values.Get(ConfigKeys.TestPatternAudio)!.Error("is only valid with test_pattern = yes");
        if (testPatternAudio && (audio is not null || audioCommand is not null))
            throw values.Get(ConfigKeys.TestPatternAudio)!.Error("the test pattern's sound replaces audio and audio_command: use one");
        int audioRate = values.Integer(ConfigKeys.AudioRate);
        if (audioRate is not (48000 or 44100 or 32000 or 16000))
            throw values.Get(ConfigKeys.AudioRate)!.Error($"{audioRate} is not one of 48000, 44100, 32000, 16000");
        int audioChannels = values.Integer(ConfigKeys.AudioChannels);
        int audioBitrate = values.Integer(ConfigKeys.AudioBitrate);
        // AAC-LC's bounds: 8 kbit/s a channel, and a frame's bits (6144 a channel, less headroom) at this rate.
        int maxAudioKbps = (6144 - 256) * audioRate / 1024 * audioChannels / 1000;
        if (audioBitrate != 0 && (audioBitrate < 8 * audioChannels || audioBitrate > maxAudioKbps))
            throw values.Get(ConfigKeys.AudioBitrate)!.Error($"{audioBitrate} kbit/s is outside {8 * audioChannels}..{maxAudioKbps} for {audioChannels} channel(s) at {audioRate} Hz");

        string captureFormat = values.CaptureFormat(ConfigKeys.CaptureFormat);
        string? decoder = values.DevicePath(ConfigKeys.Decoder);
        string? encoder = values.DevicePath(ConfigKeys.Encoder);
        ConfigEntry? captureMemoryEntry = values.Get(ConfigKeys.CaptureMemory);
        MemoryType captureMemory = captureMemoryEntry is not null
            ? ConfigValues.ParseMemory(captureMemoryEntry)
            : decoder is not null || encoder is not null ? MemoryType.DmaBuf : MemoryType.Mmap;
        MemoryPair decoderMemory = values.MemoryPair(ConfigKeys.DecoderMemory);
        MemoryPair encoderMemory = values.MemoryPair(ConfigKeys.EncoderMemory);
        ConfigEntry? decoderInputEntry = values.Get(ConfigKeys.DecoderInputFormat);
        string decoderInputFormat = decoderInputEntry is not null
            ? ConfigValues.ParseFourCC(decoderInputEntry)
            : captureFormat == "JPEG" ? "MJPG" : captureFormat[..4];
        ConfigEntry? encoderInputEntry = values.Get(ConfigKeys.EncoderInputFormat);
        string encoderInputFormat = encoderInputEntry is not null
            ? ConfigValues.ParseFourCC(encoderInputEntry)
            : decoder is not null ? "NV12" : captureFormat[..4];

        var source = new SourceConfig
        {
            Section = section.Name,
            Kind = kind,
            Name = name,
            Command = command,
            Width = width,
            Height = height,
            Fps = fps,
            AutoSleep = autoSleep,
            Rotation = rotation,
            SnapshotQuality = snapshotQuality,
            SnapshotWidth = snapshotWidth,
            MjpegFps = mjpegFps,
            Audio = audio,
            AudioCommand = audioCommand,
            AudioRate = audioRate,
            AudioChannels = audioChannels,
            AudioBitrate = audioBitrate,
            TestPatternAudio = testPatternAudio,
            CaptureFormat = captureFormat,
            Decoder = decoder,
            Encoder = encoder,
            CaptureMemory = captureMemory,
            DecoderMemory = decoderMemory,
            EncoderMemory = encoderMemory,
            DecoderInputFormat = decoderInputFormat,
            EncoderInputFormat = encoderInputFormat,
            Controls = controls,
            DecoderControls = M2MControls(document, decoder),
            EncoderControls = M2MControls(document, encoder),
            Location = section.Location,
            Entries = values.Entries,
        };
        if (kind == SourceKind.Device)
        {
            CheckChain(source);
            WarnUnused(source, section, warnings);
        }
        return source;
    }

    private static string DeriveName(IniSection section, SourceKind kind)
    {
        string basis = section.Name;
        if (kind == SourceKind.Device)
        {
            // /dev/video0 -> video0; /dev/v4l/by-id/usb-...-video-index0 -> usb-...-video-index0
            string trimmed = basis.TrimEnd('/');
            int slash = trimmed.LastIndexOf('/');
            basis = slash >= 0 ? trimmed[(slash + 1)..] : trimmed;
        }
        string name = ConfigValues.SanitizeStreamName(basis);
        if (name.Length == 0)
            throw new ConfigException(section.Location, ConfigKeys.Name.Name,
                $"cannot make a stream name from [{section.Name}]; set name = ... (letters, digits, '.', '_', '-')");
        return name;
    }

    private static IReadOnlyList<ConfigEntry> M2MControls(IniDocument document, string? device)
    {
        if (device is null) return Array.Empty<ConfigEntry>();
        // A missing section means no controls, as in the original.
        return document.Find(device)?.Entries ?? Array.Empty<ConfigEntry>();
    }

    /// <summary>The original's startup checks that need no device (compatibility §2), made config errors.</summary>
    private static void CheckChain(SourceConfig source)
    {
        if (source.IsMjpgH264 && (source.Decoder is not null || source.Encoder is not null))
            throw source.Error(source.Decoder is not null ? ConfigKeys.Decoder.Name : ConfigKeys.Encoder.Name,
                "capture_format = MJPGH264 already delivers H264; remove the decoder and encoder or capture MJPG");
        if (source.Decoder is not null && source.Encoder is null)
            throw source.Error(ConfigKeys.Decoder.Name,
                $"'{source.Decoder}' decodes to raw frames: add an H264 encoder after it (e.g. encoder = /dev/video11)");
        // MJPG, JPEG, YUYV and NV12 cameras alone serve pictures (snapshots, MJPEG), no video.
        if (source.CaptureFormat != "H264" && !source.IsMjpgH264 && source.Encoder is null && !source.PicturesOnly)
            throw source.Error(ConfigKeys.CaptureFormat.Name,
                $"'{source.CaptureFormat}' is not H264 or MJPGH264, nor a picture format (MJPG, JPEG, YUYV, NV12) served alone: " +
                "add an M2M H264 encoder (e.g. encoder = /dev/video11)");

        // The last element's capture buffers are read by the streamer, so they must be mapped.
        string lastKey = source.Encoder is not null ? ConfigKeys.EncoderMemory.Name
            : source.Decoder is not null ? ConfigKeys.DecoderMemory.Name : ConfigKeys.CaptureMemory.Name;
        MemoryType last = source.Encoder is not null ? source.EncoderMemory.Capture
            : source.Decoder is not null ? source.DecoderMemory.Capture : source.CaptureMemory;
        if (last != MemoryType.Mmap)
            throw source.Error(lastKey, $"the capture memory of the last element in the chain must be MMAP ({Describe(source, lastKey)})");

        // A DMABUF queue imports the other side's exported buffer: one side of each link must be MMAP.
        if (source.Decoder is not null)
        {
            CheckLink(source, source.CaptureMemory, ConfigKeys.CaptureMemory.Name, source.DecoderMemory.Input,
                ConfigKeys.DecoderMemory.Name);
            CheckLink(source, source.DecoderMemory.Capture, ConfigKeys.DecoderMemory.Name, source.EncoderMemory.Input,
                ConfigKeys.EncoderMemory.Name);
        }
        else if (source.Encoder is not null)
            CheckLink(source, source.CaptureMemory, ConfigKeys.CaptureMemory.Name, source.EncoderMemory.Input,
                ConfigKeys.EncoderMemory.Name);
    }

    private static void CheckLink(SourceConfig source, MemoryType producer, string producerKey, MemoryType consumer,
        string consumerKey)
    {
        if (producer == MemoryType.DmaBuf && consumer == MemoryType.DmaBuf)
            throw source.Error(consumerKey,
                $"the input of this stage and the capture of the previous one ({producerKey} = {Describe(source, producerKey)}) " +
                "are both DMABUF; use MMAP on at least one side");
    }

    private static string Describe(SourceConfig source, string key)
    {
        if (key == ConfigKeys.CaptureMemory.Name) return ConfigValues.MemoryName(source.CaptureMemory);
        if (key == ConfigKeys.DecoderMemory.Name) return source.DecoderMemory.ToString();
        return source.EncoderMemory.ToString();
    }

    private static void WarnUnused(SourceConfig source, IniSection section, List<string> warnings)
    {
        // Uncommented conf.dist lines without their device used to be ignored silently; keep them working.
        if (source.Decoder is null)
        {
            Warn(section, ConfigKeys.DecoderMemory, "there is no decoder", warnings);
            Warn(section, ConfigKeys.DecoderInputFormat, "there is no decoder", warnings);
        }
        if (source.Encoder is null)
        {
            Warn(section, ConfigKeys.EncoderMemory, "there is no encoder", warnings);
            Warn(section, ConfigKeys.EncoderInputFormat, "there is no encoder", warnings);
        }
        else if (!source.UsesM2MChain)
        {
            // CheckChain leaves one such case: an H264 camera with an encoder but no decoder to feed it raw frames.
            Warn(section, ConfigKeys.Encoder, "the camera's frames are H264 already (with a decoder too they would be re-encoded)", warnings);
        }
    }

    private static void Warn(IniSection section, ConfigKey key, string why, List<string> warnings)
    {
        ConfigEntry? entry = section.Find(key.Name);
        if (entry is not null)
            warnings.Add($"{entry.Location}: {entry.Key}: ignored, {why} in [{section.Name}]");
    }

    private static void CheckUniqueNames(List<SourceConfig> sources)
    {
        for (int i = 1; i < sources.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (sources[i].Name != sources[j].Name) continue;
                throw sources[i].Error(ConfigKeys.Name.Name,
                    $"stream name '{sources[i].Name}' of [{sources[i].Section}] is already used by [{sources[j].Section}] " +
                    $"({sources[j].Location}); set name = ... to tell them apart");
            }
        }
    }
}
