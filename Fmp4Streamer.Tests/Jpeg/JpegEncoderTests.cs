using Fmp4Streamer.Jpeg;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Jpeg;

/// <summary>Pictures made by ffmpeg, encoded here, decoded by ffmpeg again, and compared sample by sample.</summary>
public class JpegEncoderTests
{
    private static readonly string Work = Path.Combine(Path.GetTempPath(), "fmp4streamer-jpeg-tests");

    [TestCase(640, 480, 90, 38.0)]
    [TestCase(1366, 762, 90, 38.0)] // neither dimension a multiple of 16: edge blocks are padded
    [TestCase(320, 240, 50, 30.0)]
    public void AnI420PictureDecodesCloseToTheOriginal(int width, int height, int quality, double minimumPsnr)
    {
        byte[] original = RawPicture(width, height, "yuv420p");
        int lumaSize = width * height, chromaWidth = (width + 1) / 2, chromaSize = chromaWidth * ((height + 1) / 2);
        var view = PictureView.I420(width, height, original.AsSpan(0, lumaSize), width,
            original.AsSpan(lumaSize, chromaSize), original.AsSpan(lumaSize + chromaSize, chromaSize), chromaWidth);
        byte[] decoded = EncodeAndDecode(view, quality, "yuv420p");
        Report(original, decoded, lumaSize, minimumPsnr, $"I420 {width}x{height} q{quality}");
    }

    [Test]
    public void AnNv12PictureDecodesLikeTheSamePlanarOne()
    {
        const int width = 640, height = 360;
        byte[] nv12 = RawPicture(width, height, "nv12");
        var view = PictureView.Nv12(width, height, nv12.AsSpan(0, width * height), width, nv12.AsSpan(width * height), width);
        byte[] decoded = EncodeAndDecode(view, 90, "nv12");
        Report(nv12, decoded, width * height, 38.0, "NV12 640x360 q90");
    }

    [Test]
    public void AYuyvPictureIsEncodedAs422()
    {
        const int width = 640, height = 480;
        byte[] yuyv = RawPicture(width, height, "yuyv422");
        var view = PictureView.Yuyv(width, height, yuyv, width * 2);
        string path = Encode(view, 90);
        string pixelFormat = ToolRun.Output("ffprobe", ["-v", "error", "-show_entries", "stream=pix_fmt", "-of", "csv=p=0", path]).Trim();
        Assert.That(pixelFormat, Is.EqualTo("yuvj422p"), "sampled 2x1, as the camera sent it");
        byte[] decoded = Decode(path, "yuyv422");
        // Luma samples are the even bytes of YUYV; compare them on their own, and the whole packed picture.
        double lumaPsnr = Psnr(EveryOther(yuyv), EveryOther(decoded));
        TestContext.Out.WriteLine($"YUYV 640x480 q90: luma PSNR {lumaPsnr:0.00} dB, all {Psnr(yuyv, decoded):0.00} dB");
        Assert.That(lumaPsnr, Is.GreaterThanOrEqualTo(38.0));
    }

    [Test]
    public void ADestinationTooSmallGivesMinusOneAndNoException()
    {
        const int width = 320, height = 240;
        byte[] original = RawPicture(width, height, "yuv420p");
        var view = PictureView.I420(width, height, original.AsSpan(0, 76800), width, original.AsSpan(76800, 19200), original.AsSpan(96000, 19200), 160);
        var encoder = new JpegEncoder(90);
        Assert.That(encoder.Encode(view, new byte[100]), Is.EqualTo(-1));
        Assert.That(encoder.Encode(view, new byte[2000]), Is.EqualTo(-1));
        Assert.That(encoder.Encode(view, new byte[JpegEncoder.SuggestedBufferSize(width, height)]), Is.GreaterThan(2000));
    }

    [Test]
    public void EncodingAllocatesNothing()
    {
        const int width = 640, height = 480;
        byte[] original = RawPicture(width, height, "yuv420p");
        var encoder = new JpegEncoder(85);
        var dest = new byte[JpegEncoder.SuggestedBufferSize(width, height)];
        void EncodeOnce()
        {
            var view = PictureView.I420(width, height, original.AsSpan(0, 307200), width, original.AsSpan(307200, 76800), original.AsSpan(384000, 76800), 320);
            if (encoder.Encode(view, dest) < 0) Assert.Fail("did not fit");
        }
        EncodeOnce();
        Assert.That(AllocationProbe.MinimumBytes(5, () => { for (int i = 0; i < 4; i++) EncodeOnce(); }), Is.Zero);
    }

