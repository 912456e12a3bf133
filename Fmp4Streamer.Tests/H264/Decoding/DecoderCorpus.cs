using System.Security.Cryptography;
using System.Text;
using Fmp4Streamer.H264.Decoding;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>
/// The decoder tests' corpus: H264 streams made at test time by ffmpeg (cached by their arguments), ffmpeg's own
/// per-frame MD5s of the decoded yuv420p frames, and ours over the same bytes in the same layout.
/// </summary>
internal static class DecoderCorpus
{
    /// <summary>
    /// An Annex B file of <paramref name="frames"/> frames of <paramref name="source"/> (a lavfi source such as
    /// "testsrc2=size=640x480:rate=30") encoded with <paramref name="encoderArgs"/> (e.g. "-c:v libx264 -profile:v baseline").
    /// </summary>
    public static string Encode(string source, int frames, string encoderArgs)
    {
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}|{frames}|{encoderArgs}")))[..16];
        string path = Path.Combine(FfmpegFixtures.CacheDirectory, $"decoder-{key}.h264");
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(FfmpegFixtures.CacheDirectory);
        string temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var args = new List<string> { "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", source, "-frames:v", frames.ToString() };
        args.AddRange(encoderArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        args.AddRange(["-f", "h264", temp]);
        ToolRun.Output("ffmpeg", args);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>An x264 stream of testsrc2 at the given size: <paramref name="x264Params"/> go to -x264-params.</summary>
    public static string X264(int width, int height, int frames, string profile, string x264Params, string extra = "") =>
        Encode($"testsrc2=size={width}x{height}:rate=30", frames,
            $"-c:v libx264 -pix_fmt yuv420p -profile:v {profile} -x264-params {x264Params} {extra}");

    /// <summary>ffmpeg's MD5 of each decoded frame, in output order (-f framemd5 -pix_fmt yuv420p).</summary>
    public static List<string> FfmpegFrameMd5s(string path)
    {
        string output = ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-i", path, "-f", "framemd5", "-pix_fmt", "yuv420p", "-"]);
        var md5s = new List<string>();
        foreach (string line in output.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            md5s.Add(line.Substring(line.LastIndexOf(',') + 1).Trim());
        }
        return md5s;
    }

    /// <summary>Our decoder's MD5 of each output frame, the stream fed one access unit at a time; errors returned too.</summary>
    public static (List<string> Md5s, H264Decoder Decoder) DecodeMd5s(byte[] stream)
    {
        var decoder = new H264Decoder();
        var md5s = new List<string>();
        var splitter = new Fmp4Streamer.H264.AccessUnitSplitter();
        splitter.Append(stream);
        long time = 0;
        while (splitter.TryTakeAccessUnit(out ReadOnlySpan<byte> accessUnit))
        {
            decoder.Decode(accessUnit, time++);
            Drain(decoder, md5s);
        }
        decoder.Decode(splitter.Flush(), time);
        decoder.Flush();
        Drain(decoder, md5s);
        return (md5s, decoder);
    }

    private static void Drain(H264Decoder decoder, List<string> md5s)
    {
        while (decoder.TryGetPicture(out DecodedPicture picture))
        {
            byte[] i420 = new byte[picture.I420Size];
            picture.CopyI420(i420);
            md5s.Add(Convert.ToHexString(MD5.HashData(i420)).ToLowerInvariant());
            decoder.Return(picture);
        }
    }

    /// <summary>Asserts that every frame of <paramref name="path"/> decodes to ffmpeg's bytes.</summary>
    public static void AssertBitExact(string path)
    {
        List<string> expected = FfmpegFrameMd5s(path);
        var (actual, decoder) = DecodeMd5s(File.ReadAllBytes(path));
        Assert.That(decoder.Refusal, Is.Null);
        Assert.That(decoder.Errors, Is.EqualTo(0), "pictures dropped as damaged");
        Assert.That(actual.Count, Is.EqualTo(expected.Count), "frame count");
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.That(actual[i], Is.EqualTo(expected[i]), $"frame {i} of {expected.Count}");
        }
    }
}
