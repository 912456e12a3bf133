using System.Globalization;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.H264;

/// <summary>FFmpeg's trace_headers bitstream filter as an independent parser to check ours against.</summary>
internal static class FfmpegTrace
{
    /// <summary>
    /// The fields trace_headers prints for the first section titled <paramref name="title"/>
    /// ("Sequence Parameter Set", "Picture Parameter Set"), by name.
    /// </summary>
    public static Dictionary<string, long> FirstSection(byte[] stream, string title)
    {
        string path = FfmpegFixtures.WriteTemp("trace.h264", stream);
        try
        {
            // Spliced streams fail later, in their slices: the exit code does not matter, the parameter set traces come first.
            string stderr = ToolRun.Complete("ffmpeg",
                ["-v", "debug", "-nostdin", "-f", "h264", "-i", path, "-c:v", "copy", "-bsf:v", "trace_headers", "-f", "null", "-"],
                ToolRun.DefaultTimeout).StdErr;
            var fields = new Dictionary<string, long>();
            bool inSection = false;
            foreach (string line in stderr.Split('\n'))
            {
                if (!line.StartsWith("[trace_headers", StringComparison.Ordinal)) continue;
                string text = line.Substring(line.IndexOf(']') + 1).Trim();
                if (text == title)
                {
                    if (fields.Count > 0) break;
                    inSection = true;
                    continue;
                }
                if (!inSection) continue;
                var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 5 || parts[3] != "=" || !char.IsDigit(parts[0][0]))
                {
                    if (fields.Count > 0) break; // the next section's title
                    continue;
                }
                fields[parts[1]] = long.Parse(parts[4], CultureInfo.InvariantCulture);
            }
            Assert.That(fields, Is.Not.Empty, $"ffmpeg printed no {title} trace:\n" + stderr);
            return fields;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Every section titled <paramref name="title"/> ("Slice Header"), in stream order, each as its fields in syntax
    /// order: the bit position trace_headers prints (from the NAL header's first bit), the name and the value.
    /// </summary>
    public static List<List<(int Bit, string Name, long Value)>> Sections(byte[] stream, string title)
    {
        string path = FfmpegFixtures.WriteTemp("trace.h264", stream);
        try
        {
            string stderr = ToolRun.Complete("ffmpeg",
                ["-v", "debug", "-nostdin", "-f", "h264", "-i", path, "-c:v", "copy", "-bsf:v", "trace_headers", "-f", "null", "-"],
                ToolRun.DefaultTimeout).StdErr;
            var sections = new List<List<(int, string, long)>>();
            List<(int, string, long)>? current = null;
            foreach (string line in stderr.Split('\n'))
            {
                if (!line.StartsWith("[trace_headers", StringComparison.Ordinal)) continue;
                string text = line.Substring(line.IndexOf(']') + 1).Trim();
                if (text == title)
                {
                    current = new List<(int, string, long)>();
                    sections.Add(current);
                    continue;
                }
                if (current is null) continue;
                var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 5 || parts[3] != "=" || !char.IsDigit(parts[0][0]))
                {
                    current = null; // the next section's title
                    continue;
                }
                current.Add((int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1],
                    long.Parse(parts[4], CultureInfo.InvariantCulture)));
            }
            return sections;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
