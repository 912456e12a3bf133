namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// A decoded 8-bit 4:2:0 frame: the three planes at the coded size, the cropping window to display, where it
/// falls in display order and the capture time its access unit carried. Pooled: a consumer returns it to the
/// <see cref="PicturePool"/> it came from once done.
/// </summary>
public sealed class DecodedPicture
{
    /// <summary>Border around luma: a 16x16 block's 6-tap filter reaches 3 samples beyond, and motion vectors may point further out.</summary>
    public const int LumaPadding = 32;
    public const int ChromaPadding = LumaPadding / 2;

    public DecodedPicture(int codedWidth, int codedHeight)
    {
        CodedWidth = codedWidth;
        CodedHeight = codedHeight;
        Luma = new Plane(codedWidth, codedHeight, LumaPadding);
        Cb = new Plane(codedWidth / 2, codedHeight / 2, ChromaPadding);
        Cr = new Plane(codedWidth / 2, codedHeight / 2, ChromaPadding);
    }

    public Plane Luma { get; }
    public Plane Cb { get; }
    public Plane Cr { get; }

    /// <summary>Size in samples of the decoded luma, a multiple of 16.</summary>
    public int CodedWidth { get; }
    public int CodedHeight { get; }

    /// <summary>The displayed window in luma samples (the SPS frame cropping, H.264 7.4.2.1.1).</summary>
    public int CropLeft { get; internal set; }
    public int CropTop { get; internal set; }
    public int Width { get; internal set; }
    public int Height { get; internal set; }

    /// <summary>PicOrderCnt of the frame: display order within its coded video sequence.</summary>
    public int PicOrderCnt { get; internal set; }

    /// <summary>Counts output pictures of the decoder, in display order, across sequences.</summary>
    public long OutputIndex { get; internal set; }

    /// <summary>The capture time handed in with the access unit this picture was decoded from.</summary>
    public long CaptureTime { get; internal set; }

    /// <summary>True when the picture came from an IDR access unit.</summary>
    public bool IsIdr { get; internal set; }

    private static int s_nextId;

    /// <summary>Distinguishes pictures (and each reuse of a pooled one) for reference comparisons.</summary>
    public int Id { get; private set; } = Interlocked.Increment(ref s_nextId);

    /// <summary>The picture's motion per 4x4 block, for B pictures that take it as their co-located picture.</summary>
    internal MotionField? Motion;

    // Reference state kept by the decoded picture buffer (H.264 8.2.5).
    internal int FrameNum;
    internal bool IsShortTermReference;
    internal bool IsLongTermReference;
    internal int LongTermFrameIdx;

    /// <summary>True while a consumer holds the picture (handed out, not yet returned).</summary>
    internal bool IsOutstanding;

    internal bool IsReference => IsShortTermReference || IsLongTermReference;

    internal void Renew()
    {
        Id = Interlocked.Increment(ref s_nextId);
        IsShortTermReference = IsLongTermReference = IsOutstanding = false;
    }

    internal void SetCrop(int left, int top, int width, int height)
    {
        CropLeft = left;
        CropTop = top;
        Width = width;
        Height = height;
    }

    /// <summary>
    /// Copies the displayed window as planar I420 (Y rows, then Cb, then Cr, no padding): the layout of ffmpeg's
    /// yuv420p frames. <paramref name="destination"/> must hold <see cref="I420Size"/> bytes.
    /// </summary>
    public void CopyI420(Span<byte> destination)
    {
        int offset = CopyWindow(Luma, CropLeft, CropTop, Width, Height, destination);
        int cw = (Width + 1) / 2, ch = (Height + 1) / 2;
        offset += CopyWindow(Cb, CropLeft / 2, CropTop / 2, cw, ch, destination.Slice(offset));
        CopyWindow(Cr, CropLeft / 2, CropTop / 2, cw, ch, destination.Slice(offset));
    }

    public int I420Size => Width * Height + 2 * ((Width + 1) / 2) * ((Height + 1) / 2);

    private static int CopyWindow(Plane plane, int left, int top, int width, int height, Span<byte> destination)
    {
        for (int y = 0; y < height; y++)
        {
            plane.Data.AsSpan(plane.IndexOf(left, top + y), width).CopyTo(destination.Slice(y * width, width));
        }
        return width * height;
    }
}
