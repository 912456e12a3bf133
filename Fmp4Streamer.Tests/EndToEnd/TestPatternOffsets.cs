using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Tests.Audio;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// Reads a recording of the test pattern with sound (an MP4 or any file ffmpeg reads with both tracks) and measures,
/// for each tone burst, how far its onset is from the frame that flashes with it: positive when the sound is late.
/// </summary>
internal static class TestPatternOffsets
{
    /// <summary>
    /// Onset minus the nearest flashing frame's time, in seconds, for every burst within half a second of one; and
    /// how many frames flashed.
    /// </summary>
    public static (List<double> Offsets, int Flashes) Measure(string file, int width, int height)
    {
        var flashes = FlashTimes(file, width, height);
        Assert.That(flashes, Has.Count.GreaterThanOrEqualTo(3), "flashing frames");
        var offsets = new List<double>();
        foreach (double onset in AvOffset.BurstOnsets(file))
        {
            double nearest = flashes.MinBy(f => Math.Abs(f - onset));
            if (Math.Abs(nearest - onset) < 0.5) offsets.Add(onset - nearest);
        }
        return (offsets, flashes.Count);
    }

    public static string Format(IEnumerable<double> offsets) => string.Join(", ", offsets.Select(o => (o * 1000).ToString("F1")));

    /// <summary>Times of the frames whose flash area is white, from ffmpeg's grey decode in decode order.</summary>
    public static List<double> FlashTimes(string file, int width, int height)
    {
        var times = AvOffset.VideoTimes(file);
        var painter = new TestPatternPainter(width, height);
        int x = painter.FlashLeft + 8, y = painter.FlashTop + 8;
        string raw = file + ".gray";
        try
        {
            ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-y", "-i", file, "-map", "0:v:0", "-fps_mode", "passthrough",
                "-f", "rawvideo", "-pix_fmt", "gray", raw]);
            var bytes = File.ReadAllBytes(raw);
            var flashes = new List<double>();
            for (int f = 0; f < times.Count && (f + 1) * width * height <= bytes.Length; f++)
                if (bytes[f * width * height + y * width + x] > 128) flashes.Add(times[f]);
            return flashes;
        }
        finally
        {
            File.Delete(raw);
        }
    }
}
