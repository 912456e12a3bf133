using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Diagnostics.Metrics;
using Fmp4Streamer.Jpeg;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Pictures;

/// <summary>
/// One stream's JPEG pictures: snapshots and the MJPEG stream, each picture made once and shared by every client.
/// Takes the cheapest source there is: an MJPG camera's own frame (completed with the standard Huffman tables when it
/// has none, and checked: a broken frame is never served), a YUYV/NV12 camera frame encoded as it is, or else the
/// H264 access units since the last key frame, decoded on the picture thread only when asked (snapshots) or while
/// an MJPEG client watches. Requests wake a sleeping source and let it sleep again after its grace; requests within
/// <see cref="PictureOptions.ShareWindowUs"/> of a picture, or while one is being made, share it. Loop thread only,
/// except the <see cref="PictureWorker"/>'s own thread.
/// </summary>
public sealed class PictureSource : IAccessUnitOutput, ICameraFrameSink, ITimerCallback, IDisposable
{
    // Two seconds of units waiting for the picture thread: it cannot keep up (a large picture on a small CPU);
    // it skips to the next key frame rather than falling further behind.
    private const int BacklogSeconds = 2;
    // A camera frame is due when at least three quarters of the MJPEG interval have passed: a 30 fps camera then
    // gives exactly 15 fps, where "a whole interval" would skip to every third frame.
    private const int DueNumerator = 3, DueDenominator = 4;

    private readonly EventLoop _loop;
    private readonly StreamHub _hub;
    private readonly PictureOptions _options;
    private readonly UnitBufferPool _units = new();
    private readonly AccessUnitHistory _history;
    private readonly FragmentPool _pictures;
    private readonly LoopTimer _keepTimer;
    private readonly LoopTimer _timeoutTimer;
    private readonly long _intervalUs;
    private List<ISnapshotWaiter> _waiters = new();
    private List<ISnapshotWaiter> _answering = new();
    private IMjpegClient[] _mjpeg = Array.Empty<IMjpegClient>();
    private PictureWorker? _worker;
    private bool _attached;
    private bool _holding;
    private bool _feeding;
    private bool _snapshotQueued;
    private SharedFragment? _latest;
    private long _latestSerial;
    private long _latestDoneUs = long.MinValue / 2;
    private long _generation;
    private long _fedGroup = -1;
    private long _fedSerial;
    private long _lastCameraPictureUs = long.MinValue / 2;
    private long _cameraSerial;
    private string? _lastError;
    private bool _backlogLogged;

    public PictureSource(EventLoop loop, StreamHub hub, PictureOptions options)
    {
        _loop = loop;
        _hub = hub;
        _options = options;
        _history = new AccessUnitHistory(_units);
        _pictures = new FragmentPool(loop.Clock, initialCapacity: 16 * 1024);
        _keepTimer = new LoopTimer(loop, this);
        _timeoutTimer = new LoopTimer(loop, this);
        _intervalUs = 1_000_000 / Math.Max(1, options.MjpegFps);
        _hub.SourceReplaced += OnSourceReplaced;
    }

    /// <summary>
    /// A reload put a source in place that may be of another kind (H264 or a pictures-only camera): the old one's
    /// units mean nothing to it, so pictures start again from the new source's first key frame or frame, taken the way
    /// its kind needs (the new camera's frames, or decoding), for the clients that are still watching.
    /// </summary>
    private void OnSourceReplaced()
    {
        _history.Clear();
        _fedGroup = -1;
        _feeding = false;
        UpdateInterest();
    }

    public string Name => _hub.Name;

    /// <summary>
    /// The camera whose own frames make the pictures, or null for H264 sources. Looked up each time: a reload may
    /// replace the hub's source (an H264 camera by a pictures-only one).
    /// </summary>
    private ICameraFrameOffer? Camera => _hub.Source is ICameraFrameOffer { CameraFrameFormat: not null } camera ? camera : null;
    public PictureStats Stats { get; } = new();
    public int MjpegClientCount => _mjpeg.Length;

    /// <summary>How long a snapshot request may wait before it is answered 503.</summary>
    public long TimeoutUs => _options.SnapshotTimeoutUs;

    /// <summary>Where pictures come from, for the log: "camera MJPG frames", "H264 decoded here".</summary>
    public string Kind => Camera?.CameraFrameFormat switch
    {
        CameraFrameFormat.Mjpeg => "the camera's own JPEG frames (passed through)",
        CameraFrameFormat.Yuyv => "the camera's YUYV frames",
        CameraFrameFormat.Nv12 => "the camera's NV12 frames",
        _ => "H264 decoded here",
    };

