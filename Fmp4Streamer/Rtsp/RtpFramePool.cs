namespace Fmp4Streamer.Rtsp;

/// <summary>Recycles <see cref="RtpFrame"/> buffers on the loop thread; buffers only grow, so steady state allocates nothing.</summary>
public sealed class RtpFramePool
{
    private readonly Stack<RtpFrame> _free = new();

    /// <summary>Frames currently held by someone.</summary>
    public int Outstanding { get; private set; }

    /// <summary>A frame with one reference (the caller's) and room for <paramref name="bytes"/> in <paramref name="packets"/> packets.</summary>
    public RtpFrame Rent(int bytes, int packets)
    {
        var frame = _free.Count > 0 ? _free.Pop() : new RtpFrame(this, Math.Max(bytes, 64 * 1024));
        frame.Prepare(bytes, packets);
        Outstanding++;
        return frame;
    }

    internal void Return(RtpFrame frame)
    {
        Outstanding--;
        _free.Push(frame);
    }
}
