using System.Net;

namespace Fmp4Streamer.Access;

/// <summary>
/// Who is asking, as the gate decided for the current request: the client's address (behind trusted proxies, the
/// forwarded one), the user if one logged in, whether the request came from another site's page, and what that allows.
/// </summary>
public readonly record struct AccessDecision(IPAddress Client, string? User, bool Exempt, bool UsersConfigured, bool Admin, bool CrossOrigin)
{
    /// <summary>
    /// May change the camera's settings: never from another site's page (Origin); with users, only the ones listed in
    /// admins; without an htpasswd file, only clients from auth_exempt networks. The one check a settings route makes.
    /// </summary>
    public bool MayChangeSettings => !CrossOrigin && (UsersConfigured ? User is not null && Admin : Exempt);

    /// <summary>Why <see cref="MayChangeSettings"/> is false, for the 403's body and the log.</summary>
    public string RefusalReason =>
        CrossOrigin ? "a request from another site's page (Origin) may not change settings"
        : UsersConfigured ? (User is null ? "log in as a user listed in admins to change settings" : "user '" + User + "' is not listed in admins")
        : "settings may be changed only from auth_exempt networks (or set htpasswd and admins)";
}
