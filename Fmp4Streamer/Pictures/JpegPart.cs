using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Pictures;

/// <summary>
/// Where a picture's bytes sit in its shared buffer, so one buffer serves both kinds of client without a copy: the
/// JPEG at <see cref="JpegOffset"/>, a multipart part head written right before it and CRLF after it. A snapshot
/// sends [JpegOffset, JpegOffset + length); an MJPEG client sends the whole part, head to CRLF (RFC 2046 5.1.1:
/// every part begins with "--" and the boundary, and the CRLF before the next boundary belongs to that boundary).
/// </summary>
public static class JpegPart
{
    /// <summary>mjpg-streamer's boundary, which the tools written for it may expect.</summary>
    public const string Boundary = "boundarydonotcross";

    public const string ContentType = "multipart/x-mixed-replace;boundary=" + Boundary;

    /// <summary>Room for the part head, which needs at most 80 bytes.</summary>
    public const int JpegOffset = 96;

    /// <summary>The buffer size for a JPEG of at most <paramref name="jpegBytes"/>.</summary>
    public static int BufferSize(int jpegBytes) => JpegOffset + jpegBytes + 2;

    /// <summary>The JPEG of a picture buffer.</summary>
    public static int JpegLength(SharedFragment picture) => picture.Length - JpegOffset - 2;

    /// <summary>
    /// Finishes a buffer whose JPEG of <paramref name="jpegLength"/> bytes is in place: writes the part head before it
    /// and CRLF after it, sets the length; returns where the part starts.
    /// </summary>
    public static int Complete(byte[] buffer, int jpegLength)
    {
        Span<byte> head = stackalloc byte[JpegOffset];
        int n = 0;
        n += Ascii("--" + Boundary + "\r\nContent-Type: image/jpeg\r\nContent-Length: ", head);
        jpegLength.TryFormat(head[n..], out int digits);
        n += digits;
        n += Ascii("\r\n\r\n", head[n..]);
        int start = JpegOffset - n;
        head[..n].CopyTo(buffer.AsSpan(start));
        buffer[JpegOffset + jpegLength] = (byte)'\r';
        buffer[JpegOffset + jpegLength + 1] = (byte)'\n';
        return start;
    }

    /// <summary>Where the part of a completed buffer starts.</summary>
    public static int PartStart(SharedFragment picture)
    {
        int length = JpegLength(picture);
        int digits = 1;
        for (int v = length; v >= 10; v /= 10) digits++;
        return JpegOffset - (HeadFixedLength + digits);
    }

    private static readonly int HeadFixedLength = ("--" + Boundary + "\r\nContent-Type: image/jpeg\r\nContent-Length: \r\n\r\n").Length;

    private static int Ascii(string text, Span<byte> dest) => System.Text.Encoding.ASCII.GetBytes(text, dest);
}
