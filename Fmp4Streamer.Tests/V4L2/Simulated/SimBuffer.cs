namespace Fmp4Streamer.Tests.V4L2.Simulated;

/// <summary>One MMAP buffer of the simulated queue: who owns it, its memory and the last completed frame.</summary>
public sealed unsafe class SimBuffer
{
    public enum State { Dequeued, Queued, Done }

    public required int Index { get; init; }
    public required byte* Memory { get; init; }
    public required int Length { get; init; }
    public State Ownership { get; set; } = State.Dequeued;
    public int MapCount { get; set; }
    public bool Orphaned { get; set; }
    public int BytesUsed { get; set; }
    public long TimestampUs { get; set; }
    public uint Flags { get; set; }
    public uint Sequence { get; set; }
    public long Offset => (long)Index << 20;
}
