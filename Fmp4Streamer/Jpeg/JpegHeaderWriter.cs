using System.Buffers.Binary;

namespace Fmp4Streamer.Jpeg;

/// <summary>The marker segments in front of a baseline picture's scan, and the Annex K Huffman tables as a DHT segment.</summary>
public static class JpegHeaderWriter
{
    /// <summary>Bytes <see cref="WriteHeaders"/> writes: SOI, APP0, DQT, SOF0, DHT, SOS.</summary>
    public const int HeadersSize = 2 + 18 + (4 + 2 * 65) + 19 + StandardHuffmanSegmentSize + 14;

    /// <summary>The four Annex K.3 tables in one DHT segment, marker included.</summary>
    public const int StandardHuffmanSegmentSize = 4 + 4 * 17 + 12 + 12 + 162 + 162;

    /// <summary>Writes the headers into <c>dest[..HeadersSize]</c>; the caller has checked the room.</summary>
    public static int WriteHeaders(Span<byte> dest, int width, int height, ChromaSubsampling subsampling,
        QuantizationTable luma, QuantizationTable chroma)
    {
        int at = 0;
        Marker(dest, ref at, JpegMarkers.StartOfImage);

        // JFIF APP0: version 1.1, no units, 1:1 aspect, no thumbnail; players and browsers expect it.
        Marker(dest, ref at, JpegMarkers.App0);
        U16(dest, ref at, 16);
        "JFIF\0"u8.CopyTo(dest[at..]);
        at += 5;
        dest[at++] = 1;
        dest[at++] = 1;
        dest[at++] = 0;
        U16(dest, ref at, 1);
        U16(dest, ref at, 1);
        dest[at++] = 0;
        dest[at++] = 0;

        Marker(dest, ref at, JpegMarkers.DefineQuantization);
        U16(dest, ref at, 2 + 2 * 65);
        dest[at++] = 0; // 8-bit entries, table 0
        luma.ZigZagOrder.CopyTo(dest[at..]);
        at += 64;
        dest[at++] = 1;
        chroma.ZigZagOrder.CopyTo(dest[at..]);
        at += 64;

        Marker(dest, ref at, JpegMarkers.BaselineFrame);
        U16(dest, ref at, 17);
        dest[at++] = 8;
        U16(dest, ref at, height);
        U16(dest, ref at, width);
        dest[at++] = 3;
        dest[at++] = 1;
        dest[at++] = subsampling == ChromaSubsampling.Yuv420 ? (byte)0x22 : (byte)0x21;
        dest[at++] = 0;
        dest[at++] = 2;
        dest[at++] = 0x11;
        dest[at++] = 1;
        dest[at++] = 3;
        dest[at++] = 0x11;
        dest[at++] = 1;

        at += WriteStandardHuffmanTables(dest[at..]);

        Marker(dest, ref at, JpegMarkers.StartOfScan);
        U16(dest, ref at, 12);
        dest[at++] = 3;
        dest[at++] = 1;
        dest[at++] = 0x00; // DC table 0, AC table 0
        dest[at++] = 2;
        dest[at++] = 0x11;
        dest[at++] = 3;
        dest[at++] = 0x11;
        dest[at++] = 0;  // spectral selection 0..63, no successive approximation
        dest[at++] = 63;
        dest[at++] = 0;
        System.Diagnostics.Debug.Assert(at == HeadersSize);
        return at;
    }

    /// <summary>One DHT segment with the Annex K.3 tables: DC 0 and AC 0 for luma, DC 1 and AC 1 for chroma.</summary>
    public static int WriteStandardHuffmanTables(Span<byte> dest)
    {
        int at = 0;
        Marker(dest, ref at, JpegMarkers.DefineHuffman);
        U16(dest, ref at, StandardHuffmanSegmentSize - 2);
        Table(dest, ref at, 0x00, HuffmanCode.LuminanceDc);
        Table(dest, ref at, 0x10, HuffmanCode.LuminanceAc);
        Table(dest, ref at, 0x01, HuffmanCode.ChrominanceDc);
        Table(dest, ref at, 0x11, HuffmanCode.ChrominanceAc);
        return at;
    }

    private static void Table(Span<byte> dest, ref int at, byte classAndId, HuffmanCode code)
    {
        dest[at++] = classAndId;
        code.CountsPerLength.CopyTo(dest[at..]);
        at += 16;
        code.Symbols.CopyTo(dest[at..]);
        at += code.Symbols.Length;
    }

    private static void Marker(Span<byte> dest, ref int at, byte marker)
    {
        dest[at++] = JpegMarkers.Prefix;
        dest[at++] = marker;
    }

    private static void U16(Span<byte> dest, ref int at, int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(dest[at..], (ushort)value);
        at += 2;
    }
}
