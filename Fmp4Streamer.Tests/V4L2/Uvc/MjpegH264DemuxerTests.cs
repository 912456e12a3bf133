using Fmp4Streamer.H264;
using Fmp4Streamer.Tests.TestSupport;
using Fmp4Streamer.V4L2.Uvc;

namespace Fmp4Streamer.Tests.V4L2.Uvc;

/// <summary>H.264 access units from x264 muxed into MJPG APP4 segments come back out byte for byte (compatibility §7).</summary>
public class MjpegH264DemuxerTests
{
    private static List<byte[]>? s_units;

    /// <summary>
    /// Access units of two x264 streams: 30 frames of testsrc (a few KB each, inside one APP4 segment) and 10 frames of
    /// testsrc under heavy noise (180 to 270 KB each, over three to five segments).
    /// </summary>
    internal static List<byte[]> AccessUnits()
    {
        if (s_units is not null) return s_units;
        var units = Split(File.ReadAllBytes(FfmpegFixtures.EncodeH264("high", 640, 480, 30)));
        units.AddRange(Split(File.ReadAllBytes(NoisyStream())));
        return s_units = units;
    }

    private static List<byte[]> Split(byte[] stream)
    {
        var splitter = new AccessUnitSplitter();
        var units = new List<byte[]>();
        splitter.Append(stream);
        while (splitter.TryTakeAccessUnit(out var unit)) units.Add(unit.ToArray());
        var last = splitter.Flush();
        if (!last.IsEmpty) units.Add(last.ToArray());
        Assert.That(units.Sum(u => u.Length), Is.EqualTo(stream.Length), "the split covers the stream");
        return units;
    }

    /// <summary>testsrc compresses too well to exceed 64 KiB per frame; noise makes every frame large.</summary>
    private static string NoisyStream()
    {
        string path = Path.Combine(FfmpegFixtures.CacheDirectory, "noisy_1280x720_10.h264");
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(FfmpegFixtures.CacheDirectory);
        string temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        ToolRun.Output("ffmpeg", new[]
        {
            "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc=size=1280x720:rate=30", "-vf", "noise=alls=30:allf=t+u",
            "-frames:v", "10", "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p", "-x264-params", "keyint=5", "-f", "h264", temp,
        });
        File.Move(temp, path, overwrite: true);
        return path;
    }

    private static IEnumerable<TestCaseData> Layouts()
    {
        yield return new TestCaseData(new MjpegH264FrameBuilder()).SetName("Logitech layout, a marker every 65535 bytes");
        yield return new TestCaseData(new MjpegH264FrameBuilder { SegmentData = 65533 }).SetName("full 65535-byte segments");
        yield return new TestCaseData(new MjpegH264FrameBuilder { SegmentData = 40000 }).SetName("shorter segments");
        yield return new TestCaseData(new MjpegH264FrameBuilder { InterleaveComments = true }).SetName("other segments between APP4s");
        yield return new TestCaseData(new MjpegH264FrameBuilder { App4AfterScan = true }).SetName("APP4 after the scan data");
    }

    [TestCaseSource(nameof(Layouts))]
    public void DemuxedStreamIsByteIdenticalToTheEncodedOne(MjpegH264FrameBuilder builder)
    {
        var units = AccessUnits();
        Assert.That(units.Max(u => u.Length), Is.GreaterThan(2 * 65536), "fixture needs multi-segment payloads");
        Assert.That(units.Min(u => u.Length), Is.LessThan(60000), "fixture needs single-segment payloads");
        var demuxer = new MjpegH264Demuxer();
        var output = new List<byte>();
        int zeroCopy = 0;
        foreach (var unit in units)
        {
            byte[] frame = builder.Build(unit);
            Assert.That(demuxer.Demux(frame, out var au), Is.EqualTo(MjpegH264Status.Ok));
            Assert.That(au.ToArray(), Is.EqualTo(unit));
            if (frame.AsSpan().Overlaps(au)) zeroCopy++;
            output.AddRange(au.ToArray());
        }
        Assert.That(output.ToArray(), Is.EqualTo(units.SelectMany(u => u).ToArray()));
        int singleSegment = units.Count(u => u.Length <= builder.SegmentData - MjpegH264FrameBuilder.HeaderLength - 4);
        Assert.That(zeroCopy, Is.EqualTo(singleSegment), "payloads inside one segment are views into the frame");
        Assert.That(demuxer.StitchedFrames, Is.EqualTo(units.Count - singleSegment));
        Assert.That((demuxer.Width, demuxer.Height), Is.EqualTo((builder.Width, builder.Height)));
    }

