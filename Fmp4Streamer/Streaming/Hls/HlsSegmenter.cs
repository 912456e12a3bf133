using System.Text;
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
    private readonly LoopTimer _idleTimer;
    private readonly Deferral _deferral;
    private readonly List<HlsSegment> _window = new();
    private readonly Stack<HlsSegment> _free = new();
    private readonly List<IHlsWaiter> _waiters = new();
    private readonly long _idleUs;

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

    public HlsSegmenter(EventLoop loop, ILiveStream stream, HlsOptions options)
    {
        _stream = stream;
        _options = options;
        _component = "HLS " + stream.Name;
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

    public ILiveStream Stream => _stream;

    /// <summary>Subscribed to the hub: an HLS client asked for something within the idle timeout.</summary>
    public bool IsActive => _subscribed;

    /// <summary>The live media playlist, or null until the first segment is complete.</summary>
    public byte[]? MediaPlaylist { get; private set; }

    /// <summary>The master playlist (bandwidth, codecs, size), or null until the first segment is complete.</summary>
    public byte[]? MasterPlaylist { get; private set; }

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

    /// <summary>URI of an init segment generation (a new one follows each change of SPS/PPS).</summary>
    public static string InitUri(int generation) => generation == 0 ? "init.mp4" : "init" + generation + ".mp4";

    /// <summary>An HLS request arrived: wakes the stream if needed and restarts the idle clock.</summary>
    public void Touch()
    {
        _lastRequestUs = MonotonicClock.NowUs;
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
        if (fragment.IsKeyFrame) RecordKeyFrame(fragment.DecodeTime);
        var open = _open;
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
            if (MonotonicClock.NowUs < due) _idleTimer.StartAt(due);
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
            // Answered waiters leave; the others wait for a later change (or their deadline).
            var waiters = _waiters.ToArray();
            _waiters.Clear();
            foreach (var w in waiters)
                if (!w.OnHlsUpdate(this)) _waiters.Add(w);
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
    }

    private void ReleaseAll()
    {
        _open?.Release();
        _open = null;
        foreach (var s in _window) s.Release();
        _window.Clear();
        MediaPlaylist = MasterPlaylist = null;
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
        // Capture time is CLOCK_MONOTONIC: place it on the wall clock through the current offset between the two.
        long ageUs = first.CaptureTimeUs > 0 ? Math.Max(0, MonotonicClock.NowUs - first.CaptureTimeUs) : 0;
        segment.ProgramDateTime = DateTime.UtcNow.AddTicks(-ageUs * 10);
        _pendingDiscontinuity = false;
        _open = segment;
        return segment;
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
        if (_window.Count == 0 && segment.Discontinuity) _discontinuitySequence++;
        _window.Add(segment);
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

    /// <summary>Fixed at the first frame: the advertised PART-TARGET must not change.</summary>
    private ulong PartTargetTicks(SharedFragment fragment)
    {
        if (_partTargetTicks == 0)
        {
            ulong target = (ulong)(_options.PartTarget.TotalSeconds * fragment.Init.Timescale);
            _partTargetTicks = Math.Max(target, (ulong)fragment.Duration * 5 / 4);
        }
        return _partTargetTicks;
    }

    private void RebuildPlaylists(bool master)
    {
        var last = _window[^1];
        uint timescale = last.Init.Timescale;
        var segments = new PlaylistSegment[_window.Count];
        for (int i = 0; i < segments.Length; i++) segments[i] = _window[i].ToPlaylistSegment();
        LowLatencyInfo? lowLatency = null;
        if (LowLatency && _partTargetTicks > 0)
        {
            // Parts of the newest complete segments too: a player at PART-HOLD-BACK starts inside them.
            var segmentParts = new PlaylistPart[]?[segments.Length];
            for (int i = Math.Max(0, segments.Length - PartsListedSegments); i < segments.Length; i++) segmentParts[i] = Parts(_window[i]);
            // Between a cut and the next frame no segment is open: the hint names the next one's first part.
            var open = _open;
            lowLatency = open is not null
                ? new LowLatencyInfo(_partTargetTicks, segmentParts, open.Sequence, Parts(open), InitUri(open.InitGeneration), open.Discontinuity)
                : new LowLatencyInfo(_partTargetTicks, segmentParts, _nextSequence, [], InitUri(_generation), _pendingDiscontinuity);
        }
        MediaPlaylist = Encoding.ASCII.GetBytes(MediaPlaylistWriter.Write(timescale, _targetDuration, _discontinuitySequence, segments, lowLatency));
        if (master || MasterPlaylist is null) RebuildMaster();
    }

    private const int PartsListedSegments = 2;

    private static PlaylistPart[] Parts(HlsSegment segment)
    {
        var parts = new PlaylistPart[segment.PartCount];
        for (int p = 0; p < parts.Length; p++) parts[p] = segment.ToPlaylistPart(p);
        return parts;
    }

    private void RebuildMaster()
    {
        long totalBytes = 0, peak = 0;
        double totalSeconds = 0;
        for (int i = 0; i < _window.Count; i++)
        {
            var s = _window[i];
            double seconds = Seconds(s.DurationTicks, s.Init);
            totalBytes += s.Bytes;
            totalSeconds += seconds;
            if (seconds > 0) peak = Math.Max(peak, (long)Math.Ceiling(s.Bytes * 8 / seconds));
        }
        var last = _window[^1];
        long average = totalSeconds > 0 ? (long)Math.Ceiling(totalBytes * 8 / totalSeconds) : 0;
        MasterPlaylist = Encoding.ASCII.GetBytes(MasterPlaylistWriter.Write(peak, average, last.Init.DisplayWidth, last.Init.DisplayHeight,
            last.Init.Codecs, MediaPlaylistUri));
    }

    /// <summary>Relative URI of the media playlist: the reference's name, so old bookmarks keep working.</summary>
    public const string MediaPlaylistUri = "streaminf.m3u8";

    private static double Seconds(ulong ticks, InitSegment init) => (double)ticks / init.Timescale;
}
