using System.Buffers.Binary;

namespace Fmp4Streamer.Rtsp;

/// <summary>Walks the ISO BMFF boxes of a fragment the hub built: size, type, body; no allocation.</summary>
internal static class Mp4Boxes
{
    /// <summary>The body of the first child box of <paramref name="type"/> in <paramref name="container"/>, or empty.</summary>
    public static ReadOnlySpan<byte> Find(ReadOnlySpan<byte> container, uint type)
    {
        while (TryBox(container, out uint t, out var body))
        {
            if (t == type) return body;
            container = container[(body.Length + 8)..];
        }
        return default;
    }

    /// <summary>The box at the start of <paramref name="data"/>; false when what is there is not a whole box.</summary>
    public static bool TryBox(ReadOnlySpan<byte> data, out uint type, out ReadOnlySpan<byte> body)
    {
        type = 0;
        body = default;
        if (data.Length < 8) return false;
        uint size = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (size < 8 || size > data.Length) return false;
        type = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        body = data.Slice(8, (int)size - 8);
        return true;
    }
}
