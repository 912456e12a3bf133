namespace Fmp4Streamer.Config;

/// <summary>V4L2 buffer memory of a queue, as named in the config (V4L2_MEMORY_MMAP / V4L2_MEMORY_DMABUF).</summary>
public enum MemoryType
{
    Mmap,
    DmaBuf,
}
