namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// One sample plane (Y, Cb or Cr) of a decoded picture, with a border of <see cref="Padding"/> samples on every side
/// so that motion compensation may read outside the picture once <see cref="ExtendEdges"/> has copied the edge
/// samples outwards (the clamping of H.264 8.4.2.2 turned into memory).
/// </summary>
public sealed class Plane
{
    public Plane(int width, int height, int padding)
    {
        Width = width;
        Height = height;
        Padding = padding;
        Stride = (width + 2 * padding + 15) & ~15;
        Data = new byte[Stride * (height + 2 * padding)];
        Origin = padding * Stride + padding;
    }

    public int Width { get; }
    public int Height { get; }
    public int Padding { get; }

    /// <summary>Distance in bytes between vertically adjacent samples.</summary>
    public int Stride { get; }

    /// <summary>Index in <see cref="Data"/> of the sample at (0, 0).</summary>
    public int Origin { get; }

    public byte[] Data { get; }

    public int IndexOf(int x, int y) => Origin + y * Stride + x;

    /// <summary>The <see cref="Width"/> samples of row <paramref name="y"/>.</summary>
    public Span<byte> Row(int y) => Data.AsSpan(Origin + y * Stride, Width);

    /// <summary>Fills the border with copies of the nearest picture sample, as reference pictures need.</summary>
    public void ExtendEdges()
    {
        byte[] data = Data;
        for (int y = 0; y < Height; y++)
        {
            int row = Origin + y * Stride;
            data.AsSpan(row - Padding, Padding).Fill(data[row]);
            data.AsSpan(row + Width, Padding).Fill(data[row + Width - 1]);
        }
        int rowLength = Width + 2 * Padding;
        var top = data.AsSpan(Origin - Padding, rowLength);
        var bottom = data.AsSpan(Origin + (Height - 1) * Stride - Padding, rowLength);
        for (int i = 1; i <= Padding; i++)
        {
            top.CopyTo(data.AsSpan(Origin - Padding - i * Stride, rowLength));
            bottom.CopyTo(data.AsSpan(Origin + (Height - 1 + i) * Stride - Padding, rowLength));
        }
    }
}
