using Fmp4Streamer.Linux;
using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.M2MCheck;

/// <summary>The camera's fd on the loop: readable means frames to dequeue and hand on.</summary>
public sealed class CapturePump(BufferQueue queue, IFrameReceiver receiver, Action<string> fail) : IPollable
{
    public void OnPoll(int events)
    {
        try
        {
            queue.Drain(receiver);
        }
        catch (LinuxException e)
        {
            fail(e.Message);
        }
    }
}
