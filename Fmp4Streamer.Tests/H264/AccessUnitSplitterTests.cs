using Fmp4Streamer.H264;
using Fmp4Streamer.Tests.TestSupport;
using static Fmp4Streamer.Tests.H264.TestBytes;

namespace Fmp4Streamer.Tests.H264;

public class AccessUnitSplitterTests
{
    // Hand-made NALs (with start codes). A slice's byte after the header starts with first_mb_in_slice:
    // 0x88 is ue(0) (a new picture), 0x30 is ue(5) (a later slice of the same picture).
    private const string Aud = "00 00 00 01 09 f0";
    private const string Sps = "00 00 00 01 67 42 c0 1e";
    private const string Pps = "00 00 00 01 68 ce 3c 80";
    private const string Sei = "00 00 01 06 05 01 aa 80";
    private const string Idr0 = "00 00 01 65 88 84 21";
    private const string Idr5 = "00 00 01 65 30 84 22";
    private const string P0 = "00 00 01 41 9a 21";
    private const string P0b = "00 00 01 41 9a 22";
    private const string P5 = "00 00 01 41 30 23";
    private const string EndOfSeq = "00 00 01 0a";
    private const string Filler = "00 00 01 0c ff ff 80";
    private const string Prefix = "00 00 01 6e 01 02 03";

    private static readonly TestCaseData[] s_boundaryCases =
    [
        new TestCaseData(new[] { Sps, Pps, Idr0, P0 }, new[] { Sps + Pps + Idr0, P0 }).SetName("parameter sets open the first unit"),
        new TestCaseData(new[] { Idr0, Idr5, P0, P5, P0b }, new[] { Idr0 + Idr5, P0 + P5, P0b })
            .SetName("slices with first_mb_in_slice above 0 stay in their picture"),
        new TestCaseData(new[] { Aud, Sps, Pps, Idr0, Aud, P0, Aud, P0b }, new[] { Aud + Sps + Pps + Idr0, Aud + P0, Aud + P0b })
            .SetName("access unit delimiters open units"),
        new TestCaseData(new[] { Idr0, Sei, P0, Sei, Sei, P0b }, new[] { Idr0, Sei + P0, Sei + Sei + P0b })
            .SetName("SEI after a picture opens the next unit"),
        new TestCaseData(new[] { Idr0, EndOfSeq, Idr0 }, new[] { Idr0 + EndOfSeq, Idr0 }).SetName("end of sequence closes the unit it ends"),
        new TestCaseData(new[] { Idr0, Filler, P0 }, new[] { Idr0 + Filler, P0 }).SetName("filler stays with the picture"),
        new TestCaseData(new[] { Idr0, Prefix, P0 }, new[] { Idr0, Prefix + P0 }).SetName("prefix NAL opens a unit"),
        new TestCaseData(new[] { "ff fe 00 00 02 01", P5, P0, P5 }, new[] { P0 + P5 })
            .SetName("garbage and a picture's tail before the first unit are skipped"),
        new TestCaseData(new[] { Idr0, "00 00 00 00", P0 + "00 00" }, new[] { Idr0, "00" + P0 })
            .SetName("trailing zeros belong to no unit, but a 4-byte code keeps its zero"),
        new TestCaseData(new[] { Idr0, "00 00 01", P0 }, new[] { Idr0, P0 }).SetName("an empty NAL is harmless"),
    ];

    [TestCaseSource(nameof(s_boundaryCases))]
    public void SplitsAtClause7_4_1_2_3Boundaries(string[] pieces, string[] expectedUnits)
    {
        byte[] stream = Hex(string.Join(" ", pieces));
        var expected = new List<string>();
        foreach (var unit in expectedUnits) expected.Add(ToHex(Hex(unit)));

        Assert.That(Hexes(Split(stream, whole: true, seed: 0)), Is.EqualTo(expected), "whole");
        Assert.That(Hexes(Split(stream, whole: false, seed: 1, maxChunk: 1)), Is.EqualTo(expected), "byte by byte");
        Assert.That(Hexes(Split(stream, whole: false, seed: 2, maxChunk: 5)), Is.EqualTo(expected), "small chunks");
    }

