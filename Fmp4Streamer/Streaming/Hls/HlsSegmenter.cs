using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Mp4.Hls;

namespace Fmp4Streamer.Streaming.Hls;

/// <summary>
/// Live HLS for one stream: subscribes to the hub like a progressive client while HLS clients are active, cuts the
/// shared fragments into segments at key frames (and, for Low-Latency HLS, into parts within each segment), keeps a
/// bounded window of them in memory and the two playlists that list them. Unsubscribes when no HLS request came for
/// a while, so the camera can sleep again. Loop thread only.
/// </summary>
public sealed class HlsSegmenter : IFragmentSubscriber, ITimerCallback, IDeferredCallback
{
    private readonly ILiveStream _stream;
    private readonly HlsOptions _options;
    private readonly string _component;
    private readonly IClock _clock;
    private readonly LoopTimer _idleTimer;
    private readonly Deferral _deferral;
    private readonly List<HlsSegment> _window = new();
    private readonly Stack<HlsSegment> _free = new();
    private readonly List<IHlsWaiter> _waiters = new();
    private IHlsWaiter[] _notify = new IHlsWaiter[8];
    private readonly long _idleUs;
    private readonly Stack<HlsPlaylist> _freePlaylists = new();

    private HlsSegment? _open;
    private InitSegment? _currentInit;
    private int _generation;
    private bool _pendingDiscontinuity;
    private long _nextSequence;
    private long _discontinuitySequence;
    private int _targetDuration = 1;
    private ulong _partTargetTicks;
    // The longest of the last few key-frame intervals (ticks), to foresee how long waiting for the next one takes.
    private readonly ulong[] _keyIntervals = new ulong[4];
    private int _keyIntervalIndex;
    private ulong _lastKeyDecodeTime;
    private bool _hasLastKey;
    private long _lastRequestUs;
    private bool _subscribed, _resubscribe;
    // The playlist lists what a player needs to start: a complete segment and (LL-HLS) a part of the open one.
    private bool _startable;
    // The media timeline players compute: the sum of the EXTINF of every segment since the segmenter started.
    private ulong _positionTicks;
    // The current continuous run: wall-clock time of its first frame and that frame's decode and capture times.
    private bool _hasRun;
    private DateTime _runStartUtc;
    private ulong _runStartDecodeTime;
    private long _runStartCaptureUs;
    private bool _timelineBreak;
    private bool _warnedLongFrame;

