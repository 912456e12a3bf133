using System.Diagnostics;
using Fmp4Streamer.H264;
using Fmp4Streamer.H264.Decoding;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>Decode speed beside ffmpeg's single-threaded decoder (explicit: run by hand, timings vary with the machine's load).</summary>
[Explicit("measurement")]
public class DecoderSpeedTests
{
    [TestCase(1920, 1080, "high", "keyint=1:cabac=0", 20)]
    [TestCase(1920, 1080, "high", "keyint=60:cabac=0:bframes=0:bitrate=8000", 60)]
    [TestCase(1920, 1080, "high", "keyint=1", 20)]
    [TestCase(1920, 1080, "high", "keyint=60:bframes=0:bitrate=8000", 60)]
    public void PrintsMillisecondsPerFrame(int width, int height, string profile, string x264Params, int frames)
    {
        string path = DecoderCorpus.X264(width, height, frames, profile, x264Params);
        byte[] stream = File.ReadAllBytes(path);
        var units = new List<byte[]>();
        var splitter = new AccessUnitSplitter();
        splitter.Append(stream);
        while (splitter.TryTakeAccessUnit(out ReadOnlySpan<byte> unit)) units.Add(unit.ToArray());
        units.Add(splitter.Flush().ToArray());

        double best = double.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            var decoder = new H264Decoder();
            var clock = Stopwatch.StartNew();
            foreach (byte[] unit in units)
            {
                decoder.Decode(unit, 0);
                while (decoder.TryGetPicture(out DecodedPicture picture)) decoder.Return(picture);
            }
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
        }
        var ffmpeg = Stopwatch.StartNew();
        ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-threads", "1", "-i", path, "-f", "null", "-"]);
        double ffmpegMs = ffmpeg.Elapsed.TotalMilliseconds;
        TestContext.Out.WriteLine($"{width}x{height} {x264Params}: ours {best / frames:0.0} ms/frame, ffmpeg -threads 1 (process included) {ffmpegMs / frames:0.0} ms/frame, ratio {best / ffmpegMs:0.0}");
    }
}
