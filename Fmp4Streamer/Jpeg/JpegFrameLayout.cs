using System.Buffers.Binary;

namespace Fmp4Streamer.Jpeg;

/// <summary>
/// What a camera's MJPG frame holds, from one walk over its marker segments: whether it is a whole baseline or
/// extended JPEG (start, frame header, scan, end marker), its size, whether it carries Huffman tables (UVC cameras
/// often leave them out, relying on the standard ones), and where the scan starts, so the standard tables can be
/// sent in front of it without copying the frame.
/// </summary>
public readonly struct JpegFrameLayout
{
    private JpegFrameLayout(int width, int height, bool hasHuffmanTables, int scanStart, int length)
    {
        Width = width;
        Height = height;
        HasHuffmanTables = hasHuffmanTables;
        ScanStart = scanStart;
        Length = length;
    }

    /// <summary>A frame with a start, a frame header, a scan and an end marker; only such frames are served.</summary>
    public bool IsComplete => Length > 0;

    public int Width { get; }
    public int Height { get; }
    public bool HasHuffmanTables { get; }

    /// <summary>Offset of the start-of-scan marker: where missing Huffman tables go.</summary>
    public int ScanStart { get; }

    /// <summary>Bytes up to and including the end marker (cameras pad their buffers after it); 0 when incomplete.</summary>
    public int Length { get; }

    public static JpegFrameLayout Inspect(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 4 || frame[0] != JpegMarkers.Prefix || frame[1] != JpegMarkers.StartOfImage) return default;
        int at = 2, width = 0, height = 0;
        bool huffman = false;
        while (at + 4 <= frame.Length)
        {
            if (frame[at] != JpegMarkers.Prefix) return default;
            byte marker = frame[at + 1];
            if (marker == JpegMarkers.Prefix)
            {
                at++; // fill byte before a marker (T.81 B.1.1.2)
                continue;
            }
            if (IsStandalone(marker))
            {
                if (marker == JpegMarkers.EndOfImage || marker == JpegMarkers.StartOfImage) return default;
                at += 2;
                continue;
            }
            int length = BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 2)..]);
            if (length < 2 || at + 2 + length > frame.Length) return default;
            if (marker == JpegMarkers.DefineHuffman) huffman = true;
            else if (IsFrameHeader(marker) && length >= 7)
            {
                height = BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 5)..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 7)..]);
            }
            else if (marker == JpegMarkers.StartOfScan)
            {
                if (width == 0 || height == 0) return default;
                int end = EndMarker(frame, at + 2 + length);
                return end < 0 ? default : new JpegFrameLayout(width, height, huffman, at, end + 2);
            }
            at += 2 + length;
        }
        return default;
    }

    /// <summary>The last end-of-image marker after the scan: entropy-coded data never holds FF D9 (T.81 B.1.1.5).</summary>
    private static int EndMarker(ReadOnlySpan<byte> frame, int scanData)
    {
        int index = frame[scanData..].LastIndexOf([JpegMarkers.Prefix, JpegMarkers.EndOfImage]);
        return index < 0 ? -1 : scanData + index;
    }

    private static bool IsStandalone(byte marker) =>
        marker is JpegMarkers.StartOfImage or JpegMarkers.EndOfImage or 0x01 or (>= 0xD0 and <= 0xD7);

    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    private static bool IsFrameHeader(byte marker) => marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
}
