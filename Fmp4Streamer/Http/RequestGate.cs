using Fmp4Streamer.Http.Access;

namespace Fmp4Streamer.Http;

/// <summary>
/// In front of every route: unknown paths get 404, methods a route does not take get 405 with Allow, and CORS
/// preflights (OPTIONS) are answered here. The CORS headers of ordinary answers come from
/// <see cref="HttpConnection.BeginHead"/>. Then access control (<see cref="HttpAccessGate"/>): preflights carry no
/// credentials, so they are answered before it.
/// </summary>
internal static class RequestGate
{
    // Asked for by players that fetch ranges or send their own headers; echoed when the request names none we take.
    private const string DefaultAllowedHeaders = "Range, Accept, Accept-Encoding, Origin, Content-Type";
    private const int MaxEchoedHeaders = 256;
    private const int PreflightMaxAgeSeconds = 86400;

    /// <summary>True when the route's handler should answer; false when the gate has answered already.</summary>
    public static bool Admit(HttpConnection connection, in RouteMatch match, in HttpRequest request, ReadOnlySpan<byte> data)
    {
        connection.SetCookie = null;
        if (request.Method == RequestMethod.Options && request.PathLength == 0)
        {
            // "OPTIONS *": the server's own methods (RFC 9110 9.3.7).
            Preflight(connection, Route.AllowList(AllowedMethods.Read), request, data);
            return false;
        }
        var route = match.Route;
        if (route is null)
        {
            connection.Server.Stats.NotFound.Increment();
            connection.SendError(404);
            return false;
        }
        if (!route.Allows(request.Method))
        {
            connection.SendError(405, route.Allow);
            return false;
        }
        if (request.Method == RequestMethod.Options)
        {
            Preflight(connection, route.Allow, request, data);
            return false;
        }
        return HttpAccessGate.Admit(connection, route, request, data);
    }

    private static void Preflight(HttpConnection connection, string allow, in HttpRequest request, ReadOnlySpan<byte> data)
    {
        var head = connection.BeginHead(204);
        head.Header("Allow", allow);
        if (connection.Server.CorsHeaders.Length > 0)
        {
            head.Header("Access-Control-Allow-Methods", allow);
            var asked = request.RequestedHeaders.Of(data);
            head.Append("Access-Control-Allow-Headers: ");
            if (asked.Length > 0 && asked.Length <= MaxEchoedHeaders && IsHeaderList(asked)) head.Append(asked);
            else head.Append(DefaultAllowedHeaders);
            head.Append("\r\n");
            head.Append("Access-Control-Max-Age: ");
            head.Append(PreflightMaxAgeSeconds);
            head.Append("\r\n");
        }
        connection.QueueHead(ref head, request.KeepAlive);
        connection.BeginResponse();
    }

    /// <summary>Header names separated by commas and spaces: safe to echo.</summary>
    private static bool IsHeaderList(ReadOnlySpan<byte> value)
    {
        foreach (byte b in value)
        {
            bool ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '_' || b == ',' || b == ' ';
            if (!ok) return false;
        }
        return true;
    }
}
