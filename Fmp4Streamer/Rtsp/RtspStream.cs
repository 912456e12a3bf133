using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// One camera seen through RTSP: subscribes to its hub while a session plays or a DESCRIBE waits, packetizes
/// each frame (and the sound units that came with it) once and hands the shared packets to every playing session.
/// Video RTP timestamps run at 90 kHz from the capture clock (plus the composition offset, so B-frames carry
/// presentation times), audio ones at the sample rate from the same clock, so sender reports of both tracks map
/// them to one wall-clock time at any moment and a client can line them up.
/// </summary>
/// <remarks>
/// The audio units' decode times are on the video's media timeline (the hub places them there from their capture
/// times); a video frame's capture time minus its decode time says where that timeline's zero lies on the capture
/// clock, so the units' RTP times are that zero plus their decode time: contiguous, and as far from the pictures as
/// they are in the MP4 fragments.
/// </remarks>
public sealed class RtspStream : IFragmentSubscriber, IDeferredCallback, ITimerCallback
{
    private readonly EventLoop _loop;
    private readonly RtpPacketizer _packetizer;
    private readonly AacPacketizer _aacPacketizer;
    private readonly uint _audioRtpOffset;
    private readonly RtpFramePool _pool = new();
    private readonly Deferral _resubscribe;
    private readonly LoopTimer _reportTimer;
    private readonly long _reportIntervalUs;
    private readonly uint _rtpOffset;
    private readonly byte[] _reportScratch = new byte[RtcpPackets.SenderReportSize];

    // Copy-on-write: delivery iterates a snapshot while a send failure may end a session.
    private RtspSession[] _players = Array.Empty<RtspSession>();
    private readonly List<RtspConnection> _describers = new();
    private bool _subscribed;
    private InitSegment? _parsedInit;
    private AvcParameterSets? _parameterSets;
    private InitSegment? _parsedAudioInit;
    private AacConfig? _aacConfig;

    // Where the video's media time 0 lies on the capture clock (µs), once known.
    private bool _mediaZeroKnown;
    private long _mediaZeroUs;

    /// <summary>
    /// A frame's estimate of the media timeline's zero may stray from the held one by its capture jitter; beyond this
    /// the timeline was restarted (a stalled or reopened camera) and the estimate is taken.
    /// </summary>
    internal const long MediaZeroToleranceUs = 20_000;

    public RtspStream(EventLoop loop, ILiveStream live, int framesPerSecond, int mtu, long reportIntervalUs)
    {
        _loop = loop;
        Live = live;
        FramesPerSecond = framesPerSecond;
        uint ssrc = (uint)Random.Shared.Next() | 1;
        _rtpOffset = (uint)Random.Shared.Next();
        _packetizer = new RtpPacketizer(_pool, mtu, ssrc, (ushort)Random.Shared.Next(0, 65536));
        _audioRtpOffset = (uint)Random.Shared.Next();
        _aacPacketizer = new AacPacketizer(_pool, mtu, (uint)Random.Shared.Next() | 1, (ushort)Random.Shared.Next(0, 65536));
        _resubscribe = new Deferral(loop, this);
        _reportTimer = new LoopTimer(loop, this);
        _reportIntervalUs = reportIntervalUs;
    }

    public ILiveStream Live { get; }
    public string Name => Live.Name;
    public int FramesPerSecond { get; }
    public uint Ssrc => _packetizer.Ssrc;
    public ushort NextSequenceNumber => _packetizer.NextSequenceNumber;
    public uint AudioSsrc => _aacPacketizer.Ssrc;
    public ushort NextAudioSequenceNumber => _aacPacketizer.NextSequenceNumber;

    /// <summary>Audio units left out because no RTP packet can state their size.</summary>
    public long AudioUnitsRefused => _aacPacketizer.UnitsRefused;
    public int PlayerCount => _players.Length;
    public int OutstandingFrames => _pool.Outstanding;

    /// <summary>The SPS and PPS of the current init segment, or null before the camera sent any.</summary>
    public AvcParameterSets? ParameterSets
    {
        get
        {
            var init = Live.Init;
            if (init is null) return null;
            if (!ReferenceEquals(init, _parsedInit))
            {
                _parsedInit = init;
                _parameterSets = AvcParameterSets.FromInitSegment(init.Bytes);
            }
            return _parameterSets;
        }
    }