    [Test]
    public void TheStandardHuffmanTablesAreCompleteAndPrefixFree()
    {
        foreach (var code in new[] { HuffmanCode.LuminanceDc, HuffmanCode.LuminanceAc, HuffmanCode.ChrominanceDc, HuffmanCode.ChrominanceAc })
        {
            var codes = code.Symbols.Select(s => (Code: code.Code(s), Length: code.Length(s))).ToList();
            Assert.That(codes.Select(c => c.Length), Has.All.InRange(1, 16));
            for (int i = 0; i < codes.Count; i++)
                for (int j = 0; j < codes.Count; j++)
                {
                    if (i == j || codes[i].Length > codes[j].Length) continue;
                    Assert.That(codes[j].Code >> (codes[j].Length - codes[i].Length), Is.Not.EqualTo(codes[i].Code), "prefix-free");
                }
        }
        Assert.That(HuffmanCode.LuminanceAc.Symbols, Has.Length.EqualTo(162));
        Assert.That(HuffmanCode.ChrominanceAc.Symbols, Has.Length.EqualTo(162));
    }

    private static byte[] RawPicture(int width, int height, string pixelFormat)
    {
        Directory.CreateDirectory(Work);
        string path = Path.Combine(Work, $"testsrc2_{width}x{height}.{pixelFormat}");
        if (!File.Exists(path))
            ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=1",
                "-frames:v", "1", "-pix_fmt", pixelFormat, "-f", "rawvideo", path]);
        return File.ReadAllBytes(path);
    }

    private static string Encode(in PictureView view, int quality)
    {
        var dest = new byte[JpegEncoder.SuggestedBufferSize(view.Width, view.Height)];
        int length = new JpegEncoder(quality).Encode(view, dest);
        Assert.That(length, Is.GreaterThan(0), "fits the suggested buffer");
        string path = Path.Combine(Work, $"out_{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(path, dest.AsSpan(0, length).ToArray());
        return path;
    }

    private static byte[] EncodeAndDecode(in PictureView view, int quality, string pixelFormat) => Decode(Encode(view, quality), pixelFormat);

    private static byte[] Decode(string jpeg, string pixelFormat)
    {
        string raw = jpeg + "." + pixelFormat;
        // -xerror: any decoder complaint fails the run instead of being concealed.
        var result = ToolRun.Complete("ffmpeg", ["-v", "warning", "-xerror", "-nostdin", "-y", "-i", jpeg, "-f", "rawvideo", "-pix_fmt", pixelFormat, raw],
            TimeSpan.FromSeconds(60));
        // swscale's note about the full-range (yuvj) formats is about the conversion this test asks for, not the JPEG.
        var complaints = result.StdErr.Split('\n').Where(l => l.Trim().Length > 0 && !l.Contains("deprecated pixel format")).ToList();
        Assert.That(complaints, Is.Empty, "ffmpeg decodes the JPEG without a warning");
        Assert.That(result.ExitCode, Is.Zero);
        return File.ReadAllBytes(raw);
    }

    private static void Report(byte[] original, byte[] decoded, int lumaSize, double minimumPsnr, string what)
    {
        Assert.That(decoded, Has.Length.EqualTo(original.Length));
        double luma = Psnr(original.AsSpan(0, lumaSize), decoded.AsSpan(0, lumaSize));
        double chroma = Psnr(original.AsSpan(lumaSize), decoded.AsSpan(lumaSize));
        TestContext.Out.WriteLine($"{what}: luma PSNR {luma:0.00} dB, chroma {chroma:0.00} dB");
        Assert.That(luma, Is.GreaterThanOrEqualTo(minimumPsnr), "luma");
        Assert.That(chroma, Is.GreaterThanOrEqualTo(minimumPsnr), "chroma");
    }

    private static byte[] EveryOther(byte[] packed) => packed.Where((_, i) => i % 2 == 0).ToArray();

    private static double Psnr(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }
        double mse = sum / a.Length;
        return mse == 0 ? 99 : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
