using Fmp4Streamer.Streaming.Hls;

namespace Fmp4Streamer.Streaming;

/// <summary>What the HTTP side sees of one camera: its name, its current init segment and a subscription.</summary>
public interface ILiveStream
{
    /// <summary>URL-safe name ("video0"), used for /&lt;name&gt;/stream.mp4.</summary>
    string Name { get; }

    /// <summary>The current init segment, or null until the first SPS/PPS has been seen.</summary>
    InitSegment? Init { get; }

    /// <summary>Nominal displayed size from the configuration (rotation applied), for pages served before the first frame.</summary>
    int ConfiguredWidth { get; }
    int ConfiguredHeight { get; }

    /// <summary>
    /// The codecs string of the configured sound ("mp4a.40.2"), null without: a page served while the stream sleeps
    /// (no init segment yet) must still name it, or a browser's MSE rejects the audio track when it comes.
    /// </summary>
    string? AudioCodecs => null;

    /// <summary>Adds a subscriber: wakes the source and asks it for a key frame; fragments follow from the next one.</summary>
    void Subscribe(IFragmentSubscriber subscriber);

    void Unsubscribe(IFragmentSubscriber subscriber);

    /// <summary>
    /// The stream's HLS segmenter, one for all of its HLS clients, made at the first HLS request; it subscribes to
    /// the stream only while HLS is requested.
    /// </summary>
    HlsSegmenter Hls { get; }

    /// <summary>The source gives pictures only (see <see cref="IVideoSource.PicturesOnly"/>): no video to subscribe to.</summary>
    bool PicturesOnly => false;
}
