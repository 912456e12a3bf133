using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Fmp4Streamer.Tests.Http;

/// <summary>Checks a PNG independently of the writer: signature, chunk CRCs, IHDR, and that IDAT inflates to the right size.</summary>
internal static class PngCheck
{
    public static (int Width, int Height) Validate(byte[] png)
    {
        Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a }), "signature");
        int pos = 8, width = 0, height = 0, colourType = -1, depth = 0;
        var idat = new MemoryStream();
        var order = new List<string>();
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.That(crc, Is.EqualTo(Crc(png.AsSpan(pos + 4, 4 + length))), type + " CRC");
            order.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                depth = data[8];
                colourType = data[9];
            }
            if (type == "IDAT") idat.Write(data);
            pos += 12 + length;
        }
        Assert.That(order[0], Is.EqualTo("IHDR"));
        Assert.That(order[^1], Is.EqualTo("IEND"));
        Assert.That(pos, Is.EqualTo(png.Length));
        int channels = colourType switch { 3 => 1, 2 => 3, 6 => 4, 0 => 1, _ => throw new AssertionException("colour type " + colourType) };
        Assert.That(depth, colourType == 3 ? Is.AnyOf(1, 2, 4, 8) : Is.EqualTo(8));
        if (colourType == 3) Assert.That(order, Does.Contain("PLTE"));
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        Assert.That(raw.Length, Is.EqualTo((long)((width * channels * depth + 7) / 8 + 1) * height), "inflated scanlines");
        return (width, height);
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        uint c = 0xffffffff;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xffffffff;
    }

    /// <summary>RGB of one pixel of a palette PNG whose scanlines use filter 0 (what <c>PngWriter</c> writes).</summary>
    public static (byte R, byte G, byte B) PaletteRgb(byte[] png, int x, int y)
    {
        int pos = 8, width = 0, depth = 0;
        byte[] palette = [];
        var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            if (type == "IHDR") { width = BinaryPrimitives.ReadInt32BigEndian(data); depth = data[8]; }
            if (type == "PLTE") palette = data.ToArray();
            if (type == "IDAT") idat.Write(data);
            pos += 12 + length;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var bytes = raw.ToArray();
        int rowBytes = (width * depth + 7) / 8;
        Assert.That(bytes[y * (rowBytes + 1)], Is.EqualTo(0), "filter type");
        int bit = x * depth;
        int b = bytes[y * (rowBytes + 1) + 1 + bit / 8];
        int index = (b >> (8 - depth - bit % 8)) & ((1 << depth) - 1);
        return (palette[index * 3], palette[index * 3 + 1], palette[index * 3 + 2]);
    }
}
