using System.Diagnostics;
using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.H264.TestPattern;

public class TestPatternEncoderTests
{
    private const long Epoch = 1_764_000_000_123;   // a wall clock in 2025, above 2^40, so the top strip bits are used
    private const int FrameCount = 90;
    private const int Gop = 30;
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);

    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "testpattern-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static IEnumerable<TestCaseData> Sizes()
    {
        yield return new TestCaseData(640, 480, 30).SetName("640x480 level 3.0");
        yield return new TestCaseData(160, 128, 30).SetName("160x128 level 3.0 strip over several rows");
        yield return new TestCaseData(1280, 720, 31).SetName("1280x720 level 3.1");
        yield return new TestCaseData(330, 250, 30).SetName("330x250 cropped");
    }

    private static long WallClock(int frame) => Epoch + frame * 1000L / 30 + (frame % 7) * 1_000_003L;

    [TestCaseSource(nameof(Sizes))]
    public void FfmpegDecodesEveryFrameExactlyAndTheStripReadsBack(int width, int height, int expectedLevel)
    {
        var encoder = new TestPatternEncoder(width, height, 30);
        Assert.That(encoder.LevelIdc, Is.EqualTo(expectedLevel));
        byte[] output = new byte[encoder.MaxFrameSize];
        var painted = new List<(int Frame, byte[] Yuv)>();
        string file = Path.Combine(_directory, "pattern.h264");
        using (FileStream stream = File.Create(file))
        {
            for (int i = 0; i < FrameCount; i++)
            {
                int length = encoder.EncodeFrame(i, WallClock(i), i % Gop == 0, output);
                stream.Write(output, 0, length);
                if (i % 29 == 0) painted.Add((i, CropYuv(encoder, width, height)));
            }
        }

        byte[] decoded = DecodeToGray(file);
        int frameSize = width * height;
        Assert.That(decoded.Length, Is.EqualTo(FrameCount * frameSize), "decoded frame count");
        for (int i = 0; i < FrameCount; i++)
        {
            ReadOnlySpan<byte> luma = decoded.AsSpan(i * frameSize, frameSize);
            Assert.That(TestPatternStrip.TryRead(luma, width, height, width, out long frame, out long ms), Is.True, $"strip of frame {i}");
            Assert.That(frame, Is.EqualTo(i));
            Assert.That(ms, Is.EqualTo(WallClock(i)));
        }

        // Lossless: the decoded pictures (before any range conversion) are exactly the painted ones.
        byte[] yuv = Decode(file, "yuv420p", "select=not(mod(n\\,29))");
        Assert.That(yuv.Length, Is.EqualTo(painted.Count * frameSize * 3 / 2));
        int k = 0;
        foreach ((int i, byte[] expected) in painted)
        {
            Assert.That(yuv.AsSpan(k++ * expected.Length, expected.Length).SequenceEqual(expected), Is.True,
                $"frame {i} decodes to exactly the painted picture");
        }

        ToolResult probe = ToolRun.Complete("ffprobe", ["-v", "error", "-select_streams", "v:0",
            "-show_entries", "stream=width,height,profile,level,r_frame_rate,has_b_frames", "-of", "default=nw=1", file], ToolTimeout);
        Assert.That(probe.ExitCode, Is.Zero, probe.StdErr);
        Assert.That(probe.StdOut, Does.Contain($"width={width}\n"));
        Assert.That(probe.StdOut, Does.Contain($"height={height}\n"));
        Assert.That(probe.StdOut, Does.Contain("profile=Constrained Baseline\n"));
        Assert.That(probe.StdOut, Does.Contain("r_frame_rate=30/1\n"));
        Assert.That(probe.StdOut, Does.Contain("has_b_frames=0\n"));
        Assert.That(probe.StdOut, Does.Contain($"level={expectedLevel}\n"));
    }

    [Test]
    public void AKeyFrameRequestedMidGopStartsADecodableStream()
    {
        var encoder = new TestPatternEncoder(640, 480, 30);
        byte[] output = new byte[encoder.MaxFrameSize];
        string file = Path.Combine(_directory, "cut.h264");
        using (FileStream stream = File.Create(file))
        {
            for (int i = 0; i < 30; i++)
            {
                int length = encoder.EncodeFrame(i, WallClock(i), i == 0 || i == 7, output);
                Assert.That(output[4] & 0x1F, Is.EqualTo(i == 0 || i == 7 ? 7 : 1), $"first NAL type of frame {i}");
                if (i >= 7) stream.Write(output, 0, length);   // the stream as a client joining at frame 7 gets it
            }
        }
        byte[] decoded = DecodeToGray(file);
        int frameSize = 640 * 480;
        Assert.That(decoded.Length, Is.EqualTo(23 * frameSize));
        for (int i = 7; i < 30; i++)
        {
            Assert.That(TestPatternStrip.TryRead(decoded.AsSpan((i - 7) * frameSize, frameSize), 640, 480, 640, out long frame, out long ms), Is.True);
            Assert.That(frame, Is.EqualTo(i));
            Assert.That(ms, Is.EqualTo(WallClock(i)));
        }
    }

    [TestCase(640, 480)]
    [TestCase(1280, 720)]
    public void PFramesAreMuchSmallerThanKeyFrames(int width, int height)
    {
        var encoder = new TestPatternEncoder(width, height, 30);
        byte[] output = new byte[encoder.MaxFrameSize];
        int keySize = encoder.EncodeFrame(0, Epoch, true, output);
        int firstP = encoder.EncodeFrame(1, Epoch + 33, false, output);
        int macroblocks = (width / 16) * (height / 16);
        Assert.That(encoder.LastMacroblockCounts.Skipped, Is.GreaterThan(macroblocks * 9 / 10), "unchanged macroblocks are skipped");
        Assert.That(encoder.LastMacroblockCounts.Pcm, Is.LessThanOrEqualTo(2), "only the counter's last digit needs I_PCM");
        int largestP = firstP;
        long totalP = firstP;
        for (int i = 2; i < Gop; i++)
        {
            int size = encoder.EncodeFrame(i, Epoch + i * 1000L / 30, false, output);   // a clock ticking in real time
            largestP = Math.Max(largestP, size);
            totalP += size;
        }
        TestContext.Out.WriteLine(
            $"{width}x{height}: key frame {keySize} bytes, first P frame {firstP}, P frames {totalP / (Gop - 1)} on average, {largestP} at most");
        Assert.That(firstP * 5, Is.LessThan(keySize));
        Assert.That(totalP / (Gop - 1) * 5, Is.LessThan(keySize));
    }

    [Test]
    public void EncodeFrameAllocatesNothing()
    {
        var encoder = new TestPatternEncoder(640, 480, 30);
        byte[] output = new byte[encoder.MaxFrameSize];
        for (int i = 0; i < 31; i++) encoder.EncodeFrame(i, WallClock(i), i % Gop == 0, output);   // JIT and tiering

        var watch = Stopwatch.StartNew();
        long frame = 31;
        // The least of a few runs: a one-off allocation inside the runtime (tiering) shows in one run only.
        long allocated = AllocationProbe.MinimumBytes(3, () =>
        {
            for (int i = 0; i < 100; i++, frame++) encoder.EncodeFrame(frame, WallClock((int)frame), frame % Gop == 0, output);
        });
        watch.Stop();

        TestContext.Out.WriteLine($"640x480: {watch.Elapsed.TotalMilliseconds * 1000 / 300:F0} us per frame over 300 frames (informational)");
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void FirstFrameIsAKeyFrameEvenWhenNotRequested()
    {
        var encoder = new TestPatternEncoder(160, 128, 30);
        byte[] output = new byte[encoder.MaxFrameSize];
        encoder.EncodeFrame(0, Epoch, false, output);
        Assert.That(output[4] & 0x1F, Is.EqualTo(7), "starts with an SPS");
    }

    [Test]
    public void ParameterSetsAreConstrainedBaselineAndStartTheKeyFrame()
    {
        var encoder = new TestPatternEncoder(640, 480, 30);
        byte[] output = new byte[encoder.MaxFrameSize];
        encoder.EncodeFrame(0, Epoch, true, output);
        Assert.That(encoder.Sps[..4].ToArray(), Is.EqualTo(new byte[] { 0x67, 66, 0xC0, 30 }));
        Assert.That(encoder.Pps[0], Is.EqualTo(0x68));
        byte[] expectedStart = [0, 0, 0, 1, .. encoder.Sps, 0, 0, 0, 1, .. encoder.Pps, 0, 0, 0, 1, 0x65];
        Assert.That(output.AsSpan(0, expectedStart.Length).ToArray(), Is.EqualTo(expectedStart));
    }

    [TestCase(158, 128)]
    [TestCase(160, 126)]
    [TestCase(161, 128)]
    [TestCase(640, 481)]
    [TestCase(0, 0)]
    [TestCase(4112, 480)]
    public void UnsupportedSizesAreRejected(int width, int height)
    {
        var error = Assert.Throws<ArgumentException>(() => new TestPatternEncoder(width, height, 30));
        Assert.That(error!.Message, Does.Contain($"{width}x{height}").And.Contain("even"));
    }

    [TestCase(0)]
    [TestCase(121)]
    public void UnsupportedFrameRatesAreRejected(int fps)
    {
        var error = Assert.Throws<ArgumentException>(() => new TestPatternEncoder(640, 480, fps));
        Assert.That(error!.Message, Does.Contain("frame rate"));
    }

    [Test]
    public void TooSmallOutputIsRejected()
    {
        var encoder = new TestPatternEncoder(160, 128, 30);
        byte[] output = new byte[encoder.MaxFrameSize - 1];
        Assert.Throws<ArgumentException>(() => encoder.EncodeFrame(0, Epoch, true, output));
    }

    /// <summary>ffmpeg's gray output is full range (luma 16 reads 0, 235 reads 255); the strip threshold holds for both.</summary>
    private byte[] DecodeToGray(string file) => Decode(file, "gray", null);

    private byte[] Decode(string file, string pixelFormat, string? filter)
    {
        string raw = Path.Combine(_directory, "out." + pixelFormat);
        var arguments = new List<string> { "-nostdin", "-v", "error", "-xerror", "-err_detect", "explode", "-f", "h264", "-i", file };
        if (filter != null) arguments.AddRange(["-vf", filter, "-fps_mode", "passthrough"]);
        arguments.AddRange(["-f", "rawvideo", "-pix_fmt", pixelFormat, raw]);
        ToolResult result = ToolRun.Complete("ffmpeg", arguments, ToolTimeout);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdErr, Is.Empty);
        return File.ReadAllBytes(raw);
    }

    /// <summary>The painted picture cropped to the visible size, as planar yuv420p.</summary>
    private static byte[] CropYuv(TestPatternEncoder encoder, int width, int height)
    {
        YuvPlanes picture = encoder.Picture;
        byte[] yuv = new byte[width * height * 3 / 2];
        for (int y = 0; y < height; y++) picture.Y.AsSpan(y * picture.Width, width).CopyTo(yuv.AsSpan(y * width));
        int chromaWidth = width / 2, chromaHeight = height / 2, cb = width * height, cr = cb + chromaWidth * chromaHeight;
        for (int y = 0; y < chromaHeight; y++)
        {
            picture.Cb.AsSpan(y * picture.ChromaWidth, chromaWidth).CopyTo(yuv.AsSpan(cb + y * chromaWidth));
            picture.Cr.AsSpan(y * picture.ChromaWidth, chromaWidth).CopyTo(yuv.AsSpan(cr + y * chromaWidth));
        }
        return yuv;
    }
}
