using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Http;

/// <summary>
/// The endless fMP4 stream of one connection (/stream.mp4): subscribes to the stream, sends the init segment and
/// then every shared fragment from a key frame on, with its tfdt rebased so this client's timeline starts at 0. It
/// never makes capture wait: a slow reader skips to the next key frame, a stalled one is closed by the connection.
/// </summary>
internal sealed class ProgressiveResponder : IFragmentSubscriber, IStreamResponder
{
    private enum Phase
    {
        /// <summary>Not subscribed (before the request, or after the response ended).</summary>
        Idle,
        /// <summary>Subscribed; nothing sent yet: the first fragment must be a key frame.</summary>
        AwaitingKeyFrame,
        Sending,
        /// <summary>Fell behind: fragments are dropped until the next key frame.</summary>
        Skipping,
        /// <summary>The stream was reset: the queued fragments finish after the hub's callback, then the close.</summary>
        Ending,
        /// <summary>A send failed inside the hub's callback: the close follows after it.</summary>
        Failed,
    }

    private readonly HttpConnection _connection;
    private Phase _phase;
    private ILiveStream? _stream;
    private InitSegment? _init;
    // The decode time of this client's first fragment: its timeline's 0 (a little earlier with audio, see StartTimeline).
    private ulong _origin;
    private ulong _audioOrigin;
    // One log line per falling-behind episode: it ends when the queue ran empty.
    private bool _behind;
    private long _joinedUs;
    // /stream.h264: raw Annex-B frames, no init segment, no timeline to rebase.
    private bool _raw;

    public ProgressiveResponder(HttpConnection connection) => _connection = connection;

    public long Skipped { get; private set; }
    public bool Failed => _phase == Phase.Failed;

    /// <summary>The route handler of /stream.mp4.</summary>
    public static void Start(HttpConnection connection, scoped in RouteRequest request)
    {
        var head = connection.BeginHead(200);
        head.Header("Content-Type", "video/mp4");
        head.Append(CacheHeaders.Endless);
        // No Content-Length and no chunking: the body is ended by the close. Ranges of an endless body are ignored.
        connection.QueueHead(ref head, keepAlive: false);
        if (request.HeadOnly)
        {
            connection.BeginResponse();
            return;
        }
        connection.Progressive.Join(connection.Server.Routes.Streams[request.StreamIndex]);
    }

    /// <summary>The route handler of /stream.h264: the same fan-out rules with raw H264 (Annex-B) frames.</summary>
    public static void StartRaw(HttpConnection connection, scoped in RouteRequest request)
    {
        var head = connection.BeginHead(200);
        head.Header("Content-Type", "video/h264");
        head.Append(CacheHeaders.Endless);
        connection.QueueHead(ref head, keepAlive: false);
        if (request.HeadOnly)
        {
            connection.BeginResponse();
            return;
        }
        connection.Progressive._raw = true;
        connection.Progressive.Join(connection.Server.RawStream(request.StreamIndex));
    }

    private void Join(ILiveStream stream)
    {
        _stream = stream;
        _phase = Phase.AwaitingKeyFrame;
        _joinedUs = _connection.Server.Loop.NowUs;
        _connection.BeginStreaming(this);
        Log.Info(_connection.Component, "joined " + stream.Name);
        stream.Subscribe(this);
        if (_connection.State == ConnectionState.Streaming && !_connection.WaitingForWritable) _connection.FlushStreaming();
    }

