namespace Fmp4Streamer.Jpeg;

/// <summary>
/// A picture to encode, described without copying it: each plane is a span with a row stride and a sample step, so
/// planar (I420), semi-planar (NV12: chroma interleaved, step 2) and packed (YUYV: step 2 for luma, 4 for chroma)
/// layouts are all read in place.
/// </summary>
public readonly ref struct PictureView
{
    public PictureView(int width, int height, ChromaSubsampling subsampling,
        ReadOnlySpan<byte> luma, int lumaStride, int lumaStep,
        ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, int chromaStride, int chromaStep, bool fullRange = false)
    {
        FullRange = fullRange;
        if (width <= 0 || height <= 0 || width > 65535 || height > 65535)
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} is not a JPEG size");
        Width = width;
        Height = height;
        Subsampling = subsampling;
        Luma = luma;
        LumaStride = lumaStride;
        LumaStep = lumaStep;
        Cb = cb;
        Cr = cr;
        ChromaStride = chromaStride;
        ChromaStep = chromaStep;
        int chromaWidth = (width + 1) / 2;
        int chromaHeight = subsampling == ChromaSubsampling.Yuv420 ? (height + 1) / 2 : height;
        Require(luma, lumaStride, lumaStep, width, height, nameof(luma));
        Require(cb, chromaStride, chromaStep, chromaWidth, chromaHeight, nameof(cb));
        Require(cr, chromaStride, chromaStep, chromaWidth, chromaHeight, nameof(cr));
        ChromaWidth = chromaWidth;
        ChromaHeight = chromaHeight;
    }

    /// <summary>Samples use 0..255 (JFIF); otherwise the limited video range, expanded when encoded.</summary>
    public bool FullRange { get; }

    public int Width { get; }
    public int Height { get; }
    public ChromaSubsampling Subsampling { get; }
    public ReadOnlySpan<byte> Luma { get; }
    public int LumaStride { get; }
    public int LumaStep { get; }
    public ReadOnlySpan<byte> Cb { get; }
    public ReadOnlySpan<byte> Cr { get; }
    public int ChromaStride { get; }
    public int ChromaStep { get; }
    public int ChromaWidth { get; }
    public int ChromaHeight { get; }

    /// <summary>Three planes, chroma at half width and height.</summary>
    public static PictureView I420(int width, int height, ReadOnlySpan<byte> y, int yStride,
        ReadOnlySpan<byte> u, ReadOnlySpan<byte> v, int chromaStride, bool fullRange = false) =>
        new(width, height, ChromaSubsampling.Yuv420, y, yStride, 1, u, v, chromaStride, 1, fullRange);

    /// <summary>A luma plane and one plane of interleaved Cb, Cr pairs.</summary>
    public static PictureView Nv12(int width, int height, ReadOnlySpan<byte> y, int yStride, ReadOnlySpan<byte> uv, int uvStride,
        bool fullRange = false) =>
        new(width, height, ChromaSubsampling.Yuv420, y, yStride, 1, uv, uv.Length > 0 ? uv[1..] : uv, uvStride, 2, fullRange);

    /// <summary>Packed Y0 Cb Y1 Cr, two pixels every four bytes.</summary>
    public static PictureView Yuyv(int width, int height, ReadOnlySpan<byte> yuyv, int stride, bool fullRange = false) =>
        new(width, height, ChromaSubsampling.Yuv422, yuyv, stride, 2, yuyv.Length > 1 ? yuyv[1..] : yuyv,
            yuyv.Length > 3 ? yuyv[3..] : yuyv, stride, 4, fullRange);

    private static void Require(ReadOnlySpan<byte> plane, int stride, int step, int width, int height, string name)
    {
        long last = (long)(height - 1) * stride + (long)(width - 1) * step;
        if (stride <= 0 || step <= 0 || last >= plane.Length)
            throw new ArgumentException($"the {name} plane is too small for {width}x{height} (stride {stride}, step {step})", name);
    }
}