    /// <summary>Picture buffers still referenced (0 once every client released its share).</summary>
    public int OutstandingPictures => _pictures.Outstanding;

    public void Register(MetricsRegistry registry) =>
        Stats.Register(registry, Name, () => _worker?.Decodes ?? 0, () => _mjpeg.Length);

    // ---- snapshots -------------------------------------------------------------------------------------------

    /// <summary>Answers <paramref name="waiter"/> with the newest picture: at once when a fresh one exists, else once made.</summary>
    public void RequestSnapshot(ISnapshotWaiter waiter)
    {
        Stats.SnapshotRequests.Increment();
        if (_latest is not null && IsFresh())
        {
            Stats.SharedAnswers.Increment();
            waiter.OnSnapshot(_latest);
            UpdateInterest();
            return;
        }
        bool joining = _waiters.Count > 0 || _feeding;
        _waiters.Add(waiter);
        if (joining) Stats.SharedAnswers.Increment();
        if (!_timeoutTimer.IsActive) _timeoutTimer.Start(_options.SnapshotTimeoutUs);
        UpdateInterest();
        if (Camera is null && !_feeding) TryStartSnapshot();
    }

    /// <summary>The waiter went away (its connection closed) before its picture came.</summary>
    public void CancelSnapshot(ISnapshotWaiter waiter)
    {
        if (_waiters.Remove(waiter)) UpdateInterest();
    }

    /// <summary>
    /// The last picture may answer: it is younger than the share window, or no newer frame has arrived since (H264:
    /// the history's newest unit is the one it shows).
    /// </summary>
    private bool IsFresh()
    {
        if (_loop.NowUs - _latestDoneUs <= _options.ShareWindowUs) return true;
        return Camera is null && _attached && _history.Count > 0 && _latestSerial == _history.NewestSerial && _fedGroup == _history.Group;
    }

    private void TryStartSnapshot()
    {
        if (_snapshotQueued || _history.Count == 0) return; // waiting for a key frame (the hub has been asked)
        _snapshotQueued = true;
        Feed(PictureWork.Decode, PictureWork.EncodeNow);
    }

    /// <summary>Hands the worker the history's units it has not decoded yet (all of them after a new key frame).</summary>
    private void Feed(PictureWork every, PictureWork last)
    {
        var worker = EnsureWorker();
        EnsureSpares(worker);
        int from = _fedGroup == _history.Group ? (int)(_fedSerial - _history[0].Serial + 1) : 0;
        if (from >= _history.Count)
        {
            if (last != 0) worker.Enqueue(null, last);
            return;
        }
        for (int i = from; i < _history.Count; i++)
            worker.Enqueue(_history[i], every | (i == _history.Count - 1 ? last : 0));
        _fedGroup = _history.Group;
        _fedSerial = _history.NewestSerial;
    }

    // ---- MJPEG -----------------------------------------------------------------------------------------------

    public void AddMjpegClient(IMjpegClient client)
    {
        _mjpeg = [.. _mjpeg, client];
        UpdateInterest();
        // A picture of the last second starts the client at once; otherwise it gets the next one.
        if (_latest is not null && _loop.NowUs - _latestDoneUs < 1_000_000) OfferNewest(client);
    }

    public void RemoveMjpegClient(IMjpegClient client)
    {
        int index = Array.IndexOf(_mjpeg, client);
        if (index < 0) return;
        _mjpeg = Array.FindAll(_mjpeg, c => c != client);
        UpdateInterest();
    }

    /// <summary>A client that has sent everything takes the newest picture if it has not had it yet.</summary>
    public void OfferNewest(IMjpegClient client)
    {
        if (_latest is null || client.Generation >= _generation || !client.IsReady) return;
        Stats.MjpegPartsSent.Increment();
        client.OnPart(_latest, _generation);
    }

    // ---- what the stream delivers ----------------------------------------------------------------------------

    void IAccessUnitOutput.OnAccessUnit(in AccessUnit unit)
    {
        if (Camera is not null) return; // pictures come from the camera's own frames
        var buffer = _history.Add(unit);
        if (buffer is null) return;
        if (_feeding)
        {
            var worker = EnsureWorker();
            if (worker.Backlog > BacklogSeconds * Math.Max(1, _hub.Source.FramesPerSecond))
            {
                if (!_backlogLogged) Log.Warning(Name, "the picture thread cannot keep up: MJPEG skips to the next key frame");
                _backlogLogged = true;
                _fedGroup = -1;
                return;
            }
            if (_fedGroup == _history.Group)
            {
                EnsureSpares(worker);
                worker.Enqueue(buffer, PictureWork.Decode | PictureWork.EncodeIfDue);
                _fedSerial = buffer.Serial;
            }
            else if (buffer.IsKeyFrame)
            {
                Feed(PictureWork.Decode | PictureWork.EncodeIfDue, 0);
            }
        }
        else if (_waiters.Count > 0)
        {
            TryStartSnapshot();
        }
    }