    public void OnFragment(SharedFragment fragment)
    {
        if (_phase is not (Phase.AwaitingKeyFrame or Phase.Sending or Phase.Skipping)) return;
        var queue = _connection.Queue;
        bool wasEmpty = queue.IsEmpty;
        if (_phase == Phase.AwaitingKeyFrame)
        {
            // The hub starts every subscriber at a key frame; never start a client anywhere else.
            if (!fragment.IsKeyFrame) return;
            _init = fragment.Init;
            StartTimeline(fragment);
            if (!_raw) queue.EnqueuePlain(_init.Bytes, 0, _init.Bytes.Length);
            _phase = Phase.Sending;
        }
        else if (!ReferenceEquals(fragment.Init, _init))
        {
            // New parameter sets without a reset: these fragments do not fit the moov this client already has.
            OnStreamReset();
            return;
        }
        if (_phase == Phase.Skipping)
        {
            if (!fragment.IsKeyFrame)
            {
                Skipped++;
                return;
            }
            _phase = Phase.Sending;
        }

        long queued = queue.QueuedBytes;
        if (queued > 0 && (queued + fragment.Length > _connection.Server.Options.ClientQueueBytes || queue.IsFragmentRingFull))
        {
            // Whole fragments only: drop what has not started and resume at a key frame, so the bytes the
            // client gets stay a valid fMP4 stream (camera-streamer's keyed queue limit).
            Skipped += queue.DropUnstarted();
            if (!_behind)
            {
                _behind = true;
                Log.Info(_connection.Component, "falling behind: skipping to the next key frame");
            }
            if (!fragment.IsKeyFrame)
            {
                _phase = Phase.Skipping;
                Skipped++;
                return;
            }
        }

        if (wasEmpty) _connection.MarkPending();
        queue.TryEnqueue(fragment, 0, fragment.Length, rebase: !_raw, _origin, _audioOrigin);
        // Send at once; while EPOLLOUT is armed the socket was full at the last try and the poll will flush.
        if (!_connection.WaitingForWritable) _connection.FlushStreaming();
    }

    /// <summary>
    /// Sets this client's 0 at the first fragment. Sound captured just before the key frame rides in it (a unit
    /// goes out once complete), so with audio the 0 is the earlier of the two tracks' starts, the same instant in
    /// both timescales: both tracks keep their offset and neither decode time goes below 0. Without audio in the
    /// first fragment, the next fragments' sound may still start up to a few frames before the picture: the 0 is
    /// put <see cref="AudioLeadTicks"/> earlier.
    /// </summary>
    private void StartTimeline(SharedFragment fragment)
    {
        _origin = fragment.DecodeTime;
        _audioOrigin = 0;
        int rate = fragment.Init.AudioSampleRate;
        if (rate == 0) return;
        ulong scale = fragment.Init.Timescale;
        if (fragment.HasAudio)
        {
            ulong audioStart = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(
                fragment.Buffer.AsSpan(Mp4.AvFragmentWriter.AudioTfdtValueOffset));
            _origin = Math.Min(_origin, audioStart * scale / (ulong)rate);
        }
        else
        {
            _origin = _origin > AudioLeadTicks ? _origin - AudioLeadTicks : 0;
        }
        _audioOrigin = _origin * (ulong)rate / scale;
    }

    /// <summary>100 ms at 90 kHz: more than a unit's capture plus a frame interval.</summary>
    private const ulong AudioLeadTicks = 9000;

    public void OnStreamReset()
    {
        if (_phase is not (Phase.AwaitingKeyFrame or Phase.Sending or Phase.Skipping)) return;
        _phase = Phase.Ending;
        _connection.Server.Defer(_connection);
    }

    /// <summary>Everything queued went out.</summary>
    public void OnCaughtUp() => _behind = false;

    public void OnSendFailed()
    {
        if (_phase == Phase.Failed) return;
        _phase = Phase.Failed;
        _connection.Server.Defer(_connection);
    }

    /// <summary>After the hub's callback: close a failed client; end a reset one after its queued fragments.</summary>
    public void OnDeferred()
    {
        if (_phase == Phase.Failed)
        {
            _connection.Close(null);
        }
        else if (_phase == Phase.Ending)
        {
            Unsubscribe();
            _connection.FinishStream("stream reset");
        }
    }

    /// <summary>The connection closed: unsubscribes and logs the visit; false if this connection never streamed.</summary>
    public bool Stop(long fragments, string? reason)
    {
        Unsubscribe();
        if (_stream is null) return false;
        var stats = _connection.Server.Stats;
        stats.ProgressiveFragmentsSent.Add(fragments);
        stats.ProgressiveFramesSkipped.Add(Skipped);
        long seconds = (_connection.Server.Loop.NowUs - _joinedUs) / 1_000_000;
        Log.Info(_connection.Component, "left after " + seconds + " s, " + fragments + " fragments, " + Skipped + " skipped"
            + (reason != null ? " (" + reason + ")" : ""));
        return true;
    }

    private void Unsubscribe()
    {
        if (_phase == Phase.Idle) return;
        _phase = Phase.Idle;
        _stream!.Unsubscribe(this);
    }
}
