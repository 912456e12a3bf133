using System.Buffers.Binary;
using Fmp4Streamer.Mp4;

namespace Fmp4Streamer.Tests.Mp4;

/// <summary>Reads our own output back with an independent box walker: every size must add up.</summary>
public class SegmentStructureTests
{
    private static readonly HashSet<string> s_containers = ["moov", "trak", "mdia", "minf", "dinf", "stbl", "mvex", "moof", "traf", "dref", "stsd", "avc1"];

    private static byte[] Stream(int rotation, int fragments)
    {
        var bytes = new List<byte>(InitSegmentWriter.Build(new InitSegmentParameters(
            GoldenVectors.Sps, GoldenVectors.Pps, 1280, 720, Timescales.Video, rotation)));
        var timeline = new SampleTimeline(Timescales.Video, 30);
        for (int i = 0; i < fragments; i++)
        {
            byte[] sample = i == 0
                ? GoldenVectors.Avcc(GoldenVectors.Sps, GoldenVectors.Pps, GoldenVectors.IdrSlice)
                : GoldenVectors.Avcc(new byte[100 + 37 * i]);
            var buffer = new byte[FragmentWriter.HeaderSize + sample.Length];
            sample.CopyTo(buffer, FragmentWriter.HeaderSize);
            SampleTime t = timeline.Next(1_000_000 + i * 33_333L);
            FragmentWriter.WriteHeader(buffer, (uint)i + 1, t.DecodeTime, t.Duration, i == 0, sample.Length);
            bytes.AddRange(buffer);
        }
        return bytes.ToArray();
    }

    [TestCase(0)]
    [TestCase(90)]
    [TestCase(180)]
    [TestCase(270)]
    public void EverySizeAddsUp(int rotation)
    {
        byte[] data = Stream(rotation, 5);
        List<BoxInfo> boxes = BoxWalker.Walk(data); // throws if any child leaves its parent or bytes are left over

        var topLevel = new List<string>();
        long topLevelBytes = 0;
        foreach (var box in boxes)
        {
            if (box.Depth != 0) continue;
            topLevel.Add(box.Type);
            topLevelBytes += box.Size;
        }
        Assert.That(topLevelBytes, Is.EqualTo(data.Length));
        Assert.That(topLevel, Is.EqualTo(new[] { "ftyp", "moov", "moof", "mdat", "moof", "mdat", "moof", "mdat", "moof", "mdat", "moof", "mdat" }));

        // Each container's children fill it exactly after its header (and, for stsd/dref/avc1, their fixed fields).
        foreach (var parent in boxes)
        {
            if (!s_containers.Contains(parent.Type)) continue;
            long children = 0;
            foreach (var child in boxes)
                if (child.Depth == parent.Depth + 1 && child.Offset > parent.Offset && child.Offset < parent.Offset + parent.Size)
                    children += child.Size;
            int fixedFields = parent.Type switch { "stsd" or "dref" => 8, "avc1" => 78, _ => 0 };
            Assert.That(8 + fixedFields + children, Is.EqualTo(parent.Size), parent.Path);
        }
    }

    [Test]
    public void FragmentsAreFixedSizeAndPointAtTheirMdat()
    {
        byte[] data = Stream(0, 5);
        List<BoxInfo> boxes = BoxWalker.Walk(data);
        int fragments = 0;
        for (int i = 0; i < boxes.Count; i++)
        {
            if (boxes[i].Path != "moof") continue;
            fragments++;
            Assert.That(boxes[i].Size, Is.EqualTo(FragmentWriter.HeaderSize - 8));
            BoxInfo trun = boxes.Find(b => b.Path == "moof/traf/trun" && b.Offset > boxes[i].Offset && b.Offset < boxes[i].Offset + boxes[i].Size);
            BoxInfo mdat = boxes.Find(b => b.Path == "mdat" && b.Offset == boxes[i].Offset + boxes[i].Size);
            int dataOffset = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(trun.Offset + 16));
            int sampleSize = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(trun.Offset + 28));
            Assert.That(boxes[i].Offset + dataOffset, Is.EqualTo(mdat.Offset + 8), "data_offset lands on the mdat payload");
            Assert.That(sampleSize, Is.EqualTo(mdat.Size - 8), "trun sample_size is the mdat payload");
        }
        Assert.That(fragments, Is.EqualTo(5));
    }

    [Test]
    public void TheWalkerRejectsASizeThatDoesNotAddUp()
    {
        byte[] data = Stream(0, 1);
        int stsd = BoxWalker.Find(data, "moov/trak/mdia/minf/stbl/stsd").Offset;
        data[stsd + 3]++;
        Assert.Throws<AssertionException>(() => BoxWalker.Walk(data));
    }
}
