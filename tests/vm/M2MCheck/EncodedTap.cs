using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.M2MCheck;

/// <summary>Between encoder and decoder: counts compressed frames and their bytes, then passes them on.</summary>
public sealed class EncodedTap(ChainResult result, IFrameReceiver? decoder) : IFrameReceiver
{
    public void OnFrame(in CapturedFrame frame)
    {
        result.Encoded++;
        result.EncodedBytes += frame.Data.Length;
        decoder?.OnFrame(frame);
    }
}
