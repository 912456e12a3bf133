using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Streaming;

/// <summary>
/// The built-in camera: encodes the test pattern on a loop timer at the configured rate, with a key frame every
/// second or on request. Its frames carry their frame number and wall-clock time, so tests can tell how old a
/// displayed picture is.
/// </summary>
public sealed class TestPatternSource : IVideoSource, ITimerCallback
{
    private readonly TestPatternEncoder _encoder;
    private readonly LoopTimer _frameTimer;
    private readonly EventLoop _loop;
    private readonly byte[] _frame;
    private readonly long _frameIntervalUs;
    private readonly int _fps;
    private readonly int _keyFrameInterval;
    private IAccessUnitSink? _sink;
    private long _frameNumber;
    private long _startUs;
    private long _framesSinceStart;
    private long _nextDueUs;
    private int _framesSinceKey;
    private bool _keyFrameRequested;
    private readonly bool _flash;

    public TestPatternSource(EventLoop loop, int width, int height, int fps, bool flash = false)
    {
        _flash = flash;
        _encoder = new TestPatternEncoder(width, height, fps);
        _frame = new byte[_encoder.MaxFrameSize];
        _loop = loop;
        _frameTimer = new LoopTimer(loop, this);
        _frameIntervalUs = 1_000_000 / fps;
        _fps = fps;
        _keyFrameInterval = fps;
        FramesPerSecond = fps;
        Description = $"test pattern {width}x{height}@{fps}";
    }

    public string Description { get; }
    public int FramesPerSecond { get; }

    public void Start(IAccessUnitSink sink)
    {
        _sink = sink;
        _keyFrameRequested = true;
        _startUs = _nextDueUs = _loop.NowUs;
        _framesSinceStart = 0;
        _frameTimer.StartAt(_nextDueUs);
    }

    public void Stop()
    {
        _frameTimer.Stop();
        _sink = null;
    }

    public void RequestKeyFrame() => _keyFrameRequested = true;

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        var sink = _sink;
        if (sink is null) return;
        long now = _loop.NowUs;
        // A synthetic camera's frames are taken exactly on its schedule; the loop's wake-up jitter is not
        // part of the picture's time, so the stamp is the ideal time and durations come out exact.
        long captureTimeUs = _nextDueUs;
        bool key = _keyFrameRequested || _framesSinceKey >= _keyFrameInterval;
        // The flash marks each full second since the start, when the test tone (started with it) has its bursts.
        bool flash = _flash && _framesSinceStart % _fps == 0;
        int length = _encoder.EncodeFrame(_frameNumber++, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), key, _frame, flash);
        _framesSinceKey = key ? 1 : _framesSinceKey + 1;
        _keyFrameRequested = false;
        // Schedule from the ideal time, not from now, so the rate does not drift; after a long stall, resync.
        _framesSinceStart++;
        _nextDueUs = _startUs + _framesSinceStart * 1_000_000 / _fps;
        if (_nextDueUs < now - 10 * _frameIntervalUs)
        {
            _startUs = _nextDueUs = now + _frameIntervalUs;
            _framesSinceStart = 0;
        }
        _frameTimer.StartAt(_nextDueUs);
        sink.OnAccessUnit(_frame.AsSpan(0, length), captureTimeUs);
    }

    public void Dispose() => Stop();
}
