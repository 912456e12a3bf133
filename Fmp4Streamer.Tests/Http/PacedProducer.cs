using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Tests.Http;

/// <summary>
/// Publishes fragments from a loop timer, as a camera would, and measures the loop thread's allocations
/// between fragment <see cref="WarmUp"/> and <see cref="WarmUp"/> + <see cref="Measured"/>.
/// </summary>
internal sealed class PacedProducer : ITimerCallback
{
    private readonly FakeLiveStream _stream;
    private readonly LoopTimer _timer;
    private readonly long _intervalUs;
    private long _startBytes;
    private int _count;

    public PacedProducer(EventLoop loop, FakeLiveStream stream, long intervalUs, int warmUp, int measured, int gop, int keySize, int size)
    {
        _stream = stream;
        _timer = new LoopTimer(loop, this);
        _intervalUs = intervalUs;
        WarmUp = warmUp;
        Measured = measured;
        Gop = gop;
        KeySize = keySize;
        Size = size;
    }

    public int WarmUp { get; }
    public int Measured { get; }
    public int Gop { get; }
    public int KeySize { get; }
    public int Size { get; }
    public long AllocatedBytes { get; private set; } = -1;
    public volatile bool Done;

    public void Start() => _timer.Start(_intervalUs);

    public void OnTimer(LoopTimer timer)
    {
        if (_count == WarmUp) _startBytes = GC.GetAllocatedBytesForCurrentThread();
        if (_count == WarmUp + Measured)
        {
            AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - _startBytes;
            Done = true;
            return;
        }
        bool key = _count % Gop == 0;
        _stream.Publish(key, key ? KeySize : Size);
        _count++;
        _timer.Start(_intervalUs);
    }
}
