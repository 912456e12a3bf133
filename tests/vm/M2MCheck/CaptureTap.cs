using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.M2MCheck;

/// <summary>Between camera and encoder: keeps a copy of each frame for the content check, then passes it on.</summary>
public sealed class CaptureTap(FrameLedger? ledger, ChainResult result, IFrameReceiver encoder) : IFrameReceiver
{
    public void OnFrame(in CapturedFrame frame)
    {
        result.Captured++;
        ledger?.Record(frame.Data, frame.TimestampUs);
        encoder.OnFrame(frame);
    }
}
