namespace Fmp4Streamer.Jpeg;

/// <summary>How the chroma planes of a picture are sampled relative to its luma.</summary>
public enum ChromaSubsampling
{
    /// <summary>Half width, half height (I420, NV12): the H264 decoder's and most M2M decoders' output.</summary>
    Yuv420,

    /// <summary>Half width, full height (YUYV cameras).</summary>
    Yuv422,
}
