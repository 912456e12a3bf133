namespace Fmp4Streamer.V4L2.M2M;

/// <summary>What a stage on the event loop tells the chain's owner.</summary>
public interface IM2MStageOwner
{
    /// <summary>The stage failed (ENODEV, EIO...); the owner releases and retries the chain.</summary>
    void OnStageFailed(string reason);

    /// <summary>
    /// A decoder lost an inter-coded input frame and feeds nothing until the next key frame; the owner asks the
    /// decoder's upstream for one so the picture comes back sooner than the stream's own key-frame interval.
    /// </summary>
    void OnStageNeedsKeyFrame();
}