    [Test]
    public void FfmpegDecodesTheDemuxedStreamWithoutErrors()
    {
        var units = AccessUnits();
        var demuxer = new MjpegH264Demuxer();
        using var output = new MemoryStream();
        foreach (var unit in units)
        {
            Assert.That(demuxer.TryDemux(new MjpegH264FrameBuilder().Build(unit), out var au), Is.True);
            output.Write(au);
        }
        string path = FfmpegFixtures.WriteTemp("demuxed.h264", output.ToArray());
        try
        {
            var (result, frames) = ToolRun.FfmpegDecode(path, units.Count, TimeSpan.FromSeconds(60), "-f", "h264");
            Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
            Assert.That(frames, Is.EqualTo(units.Count));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Sizes at each segment boundary of the Logitech layout (65505 payload bytes in the first segment, 65531 in the
    /// others), including 65506..65535 where the original's fixed-stride estimate cut the last 4 bytes off.
    /// </summary>
    [TestCase(1)]
    [TestCase(65505)]
    [TestCase(65506)]
    [TestCase(65507)]
    [TestCase(65510)]
    [TestCase(65535)]
    [TestCase(65536)]
    [TestCase(65505 + 65531)]
    [TestCase(65505 + 65531 + 1)]
    [TestCase(131071)]
    [TestCase(600_000)]
    public void PayloadSizesAroundSegmentBoundariesSurviveExactly(int size)
    {
        var payload = new byte[size];
        new Random(size).NextBytes(payload);
        byte[] frame = new MjpegH264FrameBuilder().Build(payload);
        var demuxer = new MjpegH264Demuxer();
        Assert.That(demuxer.TryDemux(frame, out var au), Is.True);
        Assert.That(au.SequenceEqual(payload), Is.True);
    }

    [Test]
    public void EveryTruncationIsRejected()
    {
        var payload = new byte[150_000];
        new Random(1).NextBytes(payload);
        byte[] frame = new MjpegH264FrameBuilder().Build(payload);
        var demuxer = new MjpegH264Demuxer();
        // Up to the end of the last APP4 segment every cut loses payload; the few bytes after it (SOS, EOI) do not.
        int lastApp4End = frame.Length - (4 + 10 + 7 + 2);
        for (int cut = 0; cut < lastApp4End; cut += cut < 200 ? 1 : 997)
            Assert.That(demuxer.TryDemux(frame.AsSpan(0, cut), out _), Is.False, $"cut at {cut}");
        Assert.That(demuxer.TryDemux(frame.AsSpan(0, lastApp4End), out var whole), Is.True);
        Assert.That(whole.SequenceEqual(payload), Is.True);
    }

    private static IEnumerable<TestCaseData> BadFrames()
    {
        var ok = new MjpegH264FrameBuilder().Build(new byte[] { 0, 0, 0, 1, 0x65, 0x88 });
        yield return new TestCaseData(Array.Empty<byte>(), MjpegH264Status.NotJpeg).SetName("empty");
        yield return new TestCaseData(new byte[] { 0, 0, 0, 1, 0x65 }, MjpegH264Status.NotJpeg).SetName("plain H264");
        yield return new TestCaseData(new byte[] { 0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 1, 2, 0xFF, 0xDA, 0, 2, 9, 9, 0xFF, 0xD9 },
            MjpegH264Status.NoH264Payload).SetName("JPEG without APP4");
        yield return new TestCaseData(new MjpegH264FrameBuilder().Build(Array.Empty<byte>()), MjpegH264Status.NoH264Payload)
            .SetName("zero payload size");
        yield return new TestCaseData(new MjpegH264FrameBuilder { AdvertisedSize = 7 }.Build(new byte[] { 1, 2, 3 }),
            MjpegH264Status.Truncated).SetName("size larger than the segments");
        yield return new TestCaseData(new MjpegH264FrameBuilder { AdvertisedSize = uint.MaxValue }.Build(new byte[] { 1 }),
            MjpegH264Status.Truncated).SetName("size 4 GiB");
        var shortHeader = (byte[])ok.Clone();
        int app4 = shortHeader.AsSpan().IndexOf(new byte[] { 0xFF, 0xE4 });
        shortHeader[app4 + 6] = 2; // wHeaderLength below its own fields
        shortHeader[app4 + 7] = 0;
        yield return new TestCaseData(shortHeader, MjpegH264Status.Corrupt).SetName("header length 2");
        var longHeader = (byte[])ok.Clone();
        longHeader[app4 + 6] = 0xFF; // header longer than the segment
        yield return new TestCaseData(longHeader, MjpegH264Status.Corrupt).SetName("header longer than its segment");
        var badLength = (byte[])ok.Clone();
        badLength[app4 + 2] = 0xFF; // segment length beyond the frame
        yield return new TestCaseData(badLength, MjpegH264Status.NoH264Payload).SetName("segment length beyond the frame");
    }

    [TestCaseSource(nameof(BadFrames))]
    public void MalformedFramesAreRejectedWithAReason(byte[] frame, MjpegH264Status expected)
    {
        var demuxer = new MjpegH264Demuxer();
        Assert.That(demuxer.Demux(frame, out var au), Is.EqualTo(expected));
        Assert.That(au.IsEmpty, Is.True);
    }

    [Test]
    public void RandomCorruptionNeverThrowsNorReadsOutsideTheFrame()
    {
        var units = AccessUnits();
        var demuxer = new MjpegH264Demuxer();
        var random = new Random(5);
        for (int i = 0; i < 400; i++)
        {
            byte[] frame = new MjpegH264FrameBuilder { SegmentData = 1000 + random.Next(64533) }.Build(units[i % units.Count]);
            int flips = 1 + random.Next(8);
            for (int f = 0; f < flips; f++)
            {
                // Bias towards the marker and header bytes at the front, where the structure lives.
                int at = random.Next(2) == 0 ? random.Next(Math.Min(200, frame.Length)) : random.Next(frame.Length);
                frame[at] = (byte)random.Next(256);
            }
            int length = random.Next(4) == 0 ? random.Next(frame.Length) : frame.Length;
            var status = demuxer.Demux(frame.AsSpan(0, length), out var au);
            if (status == MjpegH264Status.Ok) Assert.That(au.Length, Is.LessThanOrEqualTo(length));
        }
    }

    [Test]
    public void AllocatesNothingPerFrameOnceGrown()
    {
        var units = AccessUnits();
        var frames = units.ConvertAll(u => new MjpegH264FrameBuilder().Build(u));
        var demuxer = new MjpegH264Demuxer();
        long bytes = 0;
        foreach (var f in frames) bytes += demuxer.TryDemux(f, out var au) ? au.Length : 0; // grows the stitch buffer
        long allocated = AllocationProbe.MinimumBytes(3, () =>
        {
            for (int pass = 0; pass < 20; pass++)
                foreach (var f in frames)
                    bytes += demuxer.TryDemux(f, out var au) ? au.Length : 0;
        });
        Assert.That(allocated, Is.EqualTo(0));
        Assert.That(bytes, Is.EqualTo(61L * units.Sum(u => u.Length)));
    }
}