    void IAccessUnitOutput.OnDiscontinuity()
    {
        _history.Clear();
        _fedGroup = -1;
    }

    void ICameraFrameSink.OnCameraFrame(in CameraFrame frame)
    {
        long t = frame.CaptureTimeUs != 0 ? frame.CaptureTimeUs : _loop.NowUs;
        bool snapshot = _waiters.Count > 0 && !_snapshotQueued;
        bool due = _mjpeg.Length > 0 && t - _lastCameraPictureUs >= _intervalUs * DueNumerator / DueDenominator;
        if (!snapshot && !due) return;
        if (frame.Format == CameraFrameFormat.Mjpeg)
        {
            var picture = PassThrough(frame.Data);
            if (picture is null) return;
            _lastCameraPictureUs = t;
            picture.CaptureTimeUs = t;
            Stats.Passthrough.Increment();
            Publish(picture, ++_cameraSerial);
            return;
        }
        var worker = EnsureWorker();
        if (!snapshot && worker.Backlog > 0) return; // still encoding the previous frame: this one is skipped
        EnsureSpares(worker, frame.Width, frame.Height);
        var unit = _units.Rent(frame.Data.Length);
        frame.Data.CopyTo(unit.Data);
        unit.Length = frame.Data.Length;
        unit.Format = frame.Format;
        unit.Width = frame.Width;
        unit.Height = frame.Height;
        unit.Stride = frame.Stride;
        unit.CaptureTimeUs = t;
        unit.Serial = ++_cameraSerial;
        worker.Enqueue(unit, PictureWork.EncodeRaw | (snapshot ? PictureWork.EncodeNow : 0));
        unit.Release();
        _lastCameraPictureUs = t;
        if (snapshot) _snapshotQueued = true;
    }

    /// <summary>
    /// The camera's JPEG in a picture buffer: only a complete frame; the standard Huffman tables inserted before the
    /// scan when it has none (T.81 K.3, which UVC cameras assume). Null for a broken frame.
    /// </summary>
    private SharedFragment? PassThrough(ReadOnlySpan<byte> data)
    {
        var layout = JpegFrameLayout.Inspect(data);
        if (!layout.IsComplete)
        {
            Stats.BrokenCameraFrames.Increment();
            return null;
        }
        int size = layout.Length + (layout.HasHuffmanTables ? 0 : JpegHeaderWriter.StandardHuffmanSegmentSize);
        var picture = _pictures.Rent(JpegPart.BufferSize(size));
        var dest = picture.Buffer.AsSpan(JpegPart.JpegOffset);
        if (layout.HasHuffmanTables)
        {
            data[..layout.Length].CopyTo(dest);
        }
        else
        {
            data[..layout.ScanStart].CopyTo(dest);
            int tables = JpegHeaderWriter.WriteStandardHuffmanTables(dest[layout.ScanStart..]);
            data[layout.ScanStart..layout.Length].CopyTo(dest[(layout.ScanStart + tables)..]);
            size = layout.Length + tables;
        }
        JpegPart.Complete(picture.Buffer, size);
        picture.Length = JpegPart.BufferSize(size);
        return picture;
    }

    // ---- results ---------------------------------------------------------------------------------------------

    private void OnResults(PictureWorker worker)
    {
        while (worker.TryTakeResult(out var result))
        {
            if (result.Requested) _snapshotQueued = false;
            if (result.Error is string error)
            {
                result.Picture?.Release();
                if (error != _lastError) Log.Warning(Name, "pictures: " + error);
                _lastError = error;
                if (result.Requested && _waiters.Count > 0) Answer(null);
            }
            else if (result.Picture is SharedFragment picture)
            {
                Stats.Encodes.Increment();
                Stats.EncodeTime.Record(result.EncodeUs);
                Publish(picture, result.Serial);
            }
            if (_worker == worker && (_waiters.Count > 0 || _mjpeg.Length > 0)) EnsureSpares(worker);
        }
        // A request that came while the last job was queued and a newer unit has arrived since: make it.
        if (_waiters.Count > 0 && Camera is null && !_feeding) TryStartSnapshot();
    }

