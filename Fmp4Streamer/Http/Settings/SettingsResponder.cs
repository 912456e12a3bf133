using Fmp4Streamer.Diagnostics;

namespace Fmp4Streamer.Http.Settings;

/// <summary>
/// GET controls.json (every control of the camera's devices, and whether this client may change them) and POST
/// controls (changes by name). Answers are JSON, never cached; refusals carry an "error" member saying why.
/// </summary>
internal static class SettingsResponder
{
    private const string Json = "application/json";

    public static void Describe(HttpConnection c, scoped in RouteRequest r)
    {
        var json = new JsonWriter().BeginObject();
        json.String("camera", c.Server.Routes.Streams[r.StreamIndex].Name);
        json.Bool("may_change", c.Server.MayChangeSettings(c, out _));
        if (c.Server.SettingsOf(r.StreamIndex) is { } settings) settings.WriteControls(json);
        else json.BeginArray("devices").EndArray();
        json.EndObject();
        FixedResponder.Send(c, r, Json, json.ToUtf8(), FixedResponder.NoCache);
    }

    public static void Change(HttpConnection c, scoped in RouteRequest r)
    {
        var server = c.Server;
        if (!OriginCheck.Allows(r.Origin, r.Host, server.Options.CorsOrigin))
        {
            Log.Warning(c.Component, "403: settings change from another site (Origin " + System.Text.Encoding.ASCII.GetString(r.Origin) + ")");
            Refuse(c, r, 403, "cross-site requests may not change settings");
            return;
        }
        if (!server.MayChangeSettings(c, out string? user))
        {
            string why = c.Access.Client is null ? "this client may not change settings" : c.Access.RefusalReason;
            Log.Warning(c.Component, "403: " + why);
            Refuse(c, r, 403, why);
            return;
        }
        var settings = server.SettingsOf(r.StreamIndex);
        if (settings is null)
        {
            Refuse(c, r, 404, "this stream has no controls");
            return;
        }
        var kind = SettingsBodyParser.KindOf(r.ContentType);
        if (kind == SettingsBodyParser.BodyKind.Unsupported)
        {
            Refuse(c, r, 415, "send application/json or application/x-www-form-urlencoded");
            return;
        }
        var changes = new List<SettingChange>();
        if (!SettingsBodyParser.TryParse(kind, r.Body, changes, out string error))
        {
            Refuse(c, r, 400, error);
            return;
        }
        string client = user is null ? c.Address : user + " at " + c.Address;
        var json = new JsonWriter().BeginObject();
        bool all = settings.Apply(changes, client, json, out var save);
        int status = all ? 200 : 422;
        if (save is not null) c.SettingsSave.Start(save, json, status, r.KeepAlive);
        else Send(c, r.KeepAlive, status, json.EndObject().ToUtf8());
    }

    private static void Refuse(HttpConnection c, scoped in RouteRequest r, int status, string message) =>
        Send(c, r.KeepAlive, status, new JsonWriter().BeginObject().String("error", message).EndObject().ToUtf8());

    internal static void Send(HttpConnection c, bool keepAlive, int status, byte[] body)
    {
        var head = c.BeginHead(status);
        head.Header("Content-Type", Json);
        head.Append(CacheHeaders.NoStore);
        head.ContentLength(body.Length);
        c.QueueHead(ref head, keepAlive);
        c.Queue.EnqueuePlain(body, 0, body.Length);
        c.BeginResponse();
    }
}
