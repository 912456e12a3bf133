namespace Fmp4Streamer.Config;

/// <summary>Memory of an M2M device's two queues: OUTPUT (data in) then CAPTURE (data out), written "MMAP-DMABUF".</summary>
public readonly record struct MemoryPair(MemoryType Input, MemoryType Capture)
{
    public override string ToString() => ConfigValues.MemoryName(Input) + "-" + ConfigValues.MemoryName(Capture);
}
