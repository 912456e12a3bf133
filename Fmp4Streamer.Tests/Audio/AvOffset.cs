using System.Globalization;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Audio;

/// <summary>
/// Reads an MP4 (file or URL) with ffmpeg and measures where the sound's bursts start against the pictures they
/// belong to: the times of the video frames (by decode order), and the onsets of the audio's bursts.
/// </summary>
internal static class AvOffset
{
    /// <summary>Presentation times of the video frames, in decode order.</summary>
    public static List<double> VideoTimes(string input)
    {
        string output = ToolRun.Output("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts_time",
            "-of", "csv=p=0", input]);
        var times = new List<double>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            times.Add(double.Parse(line.Trim().TrimEnd(','), CultureInfo.InvariantCulture));
        return times;
    }

    /// <summary>
    /// Times where the decoded audio turns loud after at least 100 ms of quiet (mono, 48 kHz), after its first unit.
    /// Each sample's time is its unit's own timestamp plus its place in the unit (1024 samples per unit), so a gap or
    /// overlap between units shows as it is instead of being squeezed out by a continuous decode.
    /// </summary>
    public static List<double> BurstOnsets(string input)
    {
        var unitTimes = new List<double>();
        foreach (var line in ToolRun.Output("ffprobe", ["-v", "error", "-select_streams", "a:0", "-show_entries", "packet=pts_time",
            "-of", "csv=p=0", input]).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            unitTimes.Add(double.Parse(line.Trim().TrimEnd(','), CultureInfo.InvariantCulture));
        string raw = Path.Combine(FfmpegFixtures.CacheDirectory, $"{Environment.ProcessId}-{Guid.NewGuid():N}.s16");
        try
        {
            ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-y", "-i", input, "-map", "0:a:0", "-ac", "1", "-f", "s16le", raw]);
            var bytes = File.ReadAllBytes(raw);
            var onsets = new List<double>();
            int quiet = 4800; // the start of the file counts as quiet: a segment may begin with a burst
            for (int i = 0; i + 1 < bytes.Length; i += 2)
            {
                int s = Math.Abs((int)BitConverter.ToInt16(bytes, i));
                int n = i / 2;
                // 100 ms below the onset level first: a lossy encoder's pre-echo rises before the burst, not to it.
                // The first unit decodes without the previous one's overlap (the stream was joined there): its
                // samples are not the sound's, so no onset is taken from it.
                if (s > 2000 && quiet >= 4800 && n >= 1024 && n / 1024 < unitTimes.Count) onsets.Add(unitTimes[n / 1024] + n % 1024 / 48000.0);
                quiet = s <= 2000 ? quiet + 1 : 0;
            }
            return onsets;
        }
        finally
        {
            File.Delete(raw);
        }
    }
}
