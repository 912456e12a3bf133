namespace Fmp4Streamer.Streaming;

/// <summary>
/// Produces H264 access units on the event loop: the test pattern, a child process, a V4L2 camera chain.
/// Start/Stop are the hub's way of putting the source to sleep while nobody watches.
/// </summary>
public interface IVideoSource : IDisposable
{
    /// <summary>For logs: "test pattern 640x480@30", "/dev/video0 H264 1280x720@30".</summary>
    string Description { get; }

    /// <summary>Nominal frame rate, used for the duration of a frame that has no predecessor.</summary>
    int FramesPerSecond { get; }

    /// <summary>Begins delivering access units to <paramref name="sink"/> (wakes the camera).</summary>
    void Start(IAccessUnitSink sink);

    /// <summary>Stops delivering (puts the camera to sleep). Start may be called again later.</summary>
    void Stop();

    /// <summary>Asks for an IDR as soon as possible, so a joining client starts quickly.</summary>
    void RequestKeyFrame();

    /// <summary>
    /// True for a camera that gives pictures only (MJPG/JPEG/YUYV/NV12 without an encoder): it delivers no access
    /// units, only its own frames to a picture output, and video URLs answer 404 instead of waiting forever.
    /// </summary>
    bool PicturesOnly => false;
}
