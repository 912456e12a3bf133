using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.V4L2;

/// <summary>
/// One dequeued buffer, valid only during <see cref="IFrameReceiver.OnFrame"/>: the bytes [0, bytesused) of the
/// mmap'ed buffer, the capture time (CLOCK_MONOTONIC, µs), the V4L2 buffer flags and the driver's sequence number.
/// </summary>
public readonly ref struct CapturedFrame
{
    public CapturedFrame(ReadOnlySpan<byte> data, long timestampUs, uint flags, uint sequence, int index)
    {
        Data = data;
        TimestampUs = timestampUs;
        Flags = flags;
        Sequence = sequence;
        Index = index;
    }

    public ReadOnlySpan<byte> Data { get; }
    public long TimestampUs { get; }
    public uint Flags { get; }
    public uint Sequence { get; }
    public int Index { get; }
    public bool IsKeyFrame => (Flags & V4L2_BUF_FLAG_KEYFRAME) != 0;
}