    public HlsSegmenter(EventLoop loop, ILiveStream stream, HlsOptions options)
    {
        _stream = stream;
        _options = options;
        _component = "HLS " + stream.Name;
        _clock = loop.Clock;
        _idleTimer = new LoopTimer(loop, this);
        _deferral = new Deferral(loop, this);
        _idleUs = (long)(options.ClientIdleTimeout.TotalMilliseconds * 1000);
        // The target starts at the configured minimum: starting at 1 s, the early cut (ShouldCut) would keep
        // segments at about a second whatever hls_segment_duration says when key frames come more often.
        _targetDuration = Math.Max(1, (int)Math.Round(options.MinSegmentDuration.TotalSeconds, MidpointRounding.AwayFromZero));
        // Numbers continue from wall-clock seconds (segments last at least about a second), so a restarted daemon
        // never reuses a segment URL that a cache may still hold from the previous run.
        _nextSequence = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    /// <summary>A capture time further than this from where the media time puts it means the source stalled or restarted.</summary>
    private const long MaxWallClockDriftUs = 500_000;

    public ILiveStream Stream => _stream;

    public HlsOptions Options => _options;

    /// <summary>Subscribed to the hub: an HLS client asked for something within the idle timeout.</summary>
    public bool IsActive => _subscribed;

    /// <summary>The live media playlist, or null until the first segment is complete. Retain it while sending it.</summary>
    public HlsPlaylist? MediaPlaylist { get; private set; }

    /// <summary>The master playlist (bandwidth, codecs, size, frame rate), or null until the first segment is complete.</summary>
    public HlsPlaylist? MasterPlaylist { get; private set; }

    /// <summary>
    /// The playlists hold what players need to start: <see cref="HlsOptions.StartSegments"/> complete segments and,
    /// with Low-Latency HLS, a part of the open segment (Shaka Player 5.2 fails to load a live playlist with one
    /// segment, and plays with three). Requests without a blocking directive wait for this when the stream wakes.
    /// </summary>
    public bool IsStartable => _startable && MediaPlaylist is not null;

    public int TargetDuration => _targetDuration;
    public int SegmentCount => _window.Count;

    /// <summary>Low-Latency HLS is on: playlists list parts and block on _HLS_msn/_HLS_part.</summary>
    public bool LowLatency => _options.PartTarget > TimeSpan.Zero;

    /// <summary>Media sequence number of the segment being written (the next one to complete).</summary>
    public long OpenSequence => _open?.Sequence ?? _nextSequence;

    /// <summary>
    /// The playlist has segment <paramref name="sequence"/> complete, or (part ≥ 0) its part <paramref name="part"/>:
    /// what an LL-HLS blocking reload waits for (RFC 8216bis 6.2.5.2).
    /// </summary>
    public bool Has(long sequence, int part)
    {
        if (MediaPlaylist is null) return false;
        if (sequence < OpenSequence) return true;
        return part >= 0 && _open is { } open && open.Sequence == sequence && part < open.PartCount;
    }

    /// <summary>The segment (complete, in the window, or the one being written) that holds part <paramref name="part"/>.</summary>
    public HlsSegment? FindPart(long sequence, int part)
    {
        var segment = FindSegment(sequence) ?? (_open is { } open && open.Sequence == sequence ? open : null);
        return segment is not null && part >= 0 && part < segment.PartCount ? segment : null;
    }

    /// <summary>
    /// What to do with a playlist request carrying _HLS_msn/_HLS_part (-1: absent), RFC 8216bis 6.2.5.2: answer now,
    /// hold it until the segment or part exists, or refuse a request more than two segments ahead.
    /// </summary>
    public HlsDecision DecidePlaylist(bool master, long msn, int part)
    {
        if (master || !LowLatency || msn < 0)
            return (master ? MasterPlaylist is not null : MediaPlaylist is not null) && IsStartable ? HlsDecision.Ready : HlsDecision.Wait;
        if (MediaPlaylist is null) return HlsDecision.Wait;
        if (msn > OpenSequence + 2) return HlsDecision.BadRequest;
        return Has(msn, part) ? HlsDecision.Ready : HlsDecision.Wait;
    }

    /// <summary>
    /// What to do with a request for part <paramref name="part"/> of segment <paramref name="sequence"/>: send it,
    /// hold it while it is the part the preload hint names (or the next segment's first), or 404: it left the
    /// window, or it lies further ahead than the hint (RFC 8216bis 6.2.6).
    /// </summary>
    public HlsDecision DecidePart(long sequence, int part)
    {
        if (FindPart(sequence, part) is not null) return HlsDecision.Ready;
        if (!LowLatency || MediaPlaylist is null || part < 0) return HlsDecision.NotFound;
        long open = OpenSequence;
        int hinted = _open is { } o && o.Sequence == open ? o.PartCount : 0;
        if (sequence == open && part <= hinted) return HlsDecision.Wait;
        if (sequence == open + 1 && part == 0) return HlsDecision.Wait;
        return HlsDecision.NotFound;
    }

    /// <summary>
    /// Cache-Control max-age, in seconds, for a blocking playlist answer: about a segment. The answer to a given
    /// _HLS_msn/_HLS_part always lists what was asked for, so a CDN can collapse the identical requests of many players
    /// without serving anything a player could not use.
    /// </summary>
    public int BlockingMaxAgeSeconds => _targetDuration;

    /// <summary>URI of an init segment generation (a new one follows each change of SPS/PPS).</summary>
    public static string InitUri(int generation) => MediaPlaylistWriter.InitUri(generation);

    /// <summary>An HLS request arrived: wakes the stream if needed and restarts the idle clock.</summary>
    public void Touch()
    {
        _lastRequestUs = _clock.NowUs;
        if (!_subscribed)
        {
            _subscribed = true;
            Log.Info(_component, "HLS client active: segmenting");
            _stream.Subscribe(this);
        }
        if (!_idleTimer.IsActive) _idleTimer.StartAt(_lastRequestUs + _idleUs);
    }

    /// <summary>The segment with this media sequence number if it is still in the window.</summary>
    public HlsSegment? FindSegment(long sequence)
    {
        if (_window.Count == 0) return null;
        long index = sequence - _window[0].Sequence;
        return index >= 0 && index < _window.Count ? _window[(int)index] : null;
    }

    /// <summary>The init segment of a generation still referenced by the window (or the current one).</summary>
    public InitSegment? FindInit(int generation)
    {
        for (int i = 0; i < _window.Count; i++)
            if (_window[i].InitGeneration == generation) return _window[i].Init;
        return generation == _generation ? _currentInit : null;
    }

    public void AddWaiter(IHlsWaiter waiter) => _waiters.Add(waiter);

    public void RemoveWaiter(IHlsWaiter waiter) => _waiters.Remove(waiter);

    public void OnFragment(SharedFragment fragment)
    {
        if (!_subscribed) return;
        if (LowLatency && _partTargetTicks == 0) PartTargetTicks(fragment);
        if (LowLatency && fragment.Duration > _partTargetTicks && !_warnedLongFrame)
        {
            _warnedLongFrame = true;
            Log.Warning(_component, "a frame lasts longer than hls_part_duration: such parts hold one frame and exceed PART-TARGET");
        }
        if (fragment.IsKeyFrame) RecordKeyFrame(fragment.DecodeTime);
        var open = _open;
        if (open is not null && open.Count > 0 && fragment.DecodeTime != open.EndDecodeTime)
        {
            // Frames were lost (the hub restarted the source and resumed us at a key frame): EXTINF must stay the
            // span of the segment's frames, so it ends here and the next one starts behind a discontinuity.
            CloseOpenSegment();
            open = null;
            _timelineBreak = true;
        }
        if (open is not null && !ReferenceEquals(fragment.Init, open.Init))
        {
            CloseOpenSegment();
            open = null;
        }
        if (open is null)
        {
            if (!fragment.IsKeyFrame) return;
            open = StartSegment(fragment);
        }
        else if (fragment.IsKeyFrame && ShouldCut(open))
        {
            CloseOpenSegment();
            open = StartSegment(fragment);
        }
        else if (LowLatency && open.OpenPartTicks > 0 && open.OpenPartTicks + fragment.Duration > PartTargetTicks(fragment))
        {
            // The part would pass the advertised target with this frame: it ends before it.
            open.ClosePart();
            if (!_startable && _window.Count >= _options.StartSegments) _startable = true;
            Changed(master: false);
        }
        else if (Seconds(open.DurationTicks, open.Init) >= _options.MaxSegmentDuration.TotalSeconds)
        {
            // Segments must start with a key frame: start over and ask the hub again (it requests one on subscribe).
            // The dropped segment's number is skipped: its parts may have been listed, and URLs are never reused.
            Log.Warning(_component, "no key frame for " + _options.MaxSegmentDuration.TotalSeconds + " s: starting over");
            ReleaseAll();
            _nextSequence++;
            _pendingDiscontinuity = true;
            _hasRun = false;
            _resubscribe = true;
            _deferral.Schedule();
            return;
        }
        open.Add(fragment);
    }

    public void OnStreamReset()
    {
        // New parameter sets: the hub dropped us. Keep what we have (it decodes with its own init) and rejoin
        // outside the hub's callback; the next segment starts at the new key frame behind a discontinuity.
        if (!_subscribed) return;
        if (_open is not null) CloseOpenSegment();
        _resubscribe = true;
        _deferral.Schedule();
    }

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        if (timer == _idleTimer)
        {
            long due = _lastRequestUs + _idleUs;
            if (_clock.NowUs < due) _idleTimer.StartAt(due);
            else Deactivate("no HLS request for " + _options.ClientIdleTimeout.TotalSeconds + " s: segmenter stops");
        }
    }

