using System.Buffers.Binary;

namespace Fmp4Streamer.Http;

/// <summary>
/// Encodes an 8-bit palette image as PNG (ISO/IEC 15948) with stored (uncompressed) deflate blocks, so no
/// compression library is linked for a few icons.
/// </summary>
public static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <param name="pixels">width*height palette indices, row by row.</param>
    /// <param name="palette">RGB triplets; up to 4 colours are packed at 2 bits per pixel.</param>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> pixels, ReadOnlySpan<byte> palette)
    {
        int depth = palette.Length <= 4 * 3 ? 2 : 8;
        int perByte = 8 / depth;
        int rowBytes = (width + perByte - 1) / perByte;
        // Raw scanlines: filter type 0 (None), then the row, leftmost pixel in the high bits (PNG 7.2).
        var raw = new byte[(rowBytes + 1) * height];
        for (int y = 0; y < height; y++)
        {
            var row = raw.AsSpan(y * (rowBytes + 1) + 1, rowBytes);
            for (int x = 0; x < width; x++)
            {
                int shift = 8 - depth * (x % perByte + 1);
                row[x / perByte] |= (byte)(pixels[y * width + x] << shift);
            }
        }

        var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = (byte)depth;
        ihdr[9] = 3;   // colour type: palette
        ihdr[10] = 0;  // deflate
        ihdr[11] = 0;  // adaptive filtering
        ihdr[12] = 0;  // no interlace
        WriteChunk(output, "IHDR"u8, ihdr);
        WriteChunk(output, "PLTE"u8, palette);
        WriteChunk(output, "IDAT"u8, ZlibStored(raw));
        WriteChunk(output, "IEND"u8, default);
        return output.ToArray();
    }

    /// <summary>zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 3.2.4).</summary>
    private static byte[] ZlibStored(ReadOnlySpan<byte> data)
    {
        const int MaxBlock = 65535;
        int blocks = Math.Max(1, (data.Length + MaxBlock - 1) / MaxBlock);
        var z = new byte[2 + blocks * 5 + data.Length + 4];
        z[0] = 0x78; // CM 8, 32 KiB window
        z[1] = 0x01; // no dictionary, fastest; (0x78 << 8 | 0x01) % 31 == 0
        int pos = 2;
        int offset = 0;
        for (int b = 0; b < blocks; b++)
        {
            int len = Math.Min(MaxBlock, data.Length - offset);
            z[pos++] = (byte)(b == blocks - 1 ? 1 : 0); // BFINAL, BTYPE 00
            BinaryPrimitives.WriteUInt16LittleEndian(z.AsSpan(pos), (ushort)len);
            BinaryPrimitives.WriteUInt16LittleEndian(z.AsSpan(pos + 2), (ushort)~len);
            pos += 4;
            data.Slice(offset, len).CopyTo(z.AsSpan(pos));
            pos += len;
            offset += len;
        }
        BinaryPrimitives.WriteUInt32BigEndian(z.AsSpan(pos), Adler32(data));
        return z;
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        foreach (byte d in data)
        {
            a = (a + d) % 65521;
            b = (b + a) % 65521;
        }
        return (b << 16) | a;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        uint crc = Crc32(Crc32(0xffffffff, type), data) ^ 0xffffffff;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    /// <summary>CRC-32 as PNG defines it (ISO 3309, reflected polynomial 0xEDB88320), bit by bit: icons are made once.</summary>
    internal static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte d in data)
        {
            crc ^= d;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return crc;
    }
}