    private static readonly TestCaseData[] s_x264Cases =
    [
        new TestCaseData("baseline", "", false).SetName("x264 baseline"),
        new TestCaseData("high", "", false).SetName("x264 high with B-frames"),
        new TestCaseData("high", "aud=1", false).SetName("x264 high with AUDs"),
        new TestCaseData("main", "slices=4", false).SetName("x264 main with 4 slices per picture"),
        new TestCaseData("high", "slices=4:aud=1", false).SetName("x264 high with slices and AUDs"),
        new TestCaseData("high", "interlaced=1", false).SetName("x264 high interlaced"),
        new TestCaseData("high", "slices=4", true).SetName("x264 high with slices, rewritten to 3-byte start codes"),
    ];

    [TestCaseSource(nameof(s_x264Cases))]
    public void SplitsX264StreamsIntoFfprobesFrames(string profile, string x264Params, bool threeByteCodes)
    {
        const int Frames = 30;
        string path = FfmpegFixtures.EncodeH264(profile, 320, 240, Frames, x264Params);
        byte[] data = File.ReadAllBytes(path);
        if (threeByteCodes)
        {
            data = AnnexBTests.RewriteToThreeByteStartCodes(data);
            path = FfmpegFixtures.WriteTemp("three-byte.h264", data);
        }
        int probedFrames = int.Parse(FfmpegFixtures.ProbeStream(path)["nb_read_frames"]);
        if (threeByteCodes) File.Delete(path);
        Assert.That(probedFrames, Is.EqualTo(Frames));

        var whole = Split(data, whole: true, seed: 0);
        Assert.That(whole, Has.Count.EqualTo(probedFrames));

        // Nothing lost or reordered: the units' NALs are the file's NALs.
        var unitNals = new List<string>();
        foreach (var unit in whole) unitNals.AddRange(NalsAsHex(unit));
        Assert.That(unitNals, Is.EqualTo(NalsAsHex(data)));

        int expectedSlices = x264Params.Contains("slices=4") ? 4 : 1;
        for (int i = 0; i < whole.Count; i++)
        {
            Assert.That(AnnexB.FindStartCode(whole[i], 0, out _), Is.EqualTo(0), $"unit {i} starts with a start code");
            Assert.That(CountVcl(whole[i]), Is.EqualTo(expectedSlices), $"unit {i} slices");
            if (x264Params.Contains("aud=1")) Assert.That(NalsAsHex(whole[i])[0], Does.StartWith("09"), $"unit {i} AUD first");
        }
        Assert.That(AnnexB.FindParameterSets(whole[0], out _, out _) && AnnexB.ContainsIdr(whole[0]), Is.True);

        for (int seed = 1; seed <= 3; seed++)
        {
            var chunked = Split(data, whole: false, seed: seed, maxChunk: seed == 1 ? 16 : 65536);
            Assert.That(chunked.Count, Is.EqualTo(whole.Count), $"seed {seed}");
            for (int i = 0; i < whole.Count; i++)
            {
                Assert.That(chunked[i], Is.EqualTo(whole[i]), $"seed {seed}, unit {i}");
            }
        }
    }

    [Test]
    public void SkipsLeadingGarbage()
    {
        byte[] data = File.ReadAllBytes(FfmpegFixtures.EncodeH264("high", 320, 240, 30));
        var garbage = new byte[1000];
        new Random(7).NextBytes(garbage);
        for (int i = 0; i < garbage.Length; i++) garbage[i] |= 0x10; // no zero bytes, so no start code
        var expected = Split(data, whole: true, seed: 0);
        var actual = Split([.. garbage, .. data], whole: false, seed: 4, maxChunk: 700);
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void AllocatesNothingPerAccessUnitOnceGrown()
    {
        byte[] data = File.ReadAllBytes(FfmpegFixtures.EncodeH264("high", 320, 240, 30, "slices=4"));
        var splitter = new AccessUnitSplitter(initialCapacity: 1024);
        int units = Feed(splitter, data); // grows the buffer to the largest unit
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int pass = 0; pass < 20; pass++) units += Feed(splitter, data);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.EqualTo(0));
        Assert.That(units, Is.EqualTo(21 * 30 - 1), "the last unit waits for more data");

