using System.Security.Cryptography;
using Fmp4Streamer.Tests.H264.Decoding;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// The cross-built Raspberry Pi binary runs (under qemu-user here), serves a decodable stream, and its H264 decoder
/// (with its Vector128 kernels on NEON) decodes the frames ffmpeg decodes on x64.
/// </summary>
[Category("EndToEnd")]
public class Arm64Tests
{
    [Test]
    public void Arm64BinaryServesTheTestPattern()
    {
        const string qemu = "/usr/bin/qemu-aarch64-static";
        if (!File.Exists(qemu)) Assert.Fail("qemu-aarch64-static is missing: apt-get install qemu-user-static (make test does)");
        using var daemon = DaemonProcess.StartWith(qemu, new[] { "-L", "/usr/aarch64-linux-gnu", Repository.Arm64Binary },
            null, "--test-pattern");
        var (result, frames) = ToolRun.FfmpegDecode(daemon.BaseUrl + "/stream.mp4", 60, TimeSpan.FromSeconds(60));
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr + daemon.Log);
        Assert.That(frames, Is.GreaterThanOrEqualTo(60));
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    [TestCase("main", "keyint=6:bframes=0:ref=1:cabac=0", TestName = "Arm64 decoder: CAVLC P frames like ffmpeg")]
    [TestCase("high", "keyint=6:bframes=0:ref=2:8x8dct=1:weightp=2:deblock=-3,-3", TestName = "Arm64 decoder: CABAC 8x8 transform P frames like ffmpeg")]
    public void Arm64DecoderMatchesFfmpeg(string profile, string x264Params)
    {
        const string qemu = "/usr/bin/qemu-aarch64-static";
        if (!File.Exists(qemu)) Assert.Fail("qemu-aarch64-static is missing: apt-get install qemu-user-static (make test does)");
        ToolRun.RequireFile("/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1", "libc6-arm64-cross");
        const int width = 352, height = 288, frames = 12;
        string path = DecoderCorpus.X264(width, height, frames, profile, x264Params);
        List<string> expected = DecoderCorpus.FfmpegFrameMd5s(path);

        using var process = ToolRun.Start(qemu, ["-L", "/usr/aarch64-linux-gnu", Repository.Arm64Binary, "--decode-yuv", path]);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var yuv = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(yuv);
        bool exited = process.WaitForExit(TimeSpan.FromSeconds(60));
        if (!exited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        copy.Wait();
        Assert.That(exited, Is.True, "the arm64 decoder did not finish within 60 s");
        Assert.That(process.ExitCode, Is.EqualTo(0), stderr.Result);
        Assert.That(stderr.Result, Is.Empty, "pictures dropped or refused");

        int frameSize = width * height * 3 / 2;
        byte[] bytes = yuv.ToArray();
        Assert.That(bytes.Length, Is.EqualTo(expected.Count * frameSize), "frames written");
        for (int i = 0; i < expected.Count; i++)
        {
            string md5 = Convert.ToHexString(MD5.HashData(bytes.AsSpan(i * frameSize, frameSize))).ToLowerInvariant();
            Assert.That(md5, Is.EqualTo(expected[i]), $"frame {i} of {expected.Count}");
        }
    }
}
