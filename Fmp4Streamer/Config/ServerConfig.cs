using Fmp4Streamer.Diagnostics;

namespace Fmp4Streamer.Config;

/// <summary>The [server] section, typed.</summary>
public sealed record ServerConfig
{
    /// <summary>As written; empty = all addresses. See <see cref="BindAddress"/>.</summary>
    public required string Listen { get; init; }

    public required int Port { get; init; }

    /// <summary>Nice value for setpriority(PRIO_PROCESS, 0, n).</summary>
    public required int Priority { get; init; }

    /// <summary>The least important log lines written (log_level).</summary>
    public required Log.Level LogLevel { get; init; }

    public required int MaxClients { get; init; }

    /// <summary>Open connections one client address may hold.</summary>
    public required int MaxConnectionsPerAddress { get; init; }

    /// <summary>Unsent bytes a client may have queued before it skips to the next key frame.</summary>
    public required long ClientQueueBytes { get; init; }

    /// <summary>A client that accepted no bytes for this long is dropped.</summary>
    public required TimeSpan ClientStallTimeout { get; init; }

    /// <summary>Access-Control-Allow-Origin of every answer; empty = no CORS headers.</summary>
    public required string CorsOrigin { get; init; }

    /// <summary>With auto_sleep, how long a source keeps streaming after its last client left.</summary>
    public required TimeSpan SleepGrace { get; init; }

    /// <summary>HLS segments end at the first key frame after this much media.</summary>
    public required TimeSpan HlsSegmentDuration { get; init; }

    /// <summary>HLS segments kept in the live playlist.</summary>
    public required int HlsWindow { get; init; }

    /// <summary>Low-Latency HLS part target; zero = no parts.</summary>
    public required TimeSpan HlsPartDuration { get; init; }

    /// <summary>TCP port of the RTSP server; 0 = none.</summary>
    public int RtspPort { get; init; } = 8554;

    /// <summary>Largest RTP packet in bytes.</summary>
    public int RtspMtu { get; init; } = 1400;

    /// <summary>Server ports for RTP over UDP (even RTP, odd RTCP).</summary>
    public (int First, int Last) RtspUdpPorts { get; init; } = (8000, 8999);

    /// <summary>The htpasswd file of users (relative paths resolved against the config file); null = no users.</summary>
    public string? Htpasswd { get; init; }

    /// <summary>Networks whose clients need no user.</summary>
    public Access.NetworkList AuthExempt { get; init; } = Access.NetworkList.Empty;

    /// <summary>Users who may change settings.</summary>
    public IReadOnlyList<string> Admins { get; init; } = [];

    /// <summary>Peers whose forwarded client addresses are believed.</summary>
    public Access.NetworkList TrustedProxies { get; init; } = Access.NetworkList.Empty;

    /// <summary>The [server] header (or the file, line 0, when the section is absent).</summary>
    public required ConfigLocation Location { get; init; }

    /// <summary>The typed keys that were written (in [server] or [DEFAULT]), by key.</summary>
    public required IReadOnlyDictionary<string, ConfigEntry> Entries { get; init; }

    /// <summary>"::" (dual-stack, every IPv4 and IPv6 address) for an empty listen, else the value.</summary>
    public string BindAddress => Listen.Length == 0 ? "::" : Listen;

    /// <summary>A ConfigException at the key's line if it was written, else at the section header.</summary>
    public ConfigException Error(string key, string reason) =>
        Entries.TryGetValue(key, out ConfigEntry? entry) ? entry.Error(reason) : new ConfigException(Location, key, reason);
}