    void IDeferredCallback.OnDeferred(Deferral deferral)
    {
        if (_resubscribe && _subscribed)
        {
            _resubscribe = false;
            _stream.Unsubscribe(this);
            _stream.Subscribe(this);
        }
        if (MediaPlaylist is not null && _waiters.Count > 0)
        {
            // Answered waiters leave; the others wait for a later change (or their deadline). Copied into a reused
            // array: this runs after every playlist change while players hold blocking reloads.
            int n = _waiters.Count;
            if (_notify.Length < n) _notify = new IHlsWaiter[n * 2];
            _waiters.CopyTo(_notify);
            _waiters.Clear();
            for (int i = 0; i < n; i++)
            {
                if (!_notify[i].OnHlsUpdate(this)) _waiters.Add(_notify[i]);
                _notify[i] = null!;
            }
        }
    }

    /// <summary>Unsubscribes and releases every segment (server stopping, or no HLS client for a while).</summary>
    public void Close()
    {
        _idleTimer.Stop();
        _deferral.Cancel();
        if (_subscribed) Deactivate(null);
    }

    private void Deactivate(string? reason)
    {
        if (reason is not null) Log.Info(_component, reason);
        _subscribed = false;
        _resubscribe = false;
        _stream.Unsubscribe(this);
        ReleaseAll();
        // The next activation is a new presentation for the players that join it: position 0, a new run.
        _positionTicks = 0;
        _hasRun = false;
        _timelineBreak = false;
    }

