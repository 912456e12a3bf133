using System.Net;

namespace Fmp4Streamer.Http.Settings;

/// <summary>
/// Whether the client of <paramref name="connection"/> may change settings, and who it is for the log (null: no
/// user). The one seam where access control plugs in; the default allows loopback clients only.
/// </summary>
internal delegate bool SettingsPermission(HttpConnection connection, out string? user);

internal static class SettingsAccess
{
    /// <summary>
    /// The access gate's decision for the current request: admins when users are configured, exempt networks
    /// otherwise, never a cross-site page.
    /// </summary>
    public static bool FromAccessDecision(HttpConnection connection, out string? user)
    {
        var decision = connection.Access;
        user = decision.User;
        return decision.Client is not null && decision.MayChangeSettings;
    }

    /// <summary>Without users, settings change only from this host (a local nginx or a script on the camera).</summary>
    public static bool LoopbackOnly(HttpConnection connection, out string? user)
    {
        user = null;
        return IsLoopback(connection.Address);
    }

    /// <summary>"127.0.0.1", "[::1]", "[::ffff:127.0.0.1]" as the server writes peer addresses.</summary>
    public static bool IsLoopback(string address)
    {
        string bare = address.Length > 1 && address[0] == '[' && address[^1] == ']' ? address[1..^1] : address;
        if (!IPAddress.TryParse(bare, out var ip)) return false;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        return IPAddress.IsLoopback(ip);
    }
}
