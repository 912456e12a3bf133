using Fmp4Streamer.Pictures;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Http;

/// <summary>
/// /snapshot.jpg and /?action=snapshot: the stream's newest picture as one JPEG. The request is held on the loop
/// (nothing blocks) until the picture source answers, which shares one picture among the requests of the moment.
/// </summary>
internal sealed class SnapshotResponder : ISnapshotWaiter
{
    // Past the picture source's own timeout, which answers first.
    private const long BackstopUs = 2_000_000;

    private readonly HttpConnection _connection;
    private PictureSource? _source;
    private bool _keepAlive;
    private bool _headOnly;
    private bool _held;

    public SnapshotResponder(HttpConnection connection) => _connection = connection;

    /// <summary>A request is waiting for its picture.</summary>
    public bool IsWaiting { get; private set; }

    public static void Start(HttpConnection connection, scoped in RouteRequest request)
    {
        if (connection.Server.PicturesOf(request.StreamIndex) is not { } source)
        {
            connection.SendError(404);
            return;
        }
        var s = connection.Snapshot;
        s._source = source;
        s._keepAlive = request.KeepAlive;
        s._headOnly = request.HeadOnly;
        s.IsWaiting = true;
        s._held = false;
        source.RequestSnapshot(s);
        if (s.IsWaiting)
        {
            s._held = true;
            connection.Hold(connection.Server.Loop.NowUs + source.TimeoutUs + BackstopUs);
        }
    }

    public void OnSnapshot(SharedFragment? picture)
    {
        if (!IsWaiting) return;
        IsWaiting = false;
        if (_held) _connection.EndHold();
        _held = false;
        if (picture is null)
        {
            _connection.SendError(503);
            return;
        }
        int length = JpegPart.JpegLength(picture);
        var head = _connection.BeginHead(200);
        head.Header("Content-Type", "image/jpeg");
        head.Append(CacheHeaders.NoStore);
        head.ContentLength(length);
        _connection.QueueHead(ref head, _keepAlive);
        if (!_headOnly) _connection.Queue.TryEnqueue(picture, JpegPart.JpegOffset, JpegPart.JpegOffset + length, rebase: false, 0);
        _connection.BeginResponse();
    }

    /// <summary>The connection answered 503 itself (its hold deadline passed).</summary>
    public void Expire() => Stop();

    /// <summary>The connection closed or gave up: the source forgets the request.</summary>
    public void Stop()
    {
        if (!IsWaiting) return;
        IsWaiting = false;
        _held = false;
        _source?.CancelSnapshot(this);
    }
}