    private void ReleaseAll()
    {
        _open?.Release();
        _open = null;
        foreach (var s in _window) s.Release();
        _window.Clear();
        MediaPlaylist?.Release();
        MasterPlaylist?.Release();
        MediaPlaylist = MasterPlaylist = null;
        _startable = false;
    }

    private HlsSegment StartSegment(SharedFragment first)
    {
        var init = first.Init;
        if (!ReferenceEquals(init, _currentInit))
        {
            if (_currentInit is not null)
            {
                _generation++;
                _pendingDiscontinuity = true;
            }
            _currentInit = init;
        }
        var segment = _free.Count > 0 ? _free.Pop() : new HlsSegment(_free);
        segment.Reset(init, _generation, _pendingDiscontinuity);
        // Numbered at the start: LL-HLS lists its parts before it is complete.
        segment.Sequence = _nextSequence;
        PlaceOnTimelines(segment, first);
        _pendingDiscontinuity = false;
        _open = segment;
        return segment;
    }

    /// <summary>
    /// Sets the segment's wall-clock time and tfdt origin. Within a continuous run the wall-clock time is the run's
    /// anchor plus media time, so PDT(N+1) − PDT(N) is EXTINF(N) exactly; a capture time that strays from it (the
    /// source stalled or restarted) or lost frames start a new run behind EXT-X-DISCONTINUITY. The origin makes
    /// (tfdt − origin) the sum of the EXTINF before the segment since the segmenter started, across discontinuities
    /// too: GStreamer's hlsdemux places a segment there and qtdemux stamps its frames with the tfdt.
    /// </summary>
    private void PlaceOnTimelines(HlsSegment segment, SharedFragment first)
    {
        uint timescale = first.Init.Timescale;
        long nowUs = MonotonicClock.NowUs;
        // Capture time is CLOCK_MONOTONIC: place it on the wall clock through the current offset between the two.
        long captureUs = first.CaptureTimeUs > 0 ? first.CaptureTimeUs : nowUs;
        bool continues = _hasRun && !_timelineBreak && !_pendingDiscontinuity && first.DecodeTime >= _runStartDecodeTime;
        // Without capture times (a source that has none) only the decode times can show a break.
        if (continues && first.CaptureTimeUs > 0 && _runStartCaptureUs > 0)
        {
            long mediaUs = (long)((first.DecodeTime - _runStartDecodeTime) * 1_000_000 / timescale);
            continues = Math.Abs(captureUs - _runStartCaptureUs - mediaUs) <= MaxWallClockDriftUs;
        }
        if (!continues)
        {
            if (_hasRun) segment.MarkDiscontinuity();
            _hasRun = true;
            _timelineBreak = false;
            _runStartDecodeTime = first.DecodeTime;
            _runStartCaptureUs = first.CaptureTimeUs;
            _runStartUtc = DateTime.UtcNow.AddTicks(-Math.Max(0, nowUs - captureUs) * 10);
        }
        ulong runTicks = first.DecodeTime - _runStartDecodeTime;
        segment.ProgramDateTime = _runStartUtc.AddTicks((long)(runTicks * 10_000_000 / timescale));
        segment.DecodeTimeOrigin = first.DecodeTime >= _positionTicks ? first.DecodeTime - _positionTicks : 0;
    }

