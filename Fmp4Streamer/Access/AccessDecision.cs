using System.Net;

namespace Fmp4Streamer.Access;

/// <summary>
/// Who is asking, as the gate decided for the current request: the client's address (behind trusted proxies, the
/// forwarded one), the user if one logged in, and what that allows.
/// </summary>
public readonly record struct AccessDecision(IPAddress Client, string? User, bool Exempt, bool UsersConfigured, bool Admin)
{
    /// <summary>
    /// May change the camera's settings: with users, only the ones listed in admins; without an htpasswd file, only
    /// clients from auth_exempt networks.
    /// </summary>
    public bool MayChangeSettings => UsersConfigured ? User is not null && Admin : Exempt;
}