    /// <summary>A finished picture (holding one reference, which becomes the "latest" one): to every waiter and ready MJPEG client.</summary>
    private void Publish(SharedFragment picture, long serial)
    {
        _latest?.Release();
        _latest = picture;
        _latestSerial = serial;
        _latestDoneUs = _loop.NowUs;
        _generation++;
        if (_waiters.Count > 0) Answer(picture);
        var clients = _mjpeg;
        for (int i = 0; i < clients.Length; i++) OfferNewest(clients[i]);
        UpdateInterest();
    }

    private void Answer(SharedFragment? picture)
    {
        (_waiters, _answering) = (_answering, _waiters);
        _timeoutTimer.Stop();
        foreach (var waiter in _answering) waiter.OnSnapshot(picture);
        _answering.Clear();
        UpdateInterest();
    }

    // ---- interest: holding the source, attaching, feeding ----------------------------------------------------

    /// <summary>
    /// Holds the source while a snapshot is pending or an MJPEG client watches; keeps the units since the last key
    /// frame for <see cref="PictureOptions.KeepUs"/> after the last request, so pollers get a picture without waiting
    /// for a key frame while the source still runs (it sleeps after its own grace when nobody else watches).
    /// </summary>
    private void UpdateInterest()
    {
        bool wanted = _waiters.Count > 0 || _mjpeg.Length > 0;
        if (wanted)
        {
            _keepTimer.Stop();
            if (!_attached)
            {
                _attached = true;
                _hub.AttachOutput(this);
            }
            if (!_holding)
            {
                _holding = true;
                _hub.HoldSource(this);
            }
        }
        else
        {
            if (_holding)
            {
                _holding = false;
                _hub.ReleaseSource(this);
            }
            if (_attached && !_keepTimer.IsActive) _keepTimer.Start(_options.KeepUs);
        }
        if (Camera is { } camera)
        {
            // The camera's frames are looked at only while someone waits for a picture.
            camera.CameraFrameSink = wanted ? this : null;
            return;
        }
        bool feed = _mjpeg.Length > 0;
        if (feed == _feeding) return;
        _feeding = feed;
        _backlogLogged = false;
        if (feed && _history.Count > 0) Feed(PictureWork.Decode | PictureWork.EncodeIfDue, 0);
    }

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        if (timer == _timeoutTimer)
        {
            if (_waiters.Count == 0) return;
            Stats.SnapshotTimeouts.Add(_waiters.Count);
            Log.Warning(Name, $"no picture within {_options.SnapshotTimeoutUs / 1000} ms: {_waiters.Count} snapshot request(s) answered 503");
            Answer(null);
        }
        else if (timer == _keepTimer && _attached && _waiters.Count == 0 && _mjpeg.Length == 0)
        {
            _attached = false;
            _hub.DetachOutput(this);
            _history.Clear();
            _fedGroup = -1;
        }
    }

    private PictureWorker EnsureWorker() =>
        _worker ??= new PictureWorker(_loop, Name, _options.Quality, _options.Rotation, _options.MaxWidth, _options.MjpegFps, OnResults);

    /// <summary>Two picture buffers lent to the worker: one being encoded, one ready for the next picture.</summary>
    private void EnsureSpares(PictureWorker worker, int width = 0, int height = 0)
    {
        if (width == 0)
        {
            width = _hub.Init?.Width ?? _hub.ConfiguredWidth;
            height = _hub.Init?.Height ?? _hub.ConfiguredHeight;
        }
        int bytes = JpegPart.BufferSize(JpegEncoder.SuggestedBufferSize(Math.Max(width, height), Math.Max(width, height)));
        for (int spares = worker.Spares; spares < 2; spares++)
        {
            var buffer = _pictures.Rent(bytes);
            buffer.HeldForReplay = true; // not a fan-out: keep it out of any delay statistics
            worker.AddSpare(buffer);
        }
    }

    public void Dispose()
    {
        _hub.SourceReplaced -= OnSourceReplaced;
        _keepTimer.Stop();
        _timeoutTimer.Stop();
        if (Camera is { } camera) camera.CameraFrameSink = null;
        if (_worker is { } worker)
        {
            worker.Dispose();
            while (worker.TryTakeResult(out var r)) r.Picture?.Release();
            while (worker.TryTakeSpare(out var spare)) spare!.Release();
        }
        if (_attached) _hub.DetachOutput(this);
        _attached = false;
        _history.Clear();
        _latest?.Release();
        _latest = null;
    }
}
