namespace Fmp4Streamer.Http;

public enum FlushResult
{
    /// <summary>Everything queued has been handed to the kernel.</summary>
    Done,
    /// <summary>The socket buffer is full; wait for EPOLLOUT.</summary>
    WouldBlock,
    /// <summary>The connection failed (EPIPE, ECONNRESET...).</summary>
    Failed,
}
