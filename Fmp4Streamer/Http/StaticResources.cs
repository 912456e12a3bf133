using Fmp4Streamer.Diagnostics.Metrics;

namespace Fmp4Streamer.Http;

/// <summary>The route handlers of the page, the web manifest, the icons and the trailing-slash redirect.</summary>
internal static class StaticResources
{
    private const string Html = "text/html; charset=utf-8";
    private const string Png = "image/png";

    /// <summary>A camera's page; "/" without a camera name shows every camera's tile when there are several.</summary>
    public static void Page(HttpConnection c, scoped in RouteRequest r)
    {
        switch (ActionQuery.Parse(r.Query))
        {
            case ActionQuery.Action.Snapshot:
                SnapshotResponder.Start(c, r);
                return;
            case ActionQuery.Action.Stream:
                MjpegResponder.Start(c, r);
                return;
        }
        var pages = c.Server.Pages;
        var body = !r.Named && c.Server.Routes.Streams.Count > 1 ? pages.Tiles() : pages.Page(r.StreamIndex);
        FixedResponder.Send(c, r, Html, body, CacheHeaders.Revalidate);
    }

    /// <summary>
    /// When the manifest and icons were last modified: they are the binary's own bytes, so no later than this
    /// process's start (taken at the first request).
    /// </summary>
    private static readonly DateTime s_builtIn = DateTime.UtcNow;

    public static void Manifest(HttpConnection c, scoped in RouteRequest r) =>
        FixedResponder.Send(c, r, "application/json", ManifestJson.Bytes, CacheHeaders.Revalidate, s_builtIn);
    public static void Logo(HttpConnection c, scoped in RouteRequest r) => Icon(c, r, Icons.Logo);
    public static void AppleTouchIcon(HttpConnection c, scoped in RouteRequest r) => Icon(c, r, Icons.AppleTouch);
    public static void Favicon(HttpConnection c, scoped in RouteRequest r) => Icon(c, r, Icons.Favicon);
    public static void HomeScreenIcon(HttpConnection c, scoped in RouteRequest r) => Icon(c, r, Icons.HomeScreen);
    public static void SplashIcon(HttpConnection c, scoped in RouteRequest r) => Icon(c, r, Icons.Splash);

    private static void Icon(HttpConnection c, scoped in RouteRequest r, byte[] png) => FixedResponder.Send(c, r, Png, png, CacheHeaders.Icon, s_builtIn);

    /// <summary>
    /// The Prometheus text exposition. Rendered per request into the registry's reused buffer, then copied: the
    /// response may still be going out when the next scrape renders again.
    /// </summary>
    public static void Metrics(HttpConnection c, scoped in RouteRequest r)
    {
        if (c.Server.Metrics is not { } registry)
        {
            c.SendError(404);
            return;
        }
        FixedResponder.Send(c, r, MetricsRegistry.ContentType, registry.Render().ToArray(), FixedResponder.NoCache);
    }

    /// <summary>"/name" → "name/", relative, so it works behind a reverse proxy under a sub-path.</summary>
    public static void AddSlash(HttpConnection c, scoped in RouteRequest r)
    {
        var head = c.BeginHead(301);
        head.Header("Location", c.Server.Routes.Streams[r.StreamIndex].Name + "/");
        head.ContentLength(0);
        c.QueueHead(ref head, r.KeepAlive);
        c.BeginResponse();
    }
}