    private void CloseOpenSegment()
    {
        var segment = _open!;
        _open = null;
        if (segment.Count == 0)
        {
            segment.Release();
            return;
        }
        segment.ClosePart();
        _nextSequence++;
        _positionTicks += segment.DurationTicks;
        if (_window.Count == 0 && segment.Discontinuity) _discontinuitySequence++;
        _window.Add(segment);
        if (!LowLatency && _window.Count >= _options.StartSegments) _startable = true;
        // RFC 8216bis 6.2.1: the target duration must not shrink; it grows only if a longer segment appears.
        _targetDuration = Math.Max(_targetDuration, MediaPlaylistWriter.TargetDurationFor(segment.DurationTicks, segment.Init.Timescale));
        while (_window.Count > _options.WindowSegments)
        {
            _window[0].Release();
            _window.RemoveAt(0);
            if (_window[0].Discontinuity) _discontinuitySequence++; // its tag leaves the playlist (6.2.2)
        }
        Changed(master: true);
    }

    /// <summary>Rebuilds the playlists and, after the hub's callback, tells the held requests.</summary>
    private void Changed(bool master)
    {
        if (_window.Count == 0) return;
        RebuildPlaylists(master);
        if (_waiters.Count > 0) _deferral.Schedule();
    }

    /// <summary>
    /// At a key frame: cut once the segment has its minimum length, or earlier (from a quarter second on) when
    /// waiting for the next regular key frame would make it longer than the target duration allows. Key frames
    /// requested for joining viewers shift the camera's rhythm; without this the target would have to grow, which
    /// RFC 8216bis 6.2.1 forbids.
    /// </summary>
    private bool ShouldCut(HlsSegment open)
    {
        double seconds = Seconds(open.DurationTicks, open.Init);
        if (seconds >= _options.MinSegmentDuration.TotalSeconds) return true;
        if (seconds < MinEarlyCutSeconds) return false;
        ulong interval = 0;
        foreach (ulong i in _keyIntervals) interval = Math.Max(interval, i);
        return interval > 0 && MediaPlaylistWriter.TargetDurationFor(open.DurationTicks + interval, open.Init.Timescale) > _targetDuration;
    }

    private const double MinEarlyCutSeconds = 0.25;

    private void RecordKeyFrame(ulong decodeTime)
    {
        if (_hasLastKey && decodeTime > _lastKeyDecodeTime)
        {
            _keyIntervals[_keyIntervalIndex] = decodeTime - _lastKeyDecodeTime;
            _keyIntervalIndex = (_keyIntervalIndex + 1) % _keyIntervals.Length;
        }
        _lastKeyDecodeTime = decodeTime;
        _hasLastKey = true;
    }

    /// <summary>
    /// The configured part duration in the track timescale: the advertised PART-TARGET, which must not change. Parts
    /// end early rather than pass it (a single frame longer than it still makes a part of its own).
    /// </summary>
    private ulong PartTargetTicks(SharedFragment fragment)
    {
        if (_partTargetTicks == 0)
            _partTargetTicks = Math.Max(1, (ulong)Math.Round(_options.PartTarget.TotalSeconds * fragment.Init.Timescale));
        return _partTargetTicks;
    }

    /// <summary>Writes the media playlist (and the master) into free buffers and publishes them; allocates nothing once warm.</summary>
    private void RebuildPlaylists(bool master)
    {
        var last = _window[^1];
        uint timescale = last.Init.Timescale;
        var playlist = RentPlaylist();
        var text = playlist.Text;
        bool lowLatency = LowLatency && _partTargetTicks > 0;
        MediaPlaylistWriter.WriteHeader(text, timescale, _targetDuration, _window[0].Sequence, _discontinuitySequence,
            lowLatency ? _partTargetTicks : 0);
        int map = -1;
        for (int i = 0; i < _window.Count; i++)
        {
            var s = _window[i];
            MediaPlaylistWriter.WriteSegmentTags(text, i == 0, s.Discontinuity, s.InitGeneration, ref map, s.ProgramDateTime);
            // Parts of the newest complete segments too: a player at PART-HOLD-BACK starts inside them.
            long units = PlaylistDurations.SegmentUnits(s.FirstDecodeTime, s.EndDecodeTime, timescale);
            if (lowLatency && i >= _window.Count - PartsListedSegments) WriteParts(text, timescale, s, units);
            MediaPlaylistWriter.WriteSegment(text, s.Sequence, units);
        }
        if (lowLatency)
        {
            // Between a cut and the next frame no segment is open: the hint names the next one's first part.
            var open = _open;
            if (open is not null)
            {
                MediaPlaylistWriter.WriteSegmentTags(text, false, open.Discontinuity, open.InitGeneration, ref map, null);
                WriteParts(text, timescale, open, -1);
                MediaPlaylistWriter.WritePreloadHint(text, open.Sequence, open.PartCount);
            }
            else
            {
                MediaPlaylistWriter.WriteSegmentTags(text, false, _pendingDiscontinuity, _generation, ref map, null);
                MediaPlaylistWriter.WritePreloadHint(text, _nextSequence, 0);
            }
        }
        MediaPlaylist?.Release();
        MediaPlaylist = playlist;
        if (master || MasterPlaylist is null) RebuildMaster();
    }