    /// <summary>The AAC track of the current init segment, or null when the stream has no sound (or no init segment yet).</summary>
    public AacConfig? Audio
    {
        get
        {
            var init = Live.Init;
            if (init is null || !init.HasAudio) return null;
            if (!ReferenceEquals(init, _parsedAudioInit))
            {
                _parsedAudioInit = init;
                _aacConfig = AacConfig.FromInitSegment(init.Bytes);
            }
            return _aacConfig;
        }
    }

    /// <summary>The RTP timestamp of an instant of the capture clock (CLOCK_MONOTONIC, µs).</summary>
    public uint RtpTime(long monotonicUs) => (uint)(monotonicUs * 9 / 100) + _rtpOffset;

    /// <summary>The audio RTP timestamp (at <paramref name="sampleRate"/>) of an instant of the capture clock.</summary>
    public uint AudioRtpTime(long monotonicUs, int sampleRate) =>
        (uint)(monotonicUs / 1_000_000 * sampleRate + monotonicUs % 1_000_000 * sampleRate / 1_000_000) + _audioRtpOffset;

    /// <summary>The RTP timestamp a track of <paramref name="link"/>'s kind has at a capture-clock instant.</summary>
    internal uint RtpTime(RtpLink link, long monotonicUs) =>
        link.IsAudio && Audio is { } audio ? AudioRtpTime(monotonicUs, audio.SampleRate) : RtpTime(monotonicUs);

    internal uint SsrcOf(RtpLink link) => link.IsAudio ? AudioSsrc : Ssrc;
    internal ushort NextSequenceNumberOf(RtpLink link) => link.IsAudio ? NextAudioSequenceNumber : NextSequenceNumber;

    /// <summary>Wakes the camera until its parameter sets are known; the connection is told through <see cref="RtspConnection.OnParameterSetsReady"/>.</summary>
    internal void AwaitParameterSets(RtspConnection connection)
    {
        _describers.Add(connection);
        UpdateSubscription();
    }

    internal void CancelAwait(RtspConnection connection)
    {
        if (_describers.Remove(connection)) UpdateSubscription();
    }

    internal void AddPlayer(RtspSession session)
    {
        if (Array.IndexOf(_players, session) >= 0) return;
        if (session.Video is not null) session.Video.WaitingForKeyFrame = true;
        var players = new RtspSession[_players.Length + 1];
        _players.CopyTo(players, 0);
        players[^1] = session;
        _players = players;
        UpdateSubscription();
        if (!_reportTimer.IsActive) _reportTimer.Start(_reportIntervalUs);
        // A client lines its tracks up only from their sender reports: one now, before the first packets, saves it
        // from starting each track at its own zero and jumping once the first periodic report comes.
        ReportTo(session, WallClockUs());
    }

    internal void RemovePlayer(RtspSession session)
    {
        int index = Array.IndexOf(_players, session);
        if (index < 0) return;
        var players = new RtspSession[_players.Length - 1];
        Array.Copy(_players, 0, players, 0, index);
        Array.Copy(_players, index + 1, players, index, _players.Length - index - 1);
        _players = players;
        UpdateSubscription();
    }

    void IFragmentSubscriber.OnFragment(SharedFragment fragment)
    {
        if (_describers.Count > 0) AnswerDescribers();
        var players = _players;
        if (players.Length == 0) return;
        DeliverVideo(fragment, players);
        if (fragment.HasAudio) DeliverAudio(fragment, players);
    }

    private void DeliverVideo(SharedFragment fragment, RtspSession[] players)
    {
        var parameterSets = ParameterSets;
        if (parameterSets is null || !FragmentSample.TryRead(fragment.Span, out var sample, out int compositionOffset)) return;
        long offsetUs = fragment.Init.Timescale == 0 ? 0 : compositionOffset * 1_000_000L / fragment.Init.Timescale;
        uint timestamp = RtpTime(fragment.CaptureTimeUs + offsetUs);
        var frame = _packetizer.Packetize(sample, parameterSets.Sps, parameterSets.Pps, fragment.IsKeyFrame, timestamp);
        if (frame is null) return;
        frame.CaptureTimeUs = fragment.CaptureTimeUs;
        for (int i = 0; i < players.Length; i++) players[i].Video?.Deliver(frame);
        frame.Release();
    }

