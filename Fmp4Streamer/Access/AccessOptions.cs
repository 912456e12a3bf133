namespace Fmp4Streamer.Access;

/// <summary>The access keys of [server]: users, who needs none, who may change settings, and whose addresses to believe.</summary>
public sealed record AccessOptions
{
    /// <summary>The htpasswd file's users; null = no users (every client may watch).</summary>
    public UserTable? Users { get; init; }

    /// <summary>Networks whose clients need no user (auth_exempt).</summary>
    public NetworkList Exempt { get; init; } = NetworkList.Empty;

    /// <summary>Users who may change settings (admins).</summary>
    public IReadOnlyList<string> Admins { get; init; } = [];

    /// <summary>Peers whose X-Forwarded-For and Forwarded headers are believed (trusted_proxies).</summary>
    public NetworkList TrustedProxies { get; init; } = NetworkList.Empty;

    /// <summary>The login cookie's name (one per port: browsers share cookies across ports).</summary>
    public string CookieName { get; init; } = "fmp4streamer";

    /// <summary>How long a login cookie stays good.</summary>
    public long CookieLifetimeSeconds { get; init; } = 7 * 24 * 3600;
}
