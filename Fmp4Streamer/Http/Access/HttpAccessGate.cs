using System.Net;
using System.Text;
using Fmp4Streamer.Access;

namespace Fmp4Streamer.Http.Access;

/// <summary>
/// The access part of the request gate: finds the client (behind trusted proxies, the forwarded address), lets
/// exempt networks, login cookies and checked passwords through, answers 401 with the Basic challenge otherwise,
/// and holds a request whose password is being checked off the loop or whose wrong password is being slowed.
/// </summary>
internal static class HttpAccessGate
{
    public const string Realm = "fmp4streamer";
    private const string Challenge = "Basic realm=\"" + Realm + "\", charset=\"UTF-8\"";

    /// <summary>True when the request may reach its route; false when the gate answered it or holds it.</summary>
    public static bool Admit(HttpConnection connection, Route route, in HttpRequest request, ReadOnlySpan<byte> data)
    {
        var access = connection.Server.Access;
        connection.SetCookie = null;
        IPAddress peer = connection.PeerAddress;
        IPAddress client = peer;
        if (request.Forwarded)
        {
            client = access.ClientOf(peer, data[..request.HeadLength]);
            if (access.Options.TrustedProxies.Contains(peer))
            {
                if (!connection.UseForwardedClient(client)) return false;
            }
            else access.NoteUntrustedForwarding(peer);
        }
        bool exempt = access.IsExempt(client);
        bool crossOrigin = request.Origin.Length > 0
            && !OriginCheck.IsSameOrigin(request.Origin.Of(data), request.Host.Of(data), connection.Server.Options.CorsOrigin);
        if (access.Users is null)
        {
            connection.Access = new AccessDecision(client, null, exempt, false, false, crossOrigin);
            return true;
        }

        string? user = request.Cookie.Length > 0 ? access.CookieUser(request.Cookie.Of(data)) : null;
        if (user is null && request.Authorization.Length > 0)
        {
            var outcome = access.CheckBasic(client, request.Authorization.Of(data), connection.AccessWaiter, out user, out long delayUs);
            switch (outcome)
            {
                case AccessOutcome.Allowed:
                    // The page sets the cookie its own requests, the home-screen app and native players then carry.
                    // Secure when a trusted proxy says the client came over TLS: the browser then never sends it in clear.
                    if (route.Name == "page")
                    {
                        bool secure = access.Options.TrustedProxies.Contains(peer) && ForwardedChain.IsHttps(data[..request.HeadLength]);
                        connection.SetCookie = access.IssueCookie(user!, secure);
                    }
                    break;
                case AccessOutcome.Challenge:
                    SendChallenge(connection, request, keepAlive: request.KeepAlive);
                    return false;
                case AccessOutcome.Wrong:
                    connection.HeldHeadOnly = request.Method == RequestMethod.Head;
                    connection.Server.AccessHolds.Hold(connection, delayUs, deny: true);
                    return false;
                case AccessOutcome.Wait:
                    connection.Server.AccessHolds.Hold(connection, delayUs, deny: false);
                    return false;
            }
        }
        if (user is null && !exempt)
        {
            connection.Server.Stats.Unauthorized.Increment();
            SendChallenge(connection, request, keepAlive: request.KeepAlive);
            return false;
        }
        connection.Access = new AccessDecision(client, user, exempt, true, access.IsAdmin(user), crossOrigin);
        return true;
    }

    /// <summary>401 with the Basic challenge (RFC 7617); kept alive when the client asked, so the retry reuses it.</summary>
    public static void SendChallenge(HttpConnection connection, in HttpRequest request, bool keepAlive) =>
        SendChallenge(connection, request.Method == RequestMethod.Head, keepAlive);

    public static void SendChallenge(HttpConnection connection, bool headOnly, bool keepAlive)
    {
        var head = connection.BeginHead(401);
        head.Header("WWW-Authenticate", Challenge);
        head.Header("Content-Type", "text/plain; charset=utf-8");
        head.Header("Cache-Control", "no-store");
        head.ContentLength(s_body.Length);
        connection.QueueHead(ref head, keepAlive);
        if (!headOnly) connection.Queue.EnqueuePlain(s_body, 0, s_body.Length);
        connection.BeginResponse();
    }

    private static readonly byte[] s_body = Encoding.ASCII.GetBytes("401 Unauthorized\n");
}
