namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// Takes the Huffman table segments (DHT) out of a series of JPEGs, the way many UVC cameras send their MJPG frames
/// (they rely on the standard tables of T.81 K.3).
/// </summary>
internal static class JpegHuffmanStripper
{
    public static byte[] Strip(byte[] jpegs, out int pictures, out int removed)
    {
        var output = new MemoryStream(jpegs.Length);
        pictures = removed = 0;
        int i = 0;
        while (i + 4 <= jpegs.Length)
        {
            if (jpegs[i] != 0xFF || jpegs[i + 1] != 0xD8) throw new InvalidDataException($"no SOI at {i}");
            pictures++;
            output.Write(jpegs, i, 2);
            i += 2;
            // Marker segments up to the scan: each FF xx with a 16-bit length that counts itself.
            while (true)
            {
                if (i + 4 > jpegs.Length || jpegs[i] != 0xFF) throw new InvalidDataException($"no marker at {i}");
                byte marker = jpegs[i + 1];
                int length = 2 + (jpegs[i + 2] << 8 | jpegs[i + 3]);
                if (marker == 0xC4) removed++;
                else output.Write(jpegs, i, length);
                i += length;
                if (marker == 0xDA) break;
            }
            // Entropy-coded data to EOI: FF is followed by 00 (stuffing) or a restart marker inside it.
            int start = i;
            while (i + 1 < jpegs.Length && !(jpegs[i] == 0xFF && jpegs[i + 1] == 0xD9)) i++;
            if (i + 1 >= jpegs.Length) throw new InvalidDataException("no EOI");
            i += 2;
            output.Write(jpegs, start, i - start);
        }
        return output.ToArray();
    }
}
