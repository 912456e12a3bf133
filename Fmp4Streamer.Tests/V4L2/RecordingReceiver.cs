using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.Tests.V4L2;

/// <summary>Keeps a copy of every frame a BufferQueue hands over.</summary>
public sealed class RecordingReceiver : IFrameReceiver
{
    public sealed record Frame(byte[] Data, long TimestampUs, uint Flags, uint Sequence, int Index);

    public List<Frame> Frames { get; } = new();

    public void OnFrame(in CapturedFrame frame) =>
        Frames.Add(new Frame(frame.Data.ToArray(), frame.TimestampUs, frame.Flags, frame.Sequence, frame.Index));
}
