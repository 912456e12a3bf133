namespace Fmp4Streamer.Streaming.Hls;

/// <summary>
/// A request held until the segmenter has what it asks for: the first segment (a playlist asked for while the
/// camera slept), a later segment or part (LL-HLS blocking playlist reload), or the part a preload hint named.
/// </summary>
public interface IHlsWaiter
{
    /// <summary>
    /// Called on the loop thread, outside any hub callback, after the playlists changed; returns true when the
    /// request was answered (the segmenter then forgets it), false to keep waiting.
    /// </summary>
    bool OnHlsUpdate(HlsSegmenter segmenter);
}
