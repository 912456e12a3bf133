using System.Runtime.InteropServices;

namespace Fmp4Streamer.Tests.V4L2.Simulated;

/// <summary>One queue (OUTPUT or CAPTURE) of the simulated M2M device: format, memory type, buffers and their owners.</summary>
public sealed unsafe class SimM2MQueue
{
    public sealed class Buffer
    {
        public required int Index { get; init; }
        public byte* Memory { get; set; }
        public int Length { get; set; }
        public long Offset { get; init; }
        public bool Mapped { get; set; }
        public SimBuffer.State Ownership { get; set; } = SimBuffer.State.Dequeued;
        public int ImportedFd { get; set; } = -1;
        public int BytesUsed { get; set; }
        public long TimestampUs { get; set; }
        public uint Flags { get; set; }
        public uint Sequence { get; set; }
    }

    public SimM2MQueue(uint offsetBase) => OffsetBase = offsetBase;

    public uint OffsetBase { get; }
    public uint FourCc { get; set; }
    public int Width { get; set; } = 640;
    public int Height { get; set; } = 480;
    public int SizeImage { get; set; }
    public uint Memory { get; set; }
    public bool Streaming { get; set; }
    public List<Buffer> Buffers { get; } = new();
    public List<int> Queued { get; } = new();
    public List<int> Done { get; } = new();

    /// <summary>How many times REQBUFS allocated a non-empty set (a source change allocates the CAPTURE side again).</summary>
    public int Allocations { get; set; }

    public void Allocate(int count, uint memory)
    {
        Free();
        Memory = memory;
        for (int i = 0; i < count; i++)
        {
            var b = new Buffer { Index = i, Offset = OffsetBase + ((long)i << 20), Length = SizeImage };
            if (memory == Fmp4Streamer.Linux.Native.videodev2.V4L2_MEMORY_MMAP) b.Memory = (byte*)NativeMemory.AllocZeroed((nuint)SizeImage);
            Buffers.Add(b);
        }
        if (count > 0) Allocations++;
    }

    public void Free()
    {
        foreach (var b in Buffers)
            if (b.Memory != null) NativeMemory.Free(b.Memory);
        Buffers.Clear();
        Queued.Clear();
        Done.Clear();
        Streaming = false;
    }

    /// <summary>STREAMOFF: every buffer comes back to the application.</summary>
    public void Stop()
    {
        Streaming = false;
        foreach (var b in Buffers) b.Ownership = SimBuffer.State.Dequeued;
        Queued.Clear();
        Done.Clear();
    }
}
