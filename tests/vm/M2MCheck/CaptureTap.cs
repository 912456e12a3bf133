using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.M2MCheck;

/// <summary>
/// Between camera and encoder: keeps a copy of each frame for the content check, then passes it on, timing the
/// hand-over (the hop: copy into an MMAP buffer and QBUF, or QBUF of the imported dmabuf) past the warm-up.
/// </summary>
public sealed class CaptureTap(FrameLedger? ledger, ChainResult result, IFrameReceiver encoder, int warmupFrames) : IFrameReceiver
{
    public void OnFrame(in CapturedFrame frame)
    {
        result.Captured++;
        ledger?.Record(frame.Data, frame.TimestampUs);
        if (result.Captured <= warmupFrames)
        {
            encoder.OnFrame(frame);
            return;
        }
        long start = ProcessCpuClock.ThreadNowUs;
        encoder.OnFrame(frame);
        result.HopCpuUs += ProcessCpuClock.ThreadNowUs - start;
        result.HopFrames++;
    }
}
