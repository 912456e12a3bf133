using System.Text;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>
/// Real H264 streams made by ffmpeg/libx264 at test time, cached under the temp directory so repeated runs and
/// other test classes reuse them. A missing tool fails the test with the apt package to install.
/// </summary>
public static class FfmpegFixtures
{
    public static string CacheDirectory { get; } = Path.Combine(Path.GetTempPath(), "fmp4streamer-fixtures");

    /// <summary>
    /// A raw Annex B file of <paramref name="frames"/> testsrc frames at 30 fps. <paramref name="profile"/> is an x264
    /// profile: baseline, main, high (4:2:0), high422 (4:2:2) or high444 (4:4:4). <paramref name="extraX264Params"/>
    /// goes to -x264-params (e.g. "aud=1", "slices=4", "interlaced=1").
    /// </summary>
    public static string EncodeH264(string profile, int w, int h, int frames, string extraX264Params = "")
    {
        string pixFmt = profile switch
        {
            "high422" => "yuv422p",
            "high444" => "yuv444p",
            _ => "yuv420p",
        };
        string name = $"{profile}_{w}x{h}_{frames}{Sanitize(extraX264Params)}.h264";
        string path = Path.Combine(CacheDirectory, name);
        if (File.Exists(path)) return path;

        Directory.CreateDirectory(CacheDirectory);
        // Written under a unique name then renamed, so concurrent test runs never read a half-written file.
        string temp = Path.Combine(CacheDirectory, $"{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var args = new List<string> { "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", $"testsrc=size={w}x{h}:rate=30",
            "-frames:v", frames.ToString(), "-c:v", "libx264", "-profile:v", profile, "-pix_fmt", pixFmt };
        if (extraX264Params.Length > 0) args.AddRange(new[] { "-x264-params", extraX264Params });
        args.AddRange(new[] { "-f", "h264", temp });
        ToolRun.Output("ffmpeg", args);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// A cached ffmpeg output named <paramref name="name"/>, made from 320x240 yuv420p testsrc2 at 30 fps faded in
    /// (so weighted prediction has work), with <paramref name="args"/> after the input (encoder options, frame
    /// count, format). The name must carry the extension and be unique per argument list.
    /// </summary>
    public static string Encode(string name, params string[] args)
    {
        string path = Path.Combine(CacheDirectory, name);
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(CacheDirectory);
        string temp = Path.Combine(CacheDirectory, $"{Environment.ProcessId}.{Guid.NewGuid():N}.{name}");
        var all = new List<string> { "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
            "testsrc2=size=320x240:rate=30,fade=in:0:20", "-pix_fmt", "yuv420p" };
        all.AddRange(args);
        all.Add(temp);
        ToolRun.Output("ffmpeg", all);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>Writes <paramref name="bytes"/> to a fresh file in the cache directory and returns its path.</summary>
    public static string WriteTemp(string name, ReadOnlySpan<byte> bytes)
    {
        Directory.CreateDirectory(CacheDirectory);
        string path = Path.Combine(CacheDirectory, $"{Environment.ProcessId}-{Guid.NewGuid():N}-{name}");
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    /// <summary>ffprobe's first video stream as key=value pairs (-show_streams, with -count_frames).</summary>
    public static Dictionary<string, string> ProbeStream(string path) => ToolRun.KeyValues(ToolRun.Output("ffprobe",
        ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_streams", "-of", "default=noprint_wrappers=1", path]));

    private static string Sanitize(string extra)
    {
        if (extra.Length == 0) return "";
        var sb = new StringBuilder("_");
        foreach (char c in extra) sb.Append(char.IsLetterOrDigit(c) ? c : '-');
        return sb.ToString();
    }
}
