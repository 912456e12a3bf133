namespace Fmp4Streamer.Http.Settings;

/// <summary>
/// A settings change whose values are being written to the config file: the request is held on the loop (nothing
/// blocks; other clients go on) until the saver's thread is done, then answered with how the save went.
/// </summary>
internal sealed class SettingsSaveResponder
{
    /// <summary>A write that takes this long is stuck (a dead disk): 503 rather than a connection held for ever.</summary>
    public const long BackstopUs = 30_000_000;

    private readonly HttpConnection _connection;
    private JsonWriter? _json;
    private int _status;
    private bool _keepAlive;
    private long _request;

    public SettingsSaveResponder(HttpConnection connection) => _connection = connection;

    /// <summary>A request is waiting for its save.</summary>
    public bool IsWaiting { get; private set; }

    /// <summary>Holds the request until <paramref name="save"/> is written; <paramref name="json"/> is the open answer.</summary>
    public void Start(IPendingSave save, JsonWriter json, int status, bool keepAlive)
    {
        var server = _connection.Server;
        _json = json;
        _status = status;
        _keepAlive = keepAlive;
        IsWaiting = true;
        long request = ++_request;
        _connection.Hold(server.Loop.NowUs + BackstopUs);
        server.SettingsSaver.Save(save, error => OnWritten(request, error));
    }

    private void OnWritten(long request, string? error)
    {
        // A later request on this connection, or a closed one, is not this save's to answer.
        if (!IsWaiting || request != _request) return;
        IsWaiting = false;
        _connection.EndHold();
        var json = _json!;
        _json = null;
        if (error is null) json.Bool("saved", true);
        else json.Bool("saved", false).String("saved_reason", error);
        SettingsResponder.Send(_connection, _keepAlive, _status, json.EndObject().ToUtf8());
    }

    /// <summary>The connection answered 503 itself (its hold deadline passed), or closed.</summary>
    public void Stop()
    {
        IsWaiting = false;
        _json = null;
    }
}
