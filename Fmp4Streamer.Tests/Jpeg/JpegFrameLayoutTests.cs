using Fmp4Streamer.Jpeg;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Jpeg;

/// <summary>Camera-like MJPG frames made by ffmpeg: whole, without Huffman tables, padded, cut short, or garbage.</summary>
public class JpegFrameLayoutTests
{
    private static readonly string Work = Path.Combine(Path.GetTempPath(), "fmp4streamer-jpeg-tests");

    [Test]
    public void AWholeFrameIsCompleteWithItsSizeAndTables()
    {
        byte[] frame = FfmpegJpeg();
        var layout = JpegFrameLayout.Inspect(frame);
        Assert.That(layout.IsComplete, Is.True);
        Assert.That((layout.Width, layout.Height), Is.EqualTo((320, 240)));
        Assert.That(layout.HasHuffmanTables, Is.True);
        Assert.That(layout.Length, Is.EqualTo(frame.Length));
        Assert.That(frame[layout.ScanStart + 1], Is.EqualTo(JpegMarkers.StartOfScan));
    }

    [Test]
    public void AFrameWithoutHuffmanTablesIsCompletedWithTheStandardOnesAndDecodesTheSame()
    {
        byte[] frame = FfmpegJpeg();
        byte[] stripped = WithoutHuffmanTables(frame);
        var layout = JpegFrameLayout.Inspect(stripped);
        Assert.That(layout.IsComplete, Is.True);
        Assert.That(layout.HasHuffmanTables, Is.False);

        var tables = new byte[JpegHeaderWriter.StandardHuffmanSegmentSize];
        JpegHeaderWriter.WriteStandardHuffmanTables(tables);
        byte[] completed = [.. stripped.AsSpan(0, layout.ScanStart), .. tables, .. stripped.AsSpan(layout.ScanStart, layout.Length - layout.ScanStart)];
        Assert.That(JpegFrameLayout.Inspect(completed).HasHuffmanTables, Is.True);
        Assert.That(Md5OfDecode(completed), Is.EqualTo(Md5OfDecode(frame)), "the standard tables are the ones the encoder used");
    }

    [Test]
    public void PaddingAfterTheEndMarkerIsNotPartOfTheFrame()
    {
        byte[] frame = FfmpegJpeg();
        byte[] padded = [.. frame, .. new byte[1000]];
        Assert.That(JpegFrameLayout.Inspect(padded).Length, Is.EqualTo(frame.Length));
    }

    [Test]
    public void BrokenFramesAreNotComplete()
    {
        byte[] frame = FfmpegJpeg();
        Assert.That(JpegFrameLayout.Inspect(frame.AsSpan(0, frame.Length - 100)).IsComplete, Is.False, "cut inside the scan");
        Assert.That(JpegFrameLayout.Inspect(frame.AsSpan(0, 300)).IsComplete, Is.False, "cut inside the headers");
        Assert.That(JpegFrameLayout.Inspect(frame.AsSpan(2)).IsComplete, Is.False, "no start marker");
        Assert.That(JpegFrameLayout.Inspect(new byte[4096]).IsComplete, Is.False, "zeros");
        Assert.That(JpegFrameLayout.Inspect([]).IsComplete, Is.False, "empty");
        var random = new Random(3);
        for (int i = 0; i < 2000; i++)
        {
            var mutated = (byte[])frame.Clone();
            mutated[random.Next(2, 700)] = (byte)random.Next(256);
            JpegFrameLayout.Inspect(mutated.AsSpan(0, random.Next(mutated.Length))); // never throws
        }
    }

    private static byte[] FfmpegJpeg()
    {
        Directory.CreateDirectory(Work);
        string path = Path.Combine(Work, "camera_320x240.jpg");
        if (!File.Exists(path))
            ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=1", "-frames:v", "1",
                "-c:v", "mjpeg", "-huffman", "default", "-pix_fmt", "yuvj422p", path]);
        return File.ReadAllBytes(path);
    }

    /// <summary>The frame with every DHT segment removed, as many UVC cameras send it.</summary>
    private static byte[] WithoutHuffmanTables(byte[] frame)
    {
        var result = new List<byte>(frame.AsSpan(0, 2).ToArray());
        int at = 2;
        while (frame[at + 1] != JpegMarkers.StartOfScan)
        {
            int length = frame[at + 2] << 8 | frame[at + 3];
            if (frame[at + 1] != JpegMarkers.DefineHuffman) result.AddRange(frame.AsSpan(at, 2 + length).ToArray());
            at += 2 + length;
        }
        result.AddRange(frame.AsSpan(at).ToArray());
        return result.ToArray();
    }

    private static string Md5OfDecode(byte[] jpeg)
    {
        string path = Path.Combine(Work, $"decode_{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(path, jpeg);
        var result = ToolRun.Complete("ffmpeg", ["-v", "error", "-xerror", "-nostdin", "-i", path, "-f", "md5", "-"], TimeSpan.FromSeconds(30));
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdErr.Trim(), Is.Empty, "decoded without a complaint");
        return result.StdOut.Trim();
    }
}
