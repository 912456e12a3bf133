using Fmp4Streamer.Config;

namespace Fmp4Streamer.Http;

/// <summary>
/// Settings of the HTTP server; Program maps the [server] config section to it. Defaults of configurable settings come
/// from the config key table.
/// </summary>
public sealed record HttpServerOptions
{
    /// <summary>"" = every address (dual-stack "::", or 0.0.0.0 without IPv6), an IPv4/IPv6 literal, or "localhost".</summary>
    public string Listen { get; init; } = "";

    /// <summary>TCP port; 0 lets the kernel choose (tests), see <see cref="HttpServer.Port"/>.</summary>
    public int Port { get; init; } = ConfigDefaults.Server.Port;

    /// <summary>Connections with a complete request beyond this get a 503 and are closed.</summary>
    public int MaxClients { get; init; } = ConfigDefaults.Server.MaxClients;

    /// <summary>Open connections one client address may hold; more are closed at once.</summary>
    public int MaxConnectionsPerAddress { get; init; } = ConfigDefaults.Server.MaxConnectionsPerAddress;

    /// <summary>Bytes a streaming client may have queued before it skips to the next key frame.</summary>
    public int ClientQueueBytes { get; init; } = (int)Math.Min(ConfigDefaults.Server.ClientQueueBytes, int.MaxValue);

    /// <summary>A client with data pending that accepts no byte for this long is closed.</summary>
    public TimeSpan ClientStallTimeout { get; init; } = ConfigDefaults.Server.ClientStallTimeout;

    /// <summary>Request line plus headers; longer gets 414 or 431.</summary>
    public int MaxHeaderBytes { get; init; } = 8 * 1024;

    /// <summary>A connection that has not sent a complete request by then is closed (slowloris, idle keep-alive).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Access-Control-Allow-Origin of every answer: "*", one origin, or "" for no CORS headers.</summary>
    public string CorsOrigin { get; init; } = "*";
}
