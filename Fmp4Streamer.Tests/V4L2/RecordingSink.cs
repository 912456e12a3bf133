using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Tests.V4L2;

/// <summary>An IAccessUnitSink that records what a source delivered.</summary>
public sealed class RecordingSink : IAccessUnitSink
{
    public List<(byte[] Data, long TimestampUs)> Units { get; } = new();
    public List<string> Interruptions { get; } = new();
    public Action? OnUnit { get; set; }

    public void OnAccessUnit(ReadOnlySpan<byte> annexB, long captureTimeUs)
    {
        Units.Add((annexB.ToArray(), captureTimeUs));
        OnUnit?.Invoke();
    }

    public void OnSourceInterrupted(string reason) => Interruptions.Add(reason);
}
