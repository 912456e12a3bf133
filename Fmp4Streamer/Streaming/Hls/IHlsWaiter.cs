namespace Fmp4Streamer.Streaming.Hls;

/// <summary>A request held until the segmenter has its first segment (a playlist asked for while the camera slept).</summary>
public interface IHlsWaiter
{
    /// <summary>Called on the loop thread, outside any hub callback, once the playlists exist.</summary>
    void OnHlsReady(HlsSegmenter segmenter);
}
