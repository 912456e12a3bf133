namespace Fmp4Streamer.V4L2;

/// <summary>Takes the frames a <see cref="BufferQueue"/> dequeues; the buffer goes back to the driver on return.</summary>
public interface IFrameReceiver
{
    void OnFrame(in CapturedFrame frame);
}
