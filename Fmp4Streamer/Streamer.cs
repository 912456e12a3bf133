using System.Runtime.InteropServices;
using Fmp4Streamer.Access;
using Fmp4Streamer.Cli;
using Fmp4Streamer.Config;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Diagnostics.Metrics;
using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Http;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Pictures;
using Fmp4Streamer.Rtsp;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Streaming.Hls;

namespace Fmp4Streamer;

/// <summary>
/// The composition root: builds one source and hub per configured stream and the HTTP server on one event loop,
/// runs until SIGTERM/SIGINT, then stops every source (and child process) before exiting 0.
/// </summary>
public static class Streamer
{
    private const string Component = "fmp4streamer";

    public static int Run(CliOptions options)
    {
        StreamerConfig config = options.LoadConfig();
        Log.Threshold = options.Verbose ? Log.Level.Debug : config.Server.LogLevel;
        CheckStreamNames(config);
        foreach (var warning in config.Warnings) Log.Warning(Component, warning);
        if (options.ListControls) return ControlListing.Print(config, options.ConfigPath);

        if (config.Server.Priority != 0 && !ProcessPriority.TrySet(config.Server.Priority))
            Log.Warning(Component, $"cannot set priority {config.Server.Priority}: {LinuxError.Name(LinuxError.Last)}");

        using var loop = new EventLoop();
        // The runtime cannot deliver signals through a signalfd (platform-notes §1): it wakes the loop instead. Registered
        // before any source starts or "listening" is announced: a signal arriving earlier would kill the process
        // with its default action instead of stopping it cleanly (Run returns at once after an early request).
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStopSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStopSignal);
        // SIGHUP re-reads the config (systemctl reload); before the reloader exists it is ignored, not fatal. Started
        // under nohup it arrives ignored, and the runtime would leave it so: the reload would silently never happen.
        SignalDisposition.StopIgnoring(Tmds.Linux.LibC.SIGHUP);
        ConfigReloader? reloader = null;
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            loop.Post(() => reloader?.Reload());
        });
        void OnStopSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            loop.RequestStop();
        }

        var hubs = new List<StreamHub>();
        try
        {
            foreach (var source in config.Sources) hubs.Add(CreateHub(loop, config.Server, source));
        }
        catch (SourceSetupException e)
        {
            Log.Error(Component, e.Message);
            foreach (var hub in hubs)
            {
                hub.Source.Dispose();
                hub.Audio?.Source.Dispose();
            }
            return ExitCodes.Device;
        }

        // Every number in one place; the HTTP server serves it at /metrics.
        var metrics = new MetricsRegistry();
        foreach (var hub in hubs) hub.Register(metrics);
        var pictures = new List<PictureSource?>();
        for (int i = 0; i < hubs.Count; i++)
        {
            var picture = new PictureSource(loop, hubs[i], PictureOptionsOf(config.Sources[i]));
            picture.Register(metrics);
            pictures.Add(picture);
        }

        using var access = CreateAccess(loop, config.Server);
        if (access is null)
        {
            foreach (var hub in hubs) hub.Source.Dispose();
            return ExitCodes.Usage;
        }
        using var server = new HttpServer(loop, ServerOptions(config.Server), hubs) { Access = access };
        try
        {
            server.Start();
        }
        catch (Exception e) when (e is LinuxException or ArgumentException)
        {
            Log.Error(Component, $"cannot listen on {config.Server.BindAddress} port {config.Server.Port}: {e.Message}");
            return ExitCodes.Usage;
        }
        server.ServeMetrics(metrics);
        server.ServePictures(pictures);
        var settingsFile = CameraSettingsFactory.File(config, options.ConfigPath);
        var settings = new Settings.CameraSettings?[hubs.Count];
        for (int i = 0; i < hubs.Count; i++)
            if (hubs[i].Source is V4L2.CameraSource camera)
                server.ServeSettings(i, settings[i] = CameraSettingsFactory.Create(hubs[i], camera, config.Sources[i], settingsFile));
        // The file is read again on the loop thread, between events.
        reloader = new ConfigReloader(loop, config, options.LoadConfig, server, hubs, settings, options.Verbose,
            c => CameraSettingsFactory.File(c, options.ConfigPath));
        reloader.Reloaded += next => ReloadAccessOrKeep(access, next.Server);
        Log.Info(Component, $"listening on {server.Endpoints}");
        using var rtsp = config.Server.RtspPort == 0 ? null : new RtspServer(loop, RtspOptions(config.Server), hubs,
            hubs.ConvertAll(h => h.Source.FramesPerSecond)) { Access = access };
        try
        {
            rtsp?.Start();
            if (rtsp is not null) Log.Info(Component, $"RTSP on {rtsp.Endpoints}");
            rtsp?.Register(metrics);
        }
        catch (Exception e) when (e is LinuxException or ArgumentException)
        {
            // HTTP is the main service: a taken RTSP port (a second instance, another RTSP server) costs RTSP only.
            Log.Error(Component, $"cannot listen for RTSP on {config.Server.BindAddress} port {config.Server.RtspPort}: {e.Message}; RTSP is off");
        }
        foreach (var hub in hubs)
        {
            string url = hub.PicturesOnly ? "stream.mjpg" : "stream.mp4";
            Log.Info(hub.Name, $"{hub.Source.Description}, {hub.ConfiguredWidth}x{hub.ConfiguredHeight}, at /{hub.Name}/{url}" +
                (hubs[0] == hub ? $" and /{url}" : "") + $"; pictures from {pictures[hubs.IndexOf(hub)]!.Kind}");
            hub.Open();
        }

        bool clean = RunLoop(loop);

        Log.Info(Component, "stopping");
        // After a failure the state may be inconsistent: still stop every source (no child process may outlive us),
        // each on its own, and keep the exit code.
        StopGuarded(server.Dispose, clean);
        foreach (var picture in pictures) StopGuarded(() => picture?.Dispose(), clean);
        if (rtsp is not null) StopGuarded(rtsp.Dispose, clean);
        foreach (var hub in hubs)
        {
            StopGuarded(() => { hub.Close(); hub.Source.Dispose(); hub.Audio?.Source.Dispose(); }, clean);
            Log.Info(hub.Name, Summary(hub));
        }
        return clean ? ExitCodes.Ok : ExitCodes.Software;
    }

    /// <summary>Users and the access keys; null (after logging why) when the htpasswd file cannot be used.</summary>
    internal static AccessControl? CreateAccess(EventLoop loop, ServerConfig server)
    {
        UserTable? users = null;
        if (server.Htpasswd is string path)
        {
            try
            {
                users = HtpasswdFile.Load(path);
            }
            catch (HtpasswdException e)
            {
                Log.Error(Component, e.Message);
                return null;
            }
        }
        var access = new AccessControl(loop, AccessOptions(server, users));
        AccessStartupNotes(server, users);
        return access;
    }

    /// <summary>
    /// On reload: reads the htpasswd file again and hands the access keys to the running <paramref name="access"/>.
    /// Throws <see cref="HtpasswdException"/> (file:line, user, why) and leaves the running users in place.
    /// </summary>
    internal static void ReloadAccess(AccessControl access, ServerConfig server)
    {
        var users = server.Htpasswd is string path ? HtpasswdFile.Load(path) : null;
        access.Replace(AccessOptions(server, users));
        AccessStartupNotes(server, users);
    }

    private static void ReloadAccessOrKeep(AccessControl access, ServerConfig server)
    {
        try
        {
            ReloadAccess(access, server);
        }
        catch (HtpasswdException e)
        {
            Log.Error(Component, e.Message + "; the running users stay");
        }
    }

    internal static AccessOptions AccessOptions(ServerConfig server, UserTable? users) => new()
    {
        Users = users,
        Exempt = server.AuthExempt,
        Admins = server.Admins,
        TrustedProxies = server.TrustedProxies,
        // Browsers keep cookies per host, not per port: two daemons on one host need two names.
        CookieName = "fmp4streamer-" + server.Port,
    };

    private static void AccessStartupNotes(ServerConfig server, UserTable? users)
    {
        if (users is null)
        {
            if (server.Admins.Count > 0) Log.Warning(Component, "admins is set but htpasswd is not: settings may be changed from auth_exempt networks only");
            return;
        }
        Log.Info(Component, $"{users.Count} users from {users.Source}; no password needed from: {(server.AuthExempt.IsEmpty ? "nobody" : server.AuthExempt.Text)}");
        foreach (string admin in server.Admins)
            if (!users.Contains(admin)) Log.Warning(Component, $"admins names '{admin}', who is not in {users.Source}");
        if (server.AuthExempt.CoversLoopback && server.TrustedProxies.IsEmpty)
            Log.Warning(Component, "auth_exempt covers loopback and trusted_proxies is empty: a reverse proxy on this host (nginx) " +
                "would let every client in without a password; list it in trusted_proxies so its X-Forwarded-For is used");
    }

    /// <summary>The shutdown line of one stream: what its counters say.</summary>
    internal static string Summary(StreamHub hub)
    {
        if (hub.Source is V4L2.CameraSource { PicturesOnly: true } camera)
            return $"pictures only: {camera.FramesDelivered} camera frames, {hub.Stats.SourceStarts.Value} source starts, {hub.Stats.SourceRestarts.Value} restarts";
        StreamStats s = hub.Stats;
        string line = $"{s.FramesCaptured.Value} frames captured, {s.FramesMuxed.Value} muxed ({s.BytesMuxed.Value} bytes), " +
            $"{s.FramesSkipped.Value} skipped; {s.KeyFrameRequests.Value} key-frame requests, {s.SourceStarts.Value} source starts, " +
            $"{s.SourceRestarts.Value} restarts";
        if (hub.FanOutDelay.Count > 0)
            line += $"; fan-out delay: median {hub.FanOutDelay.Describe(0.5)}, p99 {hub.FanOutDelay.Describe(0.99)}";
        return line;
    }

    private static void StopGuarded(Action stop, bool clean)
    {
        try
        {
            stop();
        }
        catch (Exception e) when (!clean)
        {
            Log.Error(Component, $"while stopping after the failure: {e.Message}");
        }
    }

    /// <summary>
    /// Runs the loop until a stop signal. An exception out of a handler is a bug, not a client's or a device's
    /// fault (those are handled where they happen): continuing could serve corrupt streams or leak, so it is
    /// logged at error level with its stack, the loop stops, and the caller exits with
    /// <see cref="ExitCodes.Software"/> after stopping the sources; the service manager restarts the daemon.
    /// Returns false after such a failure.
    /// </summary>
    internal static bool RunLoop(EventLoop loop)
    {
        try
        {
            loop.Run();
            return true;
        }
        catch (Exception e)
        {
            Log.Error(Component, $"bug: an event handler threw; exiting with {ExitCodes.Software} so the service restarts: {e}");
            return false;
        }
    }

    /// <summary>
    /// A stream name that is also one of the server's file names ("stream.mp4") would turn that URL into the
    /// stream's redirect: a config error at the name's line (or the section's, for a derived name).
    /// </summary>
    internal static void CheckStreamNames(StreamerConfig config)
    {
        foreach (var source in config.Sources)
        {
            if (RouteTable.Shadows(source.Name))
                throw source.Error(ConfigKeys.Name.Name,
                    $"stream name '{source.Name}' of [{source.Section}] is also a file name of the server (/{source.Name}); choose another name");
        }
    }

    private static TestPatternSource CreateTestPattern(EventLoop loop, SourceConfig source)
    {
        // The encoder's limits (even sizes from 160x128, 1-120 fps) are a configuration error: name the line.
        if (TestPatternEncoder.Unsupported(source.Width, source.Height, source.Fps, out string key) is string reason)
            throw source.Error(key, reason);
        return new TestPatternSource(loop, source.Width, source.Height, source.Fps, flash: source.TestPatternAudio);
    }

    internal static HttpServerOptions ServerOptions(ServerConfig server) => new()
    {
        Listen = server.Listen,
        Port = server.Port,
        MaxClients = server.MaxClients,
        MaxConnectionsPerAddress = server.MaxConnectionsPerAddress,
        ClientQueueBytes = (int)Math.Min(server.ClientQueueBytes, int.MaxValue),
        ClientStallTimeout = server.ClientStallTimeout,
        CorsOrigin = server.CorsOrigin,
    };

    /// <summary>The [server] HLS keys: every stream's segmenter cuts and keeps segments by them.</summary>
    internal static HlsOptions HlsOptions(ServerConfig server) => new()
    {
        MinSegmentDuration = server.HlsSegmentDuration,
        WindowSegments = server.HlsWindow,
        PartTarget = server.HlsPartDuration,
    };

    internal static PictureOptions PictureOptionsOf(SourceConfig source) => new()
    {
        Quality = source.SnapshotQuality,
        MaxWidth = source.SnapshotWidth,
        MjpegFps = source.MjpegFps,
        Rotation = source.Rotation,
    };

    internal static RtspServerOptions RtspOptions(ServerConfig server) => new()
    {
        Listen = server.Listen,
        Port = server.RtspPort,
        Mtu = server.RtspMtu,
        UdpPortFirst = server.RtspUdpPorts.First,
        UdpPortLast = server.RtspUdpPorts.Last,
        MaxClients = server.MaxClients,
        ClientQueueBytes = (int)Math.Min(server.ClientQueueBytes, int.MaxValue),
        StallTimeoutUs = (long)(server.ClientStallTimeout.TotalMilliseconds * 1000),
    };

    private static StreamHub CreateHub(EventLoop loop, ServerConfig server, SourceConfig source) =>
        new(loop, CreateSource(loop, source, probe: true), HubOptions(server, source), CreateAudio(loop, source));

    /// <summary>The source of a section; throws <see cref="ConfigException"/> or <see cref="SourceSetupException"/>.</summary>
    internal static IVideoSource CreateSource(EventLoop loop, SourceConfig source, bool probe) => source.Kind switch
    {
        SourceKind.TestPattern => CreateTestPattern(loop, source),
        SourceKind.Command => new CommandSource(loop, source.Name, source.Command!, source.Fps),
        _ => DeviceSources.Create(loop, source, probe),
    };

    internal static StreamHubOptions HubOptions(ServerConfig server, SourceConfig source) =>
        new()
        {
            Name = source.Name,
            ConfiguredWidth = source.Width,
            ConfiguredHeight = source.Height,
            Rotation = source.Rotation,
            AutoSleep = source.AutoSleep,
            SleepGraceUs = (long)(server.SleepGrace.TotalMilliseconds * 1000),
            Hls = HlsOptions(server),
        };

    /// <summary>
    /// The section's mixer keys for its ALSA device, checked against the card when it is there (a key naming no
    /// control or a value it cannot take exits 3, as a bad V4L2 control does); null without mixer keys.
    /// </summary>
    internal static Fmp4Streamer.Alsa.MixerSettings? CheckedMixer(ILinuxIo io, Fmp4Streamer.Alsa.AlsaDeviceName name,
        SourceConfig source, string cardsFile = "/proc/asound/cards")
    {
        if (source.Mixer.Count == 0) return null;
        var mixer = new Fmp4Streamer.Alsa.MixerSettings(io, name, DeviceSources.MixerSettings(source.Mixer), cardsFile);
        try
        {
            mixer.Check();
        }
        catch (Fmp4Streamer.Alsa.MixerException e)
        {
            throw new SourceSetupException(e.Message, e);
        }
        return mixer;
    }

    /// <summary>The stream's sound: an ALSA device, a command or the test tone, with its encoder; null without.</summary>
    private static AudioTrack? CreateAudio(EventLoop loop, SourceConfig source)
    {
        if (!source.HasAudio) return null;
        Fmp4Streamer.Audio.IAudioSource audio;
        if (source.Audio is not null)
        {
            var name = Fmp4Streamer.Alsa.AlsaDeviceName.TryParse(source.Audio, out string error)
                ?? throw source.Error(ConfigKeys.Audio.Name, $"'{source.Audio}' {error}");
            audio = new Fmp4Streamer.Alsa.AlsaCaptureSource(loop, LibcIo.Instance, name, source.AudioRate, source.AudioChannels)
            {
                Mixer = CheckedMixer(LibcIo.Instance, name, source),
            };
        }
        else if (source.AudioCommand is not null)
            audio = new Fmp4Streamer.Audio.CommandAudioSource(loop, source.Name, source.AudioCommand, source.AudioRate, source.AudioChannels);
        else
            audio = new Fmp4Streamer.Audio.TestToneSource(loop, source.AudioRate, source.AudioChannels);
        var encoder = Fmp4Streamer.Audio.AudioEncoders.Create(source.AudioRate, source.AudioChannels, source.AudioBitrate * 1000);
        return new AudioTrack(audio, encoder, source.Name);
    }
}
