using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Http;

/// <summary>
/// Every URL of the server, in one table: a path pattern, its methods and its handler. Each row is served under "/"
/// for the first stream and under "/&lt;name&gt;/" for every stream, so pages keep relative links. A new URL is
/// one row here.
/// </summary>
internal sealed class RouteTable
{
    private static readonly Route[] s_routes =
    [
        new("page", "/", AllowedMethods.Read, StaticResources.Page),
        new("page", "/index.html", AllowedMethods.Read, StaticResources.Page),
        new("stream", "/stream.mp4", AllowedMethods.Read, ProgressiveResponder.Start, video: true),
        new("raw-h264", "/stream.h264", AllowedMethods.Read, ProgressiveResponder.StartRaw, video: true),
        // JPEG pictures; "/?action=snapshot" and "/?action=stream" (mjpg-streamer's URLs) are answered by the page route
        // and counted as these two (KindOf).
        new("snapshot", "/snapshot.jpg", AllowedMethods.Read, SnapshotResponder.Start),
        new("mjpeg", "/stream.mjpg", AllowedMethods.Read, MjpegResponder.Start),
        new("manifest", "/manifest.json", AllowedMethods.Read, StaticResources.Manifest),
        new("logo", "/logo.png", AllowedMethods.Read, StaticResources.Logo),
        new("apple-touch-icon", "/apple-touch-icon.png", AllowedMethods.Read, StaticResources.AppleTouchIcon),
        new("favicon", "/favicon.ico", AllowedMethods.Read, StaticResources.Favicon),
        // The web manifest's home-screen and splash-screen icons.
        new("icon-192", "/icon-192.png", AllowedMethods.Read, StaticResources.HomeScreenIcon),
        new("icon-512", "/icon-512.png", AllowedMethods.Read, StaticResources.SplashIcon),
        new("master-playlist", "/stream.m3u8", AllowedMethods.Read, HlsResponder.MasterPlaylist, video: true),
        // The reference's name for the live media playlist.
        new("media-playlist", "/streaminf.m3u8", AllowedMethods.Read, HlsResponder.MediaPlaylist, video: true),
        // Generation 0 is init.mp4; each change of parameter sets numbers the next one.
        new("hls-init", "/init.mp4", AllowedMethods.Read, HlsResponder.Init, video: true),
        new("hls-init", "/init{g}.mp4", AllowedMethods.Read, HlsResponder.Init, video: true),
        new("segment", "/seg{n}.m4s", AllowedMethods.Read, HlsResponder.Segment, video: true),
        new("part", "/seg{n}.{p}.m4s", AllowedMethods.Read, HlsResponder.Part, video: true),
        // Every stream's and the server's numbers in the Prometheus text format (the same under every camera's prefix).
        new("metrics", "/metrics", AllowedMethods.Read, StaticResources.Metrics),
        // The camera's controls, and changes to them (POST from the page's settings panel).
        new("controls", "/controls.json", AllowedMethods.Read, Settings.SettingsResponder.Describe),
        new("change-controls", "/controls", AllowedMethods.Post | AllowedMethods.Options, Settings.SettingsResponder.Change),
    ];

    /// <summary>"/name" of a camera without the trailing slash: redirect so relative links resolve under it.</summary>
    private static readonly Route s_addSlash = new("add-slash", "/", AllowedMethods.Read, StaticResources.AddSlash);

    /// <summary>Every route name once, in table order (after the routes: static fields start in order): /metrics counts requests by them.</summary>
    public static readonly string[] Names = NameKinds();

    private static string[] NameKinds()
    {
        var names = new List<string>();
        foreach (var route in s_routes.Append(s_addSlash))
        {
            int kind = names.IndexOf(route.Name);
            if (kind < 0)
            {
                kind = names.Count;
                names.Add(route.Name);
            }
            route.Kind = kind;
        }
        return names.ToArray();
    }

    private static readonly int s_pageKind = Array.IndexOf(Names, "page");
    private static readonly int s_snapshotKind = Array.IndexOf(Names, "snapshot");
    private static readonly int s_mjpegKind = Array.IndexOf(Names, "mjpeg");

    /// <summary>
    /// The requests counter a request counts under: its route's, except the page asked for mjpg-streamer's
    /// "?action=snapshot" or "?action=stream", which are a snapshot and the MJPEG stream.
    /// </summary>
    public static int KindOf(Route route, ReadOnlySpan<byte> query)
    {
        if (route.Kind != s_pageKind) return route.Kind;
        return ActionQuery.Parse(query) switch
        {
            ActionQuery.Action.Snapshot => s_snapshotKind,
            ActionQuery.Action.Stream => s_mjpegKind,
            _ => route.Kind,
        };
    }

    private readonly IReadOnlyList<ILiveStream> _streams;

    public RouteTable(IReadOnlyList<ILiveStream> streams)
    {
        if (streams.Count == 0) throw new ArgumentException("at least one stream is needed", nameof(streams));
        _streams = streams;
    }

    public IReadOnlyList<ILiveStream> Streams => _streams;

    /// <summary>Whether a stream called <paramref name="name"/> would hide one of the server's own files ("/stream.mp4").</summary>
    public static bool Shadows(string name)
    {
        var path = System.Text.Encoding.ASCII.GetBytes("/" + name);
        foreach (var route in s_routes)
            if (route.Pattern.TryMatch(path, out _, out _)) return true;
        return false;
    }

    /// <summary>The route of a path (query already removed); a null route is 404.</summary>
    public RouteMatch Resolve(ReadOnlySpan<byte> path)
    {
        int streamIndex = 0;
        bool named = false;
        if (path.Length > 1)
        {
            var afterSlash = path[1..];
            int slash = afterSlash.IndexOf((byte)'/');
            var first = slash < 0 ? afterSlash : afterSlash[..slash];
            for (int i = 0; i < _streams.Count; i++)
            {
                if (!AsciiEquals(first, _streams[i].Name)) continue;
                if (slash < 0) return new RouteMatch(s_addSlash, i, true, 0, 0);
                streamIndex = i;
                path = afterSlash[slash..];
                named = true;
                break;
            }
        }
        foreach (var route in s_routes)
        {
            if (route.Pattern.TryMatch(path, out long number, out long part))
                return new RouteMatch(route, streamIndex, named, number, (int)part);
        }
        return new RouteMatch(null, streamIndex, named, 0, 0);
    }

    private static bool AsciiEquals(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length != name.Length || bytes.IsEmpty) return false;
        for (int i = 0; i < bytes.Length; i++)
            if (bytes[i] != name[i]) return false;
        return true;
    }
}
