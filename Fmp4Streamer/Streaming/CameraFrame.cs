namespace Fmp4Streamer.Streaming;

/// <summary>The layouts a camera's own frame may have when a source offers it beside its H264.</summary>
public enum CameraFrameFormat
{
    /// <summary>A JPEG per frame (MJPG or JPEG cameras), maybe without Huffman tables.</summary>
    Mjpeg,
    /// <summary>Packed 4:2:2, Y0 Cb Y1 Cr.</summary>
    Yuyv,
    /// <summary>Luma plane, then interleaved Cb Cr at half height.</summary>
    Nv12,
}

/// <summary>
/// A camera's own frame, before any M2M stage: valid only during <see cref="ICameraFrameSink.OnCameraFrame"/> (it
/// points into the driver's buffer, which goes back to the driver afterwards).
/// </summary>
public readonly ref struct CameraFrame
{
    public CameraFrame(ReadOnlySpan<byte> data, CameraFrameFormat format, int width, int height, int stride, long captureTimeUs)
    {
        Data = data;
        Format = format;
        Width = width;
        Height = height;
        Stride = stride;
        CaptureTimeUs = captureTimeUs;
    }

    public ReadOnlySpan<byte> Data { get; }
    public CameraFrameFormat Format { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Bytes per luma row (0 for MJPEG).</summary>
    public int Stride { get; }

    public long CaptureTimeUs { get; }
}

/// <summary>Takes a camera's own frames while set on an <see cref="ICameraFrameOffer"/>.</summary>
public interface ICameraFrameSink
{
    void OnCameraFrame(in CameraFrame frame);
}

/// <summary>
/// A source whose camera delivers another representation of each frame than the H264 the hub gets (an MJPG or YUYV
/// camera in front of an M2M encoder). Nothing is done with it while <see cref="CameraFrameSink"/> is null: the
/// frame is neither copied nor looked at; an output sets the sink only while someone asks for pictures.
/// </summary>
public interface ICameraFrameOffer
{
    /// <summary>The camera's frame layout, or null when its frames are H264 already (nothing else to offer).</summary>
    CameraFrameFormat? CameraFrameFormat { get; }

    /// <summary>Called on the loop thread with every camera frame while the source runs; null to stop.</summary>
    ICameraFrameSink? CameraFrameSink { get; set; }
}