    private void DeliverAudio(SharedFragment fragment, RtspSession[] players)
    {
        var audio = Audio;
        if (audio is null || fragment.Init.Timescale == 0 || !FragmentAudio.TryRead(fragment.Span, out var units)) return;
        long decodeUs = (long)(fragment.DecodeTime / fragment.Init.Timescale * 1_000_000
            + fragment.DecodeTime % fragment.Init.Timescale * 1_000_000 / fragment.Init.Timescale);
        long mediaZeroUs = fragment.CaptureTimeUs - decodeUs;
        if (!_mediaZeroKnown || Math.Abs(mediaZeroUs - _mediaZeroUs) > MediaZeroToleranceUs)
        {
            _mediaZeroKnown = true;
            _mediaZeroUs = mediaZeroUs;
        }
        bool wanted = false;
        for (int i = 0; i < players.Length; i++) wanted |= players[i].Audio is not null;
        if (!wanted) return;
        uint timestamp = AudioRtpTime(_mediaZeroUs, audio.SampleRate) + (uint)units.DecodeTime;
        var frame = _aacPacketizer.Packetize(units, timestamp);
        if (frame is null) return;
        frame.CaptureTimeUs = fragment.CaptureTimeUs;
        for (int i = 0; i < players.Length; i++) players[i].Audio?.Deliver(frame);
        frame.Release();
    }

    void IFragmentSubscriber.OnStreamReset()
    {
        // New SPS/PPS travel in-band before the next key frame: RTSP clients carry on once the hub takes us back.
        _subscribed = false;
        foreach (var p in _players)
            if (p.Video is not null) p.Video.WaitingForKeyFrame = true;
        _mediaZeroKnown = false;
        _resubscribe.Schedule();
    }

    void IDeferredCallback.OnDeferred(Deferral deferral) => UpdateSubscription();

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        var players = _players;
        if (players.Length == 0) return;
        long unixUs = WallClockUs();
        foreach (var session in players) ReportTo(session, unixUs);
        _reportTimer.Start(_reportIntervalUs);
    }

    private static long WallClockUs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>
    /// Both tracks' reports pair the same wall-clock instant with their RTP time of the same capture-clock instant.
    /// </summary>
    private void ReportTo(RtspSession session, long unixUs)
    {
        long nowUs = _loop.NowUs;
        if (session.Video is { } video) Report(video, unixUs, nowUs);
        if (session.Audio is { } audio) Report(audio, unixUs, nowUs);
    }

    private void Report(RtpLink link, long unixUs, long nowUs)
    {
        RtcpPackets.WriteSenderReport(_reportScratch, SsrcOf(link), unixUs, RtpTime(link, nowUs), link.PacketsSent, link.OctetsSent);
        link.Session.Owner.SendRtcp(link, _reportScratch);
    }

    /// <summary>Leaves the hub (server shutting down).</summary>
    internal void Close()
    {
        _reportTimer.Stop();
        _resubscribe.Cancel();
        _players = Array.Empty<RtspSession>();
        _describers.Clear();
        if (_subscribed) Live.Unsubscribe(this);
        _subscribed = false;
    }

    private void AnswerDescribers()
    {
        if (ParameterSets is null) return;
        var waiting = _describers.ToArray();
        _describers.Clear();
        foreach (var c in waiting) c.OnParameterSetsReady(this);
        UpdateSubscription();
    }

    private void UpdateSubscription()
    {
        bool wanted = _players.Length > 0 || _describers.Count > 0;
        if (wanted && !_subscribed)
        {
            _subscribed = true;
            Live.Subscribe(this);
        }
        else if (!wanted && _subscribed)
        {
            _subscribed = false;
            Live.Unsubscribe(this);
            _reportTimer.Stop();
        }
    }
}