    private const int PartsListedSegments = 2;

    private PlaylistPart[] _partScratch = new PlaylistPart[8];


    private void WriteParts(PlaylistText text, uint timescale, HlsSegment segment, long segmentUnits)
    {
        int count = segment.PartCount;
        if (_partScratch.Length < count) _partScratch = new PlaylistPart[count * 2];
        for (int p = 0; p < count; p++) _partScratch[p] = segment.ToPlaylistPart(p);
        MediaPlaylistWriter.WriteParts(text, timescale, segment.Sequence, _partScratch.AsSpan(0, count), segmentUnits);
    }

    private HlsPlaylist RentPlaylist()
    {
        var playlist = _freePlaylists.Count > 0 ? _freePlaylists.Pop() : new HlsPlaylist(_freePlaylists, 2048);
        playlist.Reset();
        return playlist;
    }

    /// <summary>
    /// BANDWIDTH is the peak segment bit rate over the window plus a tenth, so a livelier scene than the window's
    /// still fits; AVERAGE-BANDWIDTH the window's average; FRAME-RATE the frames per second measured over it.
    /// </summary>
    private void RebuildMaster()
    {
        long totalBytes = 0, peak = 0, frames = 0;
        ulong totalTicks = 0;
        for (int i = 0; i < _window.Count; i++)
        {
            var s = _window[i];
            totalBytes += s.Bytes;
            totalTicks += s.DurationTicks;
            frames += s.Count;
            if (s.DurationTicks > 0) peak = Math.Max(peak, BitsPerSecond(s.Bytes, s.DurationTicks, s.Init.Timescale));
        }
        var last = _window[^1];
        uint timescale = last.Init.Timescale;
        long average = totalTicks > 0 ? BitsPerSecond(totalBytes, totalTicks, timescale) : 0;
        long bandwidth = peak + (peak + BandwidthHeadroomDivisor - 1) / BandwidthHeadroomDivisor;
        long frameRate = totalTicks > 0 ? (long)(((UInt128)(ulong)frames * timescale * 1000 + totalTicks / 2) / totalTicks) : 0;
        var playlist = RentPlaylist();
        MasterPlaylistWriter.Write(playlist.Text, bandwidth, average, last.Init.DisplayWidth, last.Init.DisplayHeight,
            last.Init.Codecs, frameRate, MediaPlaylistUri);
        MasterPlaylist?.Release();
        MasterPlaylist = playlist;
    }

    /// <summary>BANDWIDTH = peak × (1 + 1/10).</summary>
    private const long BandwidthHeadroomDivisor = 10;

    private static long BitsPerSecond(long bytes, ulong ticks, uint timescale) =>
        (long)(((UInt128)(ulong)bytes * 8 * timescale + ticks - 1) / ticks);

    /// <summary>Relative URI of the media playlist: the reference's name, so old bookmarks keep working.</summary>
    public const string MediaPlaylistUri = "streaminf.m3u8";

    private static double Seconds(ulong ticks, InitSegment init) => (double)ticks / init.Timescale;
}

/// <summary>The segmenter's answer to an HLS request: the HTTP side only carries it out.</summary>
public enum HlsDecision
{
    Ready,
    Wait,
    BadRequest,
    NotFound,
}