        static int Feed(AccessUnitSplitter splitter, byte[] data)
        {
            int count = 0;
            for (int pos = 0; pos < data.Length; pos += 4096)
            {
                splitter.Append(data.AsSpan(pos, Math.Min(4096, data.Length - pos)));
                while (splitter.TryTakeAccessUnit(out var unit)) count += unit.Length > 0 ? 1 : 0;
            }
            return count;
        }
    }

    [Test]
    public void OverflowDropsAndResynchronisesOnTheNextUnit()
    {
        byte[] data = File.ReadAllBytes(FfmpegFixtures.EncodeH264("high", 320, 240, 30, "slices=4"));
        var whole = Split(data, whole: true, seed: 0);
        int largest = 0;
        foreach (var unit in whole) largest = Math.Max(largest, unit.Length);
        int max = largest * 2 / 3; // the big units (the IDR) cannot fit; the small ones can

        var splitter = new AccessUnitSplitter(initialCapacity: 64, maxBufferedBytes: max);
        var random = new Random(11);
        var units = new List<byte[]>();
        for (int pos = 0; pos < data.Length;)
        {
            int n = Math.Min(random.Next(1, 2048), data.Length - pos);
            splitter.Append(data.AsSpan(pos, n));
            pos += n;
            Assert.That(splitter.BufferedBytes, Is.LessThanOrEqualTo(max));
            while (splitter.TryTakeAccessUnit(out var unit)) units.Add(unit.ToArray());
        }
        var rest = splitter.Flush();
        if (!rest.IsEmpty) units.Add(rest.ToArray());

        Assert.That(splitter.Overflows, Is.GreaterThan(0));
        Assert.That(splitter.DroppedBytes, Is.GreaterThan(0));
        Assert.That(splitter.Capacity, Is.LessThanOrEqualTo(max));
        Assert.That(units.Count, Is.InRange(1, whole.Count - 1));
        foreach (var unit in units)
        {
            Assert.That(IsSuffixOfAny(unit, whole), Is.True, "every unit after a resync is a whole unit or the tail of one");
        }
    }

    [Test]
    public void ChunkLargerThanTheLimitKeepsItsTail()
    {
        var splitter = new AccessUnitSplitter(initialCapacity: 16, maxBufferedBytes: 64);
        var garbage = new byte[1000];
        Array.Fill(garbage, (byte)0xAB);
        splitter.Append(garbage);
        Assert.That(splitter.Overflows, Is.EqualTo(1));
        Assert.That(splitter.DroppedBytes, Is.EqualTo(1000 - 64));
        Assert.That(splitter.TryTakeAccessUnit(out _), Is.False);
        Assert.That(splitter.BufferedBytes, Is.LessThanOrEqualTo(3), "garbage without a start code is not kept");

        splitter.Append(Hex(Idr0 + " " + P0 + " " + P0b));
        Assert.That(splitter.TryTakeAccessUnit(out var first), Is.True);
        Assert.That(ToHex(first), Is.EqualTo(ToHex(Hex(Idr0))));
    }

    [Test]
    public void FlushReturnsTheLastUnitOnceAndResets()
    {
        var splitter = new AccessUnitSplitter();
        Assert.That(splitter.TryTakeAccessUnit(out _), Is.False);
        Assert.That(splitter.Flush().IsEmpty, Is.True);

        splitter.Append(Hex(Idr0 + " " + P0 + " 00 00"));
        Assert.That(splitter.TryTakeAccessUnit(out var unit), Is.True);
        Assert.That(ToHex(unit), Is.EqualTo(ToHex(Hex(Idr0))));
        Assert.That(splitter.TryTakeAccessUnit(out _), Is.False);
        Assert.That(ToHex(splitter.Flush()), Is.EqualTo(ToHex(Hex(P0))));
        Assert.That(splitter.Flush().IsEmpty, Is.True);
        Assert.That(splitter.TryTakeAccessUnit(out _), Is.False);

        splitter.Append(Hex(P0b + " " + P0));
        Assert.That(splitter.TryTakeAccessUnit(out unit), Is.True);
        Assert.That(ToHex(unit), Is.EqualTo(ToHex(Hex(P0b))), "a new stream after a flush");
    }

    [Test]
    public void WaitsForTheSliceHeaderBeforeDeciding()
    {
        var splitter = new AccessUnitSplitter();
        splitter.Append(Hex(Idr0 + " 00 00 01 41"));
        Assert.That(splitter.TryTakeAccessUnit(out _), Is.False, "first_mb_in_slice not yet known");
        splitter.Append(Hex("30"));
        Assert.That(splitter.TryTakeAccessUnit(out _), Is.False, "first_mb_in_slice 5: same picture");
        splitter.Append(Hex("00 00 01 41 88"));
        Assert.That(splitter.TryTakeAccessUnit(out var unit), Is.True);
        Assert.That(ToHex(unit), Is.EqualTo(ToHex(Hex(Idr0 + " 00 00 01 41 30"))));
    }

    [Test]
    public void NeverThrowsOnCorruptedStreams()
    {
        byte[] data = File.ReadAllBytes(FfmpegFixtures.EncodeH264("main", 320, 240, 30, "slices=4"));
        var random = new Random(5);
        var splitter = new AccessUnitSplitter(initialCapacity: 256, maxBufferedBytes: 32 * 1024);
        int units = 0;
        for (int round = 0; round < 20; round++)
        {
            var corrupt = (byte[])data.Clone();
            for (int i = 0; i < 200; i++)
            {
                int at = random.Next(corrupt.Length - 4);
                switch (random.Next(3))
                {
                    case 0: corrupt[at] = (byte)random.Next(256); break;
                    case 1: corrupt[at] = 0; corrupt[at + 1] = 0; corrupt[at + 2] = 1; break;
                    default: corrupt[at] = 0; corrupt[at + 1] = 0; corrupt[at + 2] = 1; corrupt[at + 3] = 0; break;
                }
            }
            for (int pos = 0; pos < corrupt.Length;)
            {
                int n = Math.Min(random.Next(1, 3000), corrupt.Length - pos);
                splitter.Append(corrupt.AsSpan(pos, n));
                pos += n;
                while (splitter.TryTakeAccessUnit(out var unit))
                {
                    units++;
                    Assert.That(AnnexB.FindStartCode(unit, 0, out _), Is.EqualTo(0));
                }
            }
        }
        Assert.That(units, Is.GreaterThan(20 * 30 / 2));
    }

    /// <summary>Splits <paramref name="data"/> fed whole or in seeded random chunks of 1..maxChunk bytes.</summary>
    private static List<byte[]> Split(byte[] data, bool whole, int seed, int maxChunk = 65536)
    {
        var splitter = new AccessUnitSplitter(initialCapacity: 1024);
        var units = new List<byte[]>();
        var random = new Random(seed);
        for (int pos = 0; pos < data.Length;)
        {
            int n = whole ? data.Length : Math.Min(random.Next(1, maxChunk + 1), data.Length - pos);
            splitter.Append(data.AsSpan(pos, n));
            pos += n;
            while (splitter.TryTakeAccessUnit(out var unit)) units.Add(unit.ToArray());
        }
        var rest = splitter.Flush();
        if (!rest.IsEmpty) units.Add(rest.ToArray());
        Assert.That(splitter.Overflows, Is.EqualTo(0));
        return units;
    }

    private static List<string> Hexes(List<byte[]> units)
    {
        var list = new List<string>();
        foreach (var unit in units) list.Add(ToHex(unit));
        return list;
    }

    private static int CountVcl(byte[] unit)
    {
        int count = 0;
        foreach (var nal in AnnexB.EnumerateNals(unit))
        {
            if (NalUnit.TypeOf(nal[0]).IsVcl()) count++;
        }
        return count;
    }

    private static bool IsSuffixOfAny(byte[] unit, List<byte[]> wholeUnits)
    {
        foreach (var w in wholeUnits)
        {
            if (w.AsSpan().EndsWith(unit)) return true;
        }
        return false;
    }
}
