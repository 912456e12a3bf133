namespace Fmp4Streamer.V4L2.M2M;

/// <summary>Told when a stage fails on the event loop (ENODEV, EIO...); the owner releases and retries the chain.</summary>
public interface IM2MStageOwner
{
    void OnStageFailed(string reason);
}
