using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// One camera seen through RTSP: subscribes to its hub while a session plays or a DESCRIBE waits, packetizes
/// each frame once and hands the shared packets to every playing session. RTP timestamps run at 90 kHz from the
/// capture clock (plus the composition offset, so B-frames carry presentation times), so sender reports can map
/// them to wall-clock time at any moment.
/// </summary>
public sealed class RtspStream : IFragmentSubscriber, IDeferredCallback, ITimerCallback
{
    private readonly EventLoop _loop;
    private readonly RtpPacketizer _packetizer;
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

    public RtspStream(EventLoop loop, ILiveStream live, int framesPerSecond, int mtu, long reportIntervalUs)
    {
        _loop = loop;
        Live = live;
        FramesPerSecond = framesPerSecond;
        uint ssrc = (uint)Random.Shared.Next() | 1;
        _rtpOffset = (uint)Random.Shared.Next();
        _packetizer = new RtpPacketizer(_pool, mtu, ssrc, (ushort)Random.Shared.Next(0, 65536));
        _resubscribe = new Deferral(loop, this);
        _reportTimer = new LoopTimer(loop, this);
        _reportIntervalUs = reportIntervalUs;
    }

    public ILiveStream Live { get; }
    public string Name => Live.Name;
    public int FramesPerSecond { get; }
    public uint Ssrc => _packetizer.Ssrc;
    public ushort NextSequenceNumber => _packetizer.NextSequenceNumber;
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

    /// <summary>The RTP timestamp of an instant of the capture clock (CLOCK_MONOTONIC, µs).</summary>
    public uint RtpTime(long monotonicUs) => (uint)(monotonicUs * 9 / 100) + _rtpOffset;

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
        session.WaitingForKeyFrame = true;
        var players = new RtspSession[_players.Length + 1];
        _players.CopyTo(players, 0);
        players[^1] = session;
        _players = players;
        UpdateSubscription();
        if (!_reportTimer.IsActive) _reportTimer.Start(_reportIntervalUs);
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
        var parameterSets = ParameterSets;
        if (parameterSets is null || !FragmentSample.TryRead(fragment.Span, out var sample, out int compositionOffset)) return;
        long offsetUs = fragment.Init.Timescale == 0 ? 0 : compositionOffset * 1_000_000L / fragment.Init.Timescale;
        uint timestamp = RtpTime(fragment.CaptureTimeUs + offsetUs);
        var frame = _packetizer.Packetize(sample, parameterSets.Sps, parameterSets.Pps, fragment.IsKeyFrame, timestamp);
        if (frame is null) return;
        frame.CaptureTimeUs = fragment.CaptureTimeUs;
        for (int i = 0; i < players.Length; i++) players[i].Deliver(frame);
        frame.Release();
    }

    void IFragmentSubscriber.OnStreamReset()
    {
        // New SPS/PPS travel in-band before the next key frame: RTSP clients carry on once the hub takes us back.
        _subscribed = false;
        foreach (var p in _players) p.WaitingForKeyFrame = true;
        _resubscribe.Schedule();
    }

    void IDeferredCallback.OnDeferred(Deferral deferral) => UpdateSubscription();

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        var players = _players;
        if (players.Length == 0) return;
        long unixUs = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        uint rtpNow = RtpTime(_loop.NowUs);
        foreach (var session in players)
        {
            RtcpPackets.WriteSenderReport(_reportScratch, Ssrc, unixUs, rtpNow, session.PacketsSent, session.OctetsSent);
            session.Owner.SendRtcp(session, _reportScratch);
        }
        _reportTimer.Start(_reportIntervalUs);
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
