namespace Fmp4Streamer.V4L2;

/// <summary>A negotiated format: the buffer type it applies to, size, fourcc and the largest frame in bytes.</summary>
public readonly record struct VideoFormat(uint BufferType, int Width, int Height, uint PixelFormat, uint SizeImage)
{
    public override string ToString() => $"{FourCc.ToText(PixelFormat)} {Width}x{Height}";
}
