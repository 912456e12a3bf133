using System.Buffers.Binary;
using System.Text;

namespace Fmp4Streamer.Tests.Mp4;

/// <summary>
/// A tiny independent ISO BMFF reader for tests: walks containers, fails when a size does not add up, and finds
/// boxes by path. Knows only the containers this project writes.
/// </summary>
internal static class BoxWalker
{
    // Container -> bytes between its header and its first child.
    private static readonly Dictionary<string, int> s_containers = new()
    {
        ["moov"] = 0, ["trak"] = 0, ["mdia"] = 0, ["minf"] = 0, ["dinf"] = 0, ["stbl"] = 0, ["mvex"] = 0,
        ["moof"] = 0, ["traf"] = 0,
        ["dref"] = 8, ["stsd"] = 8, // FullBox header + entry_count
        ["avc1"] = 78, // VisualSampleEntry fields (14496-12 12.1.3)
    };

    public static List<BoxInfo> Walk(ReadOnlySpan<byte> data)
    {
        var boxes = new List<BoxInfo>();
        WalkRange(data, 0, data.Length, "", 0, boxes);
        return boxes;
    }

    public static BoxInfo Find(ReadOnlySpan<byte> data, string path)
    {
        foreach (var box in Walk(data))
            if (box.Path == path) return box;
        throw new AssertionException($"no box at {path}");
    }

    public static byte[] Bytes(byte[] data, string path)
    {
        var box = Find(data, path);
        return data.AsSpan(box.Offset, box.Size).ToArray();
    }

    private static void WalkRange(ReadOnlySpan<byte> data, int start, int end, string parent, int depth, List<BoxInfo> boxes)
    {
        int pos = start;
        while (pos < end)
        {
            if (end - pos < 8) throw new AssertionException($"{end - pos} stray bytes at {pos} in '{parent}'");
            int size = checked((int)BinaryPrimitives.ReadUInt32BigEndian(data[pos..]));
            string type = Encoding.ASCII.GetString(data.Slice(pos + 4, 4));
            if (size < 8 || pos + size > end)
                throw new AssertionException($"box '{type}' at {pos} has size {size}, which leaves its parent '{parent}' (ends at {end})");
            string path = parent.Length == 0 ? type : parent + "/" + type;
            boxes.Add(new BoxInfo(path, type, pos, size, depth));
            if (s_containers.TryGetValue(type, out int skip))
            {
                if (size < 8 + skip) throw new AssertionException($"container '{path}' too small: {size}");
                WalkRange(data, pos + 8 + skip, pos + size, path, depth + 1, boxes);
            }
            pos += size;
        }
    }
}
