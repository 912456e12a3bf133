using Fmp4Streamer.Diagnostics.Metrics;

namespace Fmp4Streamer.Http;

/// <summary>
/// The HTTP server's numbers: requests, refusals by reason, and what clients of each kind were sent or skipped.
/// Plain counters updated on the loop thread; <see cref="Register"/> exposes them at /metrics with the live gauges.
/// </summary>
internal sealed class HttpStats
{
    private static readonly RejectReason[] s_reasons = Enum.GetValues<RejectReason>();

    private readonly Counter[] _rejected = new Counter[s_reasons.Length];

    public HttpStats()
    {
        for (int i = 0; i < _rejected.Length; i++) _rejected[i] = new Counter();
        for (int i = 0; i < RouteRequests.Length; i++) RouteRequests[i] = new Counter();
    }

    /// <summary>Requests a route's handler answered, by <see cref="Route.Kind"/> (behind a cache: what reached us).</summary>
    public Counter[] RouteRequests { get; } = new Counter[RouteTable.Names.Length];

    public Counter Requests { get; } = new();
    public Counter NotFound { get; } = new();
    public Counter OverMaxClients { get; } = new();
    public Counter OverAddressLimit { get; } = new();
    public Counter HlsTimeouts { get; } = new();
    public Counter Unauthorized { get; } = new();
    public Counter ProgressiveFragmentsSent { get; } = new();
    public Counter ProgressiveFramesSkipped { get; } = new();
    public Counter HlsSegmentResponses { get; } = new();
    public Counter HlsPlaylistResponses { get; } = new();
    public Counter NotModified { get; } = new();

    /// <summary>A request the parser refused (400, 405, 414, 431, 505).</summary>
    public void Rejected(RejectReason reason) => _rejected[(int)reason].Increment();

    public void Register(MetricsRegistry registry, HttpServer server)
    {
        registry.Add("fmp4streamer_http_connections", "Open HTTP connections, with or without a request yet.", MetricType.Gauge, "",
            (Func<long>)(() => server.ConnectionCount));
        registry.Add("fmp4streamer_http_clients", "Connections that sent a request (counted against max_clients).", MetricType.Gauge, "",
            (Func<long>)(() => server.ClientCount));
        registry.Add("fmp4streamer_http_streaming_clients", "Connections receiving an endless stream, by kind.", MetricType.Gauge,
            MetricsRegistry.Labels(("kind", "progressive")), (Func<long>)(() => server.StreamingClientCount));
        registry.Add("fmp4streamer_http_streaming_clients", "Connections receiving an endless stream, by kind.", MetricType.Gauge,
            MetricsRegistry.Labels(("kind", "mjpeg")), (Func<long>)(() => server.MjpegClientCount));
        registry.Add("fmp4streamer_http_requests", "Complete HTTP requests.", MetricType.Counter, "", Requests);
        for (int i = 0; i < RouteRequests.Length; i++)
            registry.Add("fmp4streamer_http_route_requests", "Requests that reached a route's handler, by route.", MetricType.Counter,
                MetricsRegistry.Labels(("route", RouteTable.Names[i])), RouteRequests[i]);
        registry.Add("fmp4streamer_http_not_modified", "Conditional requests answered 304 Not Modified.", MetricType.Counter, "", NotModified);
        for (int i = 1; i < s_reasons.Length; i++)
            registry.Add("fmp4streamer_http_rejections", "Requests or connections refused, by reason.", MetricType.Counter,
                MetricsRegistry.Labels(("reason", Name(s_reasons[i]))), _rejected[i]);
        registry.Add("fmp4streamer_http_rejections", "Requests or connections refused, by reason.", MetricType.Counter,
            MetricsRegistry.Labels(("reason", "not_found")), NotFound);
        registry.Add("fmp4streamer_http_rejections", "Requests or connections refused, by reason.", MetricType.Counter,
            MetricsRegistry.Labels(("reason", "max_clients")), OverMaxClients);
        registry.Add("fmp4streamer_http_rejections", "Requests or connections refused, by reason.", MetricType.Counter,
            MetricsRegistry.Labels(("reason", "max_connections_per_address")), OverAddressLimit);
        registry.Add("fmp4streamer_http_rejections", "Requests or connections refused, by reason.", MetricType.Counter,
            MetricsRegistry.Labels(("reason", "hls_wait_timeout")), HlsTimeouts);
        registry.Add("fmp4streamer_http_rejections", "Requests or connections refused, by reason.", MetricType.Counter,
            MetricsRegistry.Labels(("reason", "unauthorized")), Unauthorized);
        registry.Add("fmp4streamer_auth_password_checks", "bcrypt checks run off the loop (a password not yet remembered).",
            MetricType.Counter, "", (Func<long>)(() => server.Access.ChecksStarted));
        registry.Add("fmp4streamer_auth_failures", "Wrong passwords and unknown users.", MetricType.Counter, "",
            (Func<long>)(() => server.Access.Failures));
        registry.Add("fmp4streamer_http_fragments_sent", "Fragments whose last byte a client's kernel took, by kind of client.",
            MetricType.Counter, MetricsRegistry.Labels(("kind", "progressive")), ProgressiveFragmentsSent);
        registry.Add("fmp4streamer_http_frames_skipped", "Frames a slow client did not get (it skipped to the next key frame), by kind.",
            MetricType.Counter, MetricsRegistry.Labels(("kind", "progressive")), ProgressiveFramesSkipped);
        registry.Add("fmp4streamer_hls_responses", "HLS answers sent, by what they carried.", MetricType.Counter,
            MetricsRegistry.Labels(("kind", "playlist")), HlsPlaylistResponses);
        registry.Add("fmp4streamer_hls_responses", "HLS answers sent, by what they carried.", MetricType.Counter,
            MetricsRegistry.Labels(("kind", "media")), HlsSegmentResponses);
    }

    /// <summary>MalformedRequestLine → malformed_request_line.</summary>
    private static string Name(RejectReason reason)
    {
        var text = reason.ToString();
        var sb = new System.Text.StringBuilder(text.Length + 4);
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsUpper(text[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(text[i]));
        }
        return sb.ToString();
    }
}
