namespace Fmp4Streamer.Streaming;

/// <summary>A consumer of one live stream (a progressive HTTP client, the HLS segmenter).</summary>
public interface IFragmentSubscriber
{
    /// <summary>
    /// Called on the loop thread for every fragment, beginning with a key frame. The subscriber calls
    /// <see cref="SharedFragment.Retain"/> if it keeps the fragment beyond the call. The first fragment after
    /// subscribing carries the init segment to send before it in <see cref="SharedFragment.Init"/>.
    /// </summary>
    void OnFragment(SharedFragment fragment);

    /// <summary>The stream's parameters changed (new SPS/PPS): the subscriber should end its response.</summary>
    void OnStreamReset();
}
