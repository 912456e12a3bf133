using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Pictures;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Http;

/// <summary>
/// /stream.mjpg and /?action=stream: JPEG after JPEG as parts of one multipart/x-mixed-replace answer, the way
/// mjpg-streamer sends them (browsers show it in an &lt;img&gt;). Every part is a picture shared with every other
/// client; a client is given the newest picture only once it has sent the previous one, so a slow reader sees fewer
/// pictures and never holds anyone back, and one that stops reading is dropped by the stall timeout.
/// </summary>
internal sealed class MjpegResponder : IMjpegClient, IStreamResponder
{
    private readonly HttpConnection _connection;
    private PictureSource? _source;
    private bool _failed;
    private long _joinedUs;

    public MjpegResponder(HttpConnection connection) => _connection = connection;

    public long Generation { get; private set; }
    public long Skipped => 0;
    public bool Failed => _failed;
    public bool IsReady => !_failed && _connection.Queue.IsEmpty;

    public static void Start(HttpConnection connection, scoped in RouteRequest request)
    {
        if (connection.Server.PicturesOf(request.StreamIndex) is not { } source)
        {
            connection.SendError(404);
            return;
        }
        var head = connection.BeginHead(200);
        head.Header("Content-Type", JpegPart.ContentType);
        head.Append(CacheHeaders.Endless);
        connection.QueueHead(ref head, keepAlive: false);
        if (request.HeadOnly)
        {
            connection.BeginResponse();
            return;
        }
        var m = connection.Mjpeg;
        m._source = source;
        m._joinedUs = connection.Server.Loop.NowUs;
        connection.BeginStreaming(m);
        Log.Info(connection.Component, "joined the MJPEG stream of " + source.Name);
        source.AddMjpegClient(m);
        if (connection.State == ConnectionState.Streaming && !connection.WaitingForWritable) connection.FlushStreaming();
    }

    public void OnPart(SharedFragment picture, long generation)
    {
        Generation = generation;
        _connection.MarkPending();
        _connection.Queue.TryEnqueue(picture, JpegPart.PartStart(picture), picture.Length, rebase: false, 0);
        if (!_connection.WaitingForWritable) _connection.FlushStreaming();
    }

    public void OnCaughtUp()
    {
        if (_source is not null && !_failed) _source.OfferNewest(this);
    }

    public void OnSendFailed()
    {
        if (_failed) return;
        _failed = true;
        _connection.Server.Defer(_connection);
    }

    public void OnDeferred()
    {
        if (_failed) _connection.Close(null);
    }

    public bool Stop(long fragments, string? reason)
    {
        if (_source is null) return false;
        _source.RemoveMjpegClient(this);
        _source = null;
        long seconds = (_connection.Server.Loop.NowUs - _joinedUs) / 1_000_000;
        Log.Info(_connection.Component, "left the MJPEG stream after " + seconds + " s, " + fragments + " pictures"
            + (reason != null ? " (" + reason + ")" : ""));
        return true;
    }
}
