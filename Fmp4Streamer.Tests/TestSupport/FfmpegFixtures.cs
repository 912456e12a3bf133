using System.ComponentModel;
using System.Diagnostics;
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
        string x264Params = extraX264Params.Length == 0 ? "" : $" -x264-params {extraX264Params}";
        string name = $"{profile}_{w}x{h}_{frames}{Sanitize(extraX264Params)}.h264";
        string path = Path.Combine(CacheDirectory, name);
        if (File.Exists(path)) return path;

        Directory.CreateDirectory(CacheDirectory);
        // Written under a unique name then renamed, so concurrent test runs never read a half-written file.
        string temp = Path.Combine(CacheDirectory, $"{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        RunTool("ffmpeg",
            $"-v error -nostdin -y -f lavfi -i testsrc=size={w}x{h}:rate=30 -frames:v {frames} -c:v libx264 " +
            $"-profile:v {profile} -pix_fmt {pixFmt}{x264Params} -f h264 \"{temp}\"");
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

    /// <summary>Runs a tool and returns its stdout; throws when it is missing (naming the apt package) or fails.</summary>
    public static string RunTool(string exe, string args)
    {
        var (exitCode, stdout, stderr) = RunToolUnchecked(exe, args);
        if (exitCode != 0) throw new InvalidOperationException($"'{exe} {args}' exited with {exitCode}: {stderr.Trim()}");
        return stdout;
    }

    /// <summary>Runs a tool whatever its exit code; throws only when it is missing (naming the apt package).</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunToolUnchecked(string exe, string args)
    {
        var startInfo = new ProcessStartInfo(exe, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{exe} did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{exe}' is not installed or not on PATH ({e.Message}): install it with " +
                $"'apt-get install -y {AptPackageFor(exe)}'.", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.Result);
        }
    }

    /// <summary>The apt package that provides a tool, for error messages.</summary>
    public static string AptPackageFor(string exe) => Path.GetFileName(exe) switch
    {
        "ffmpeg" or "ffprobe" => "ffmpeg",
        "chromium" => "chromium",
        "v4l2-ctl" => "v4l-utils",
        "qemu-aarch64-static" => "qemu-user-static",
        "clang" => "clang",
        "gcc" => "gcc",
        "aarch64-linux-gnu-gcc" => "gcc-aarch64-linux-gnu",
        var other => other,
    };

    /// <summary>ffprobe's first video stream as key=value pairs (-show_streams, with -count_frames).</summary>
    public static Dictionary<string, string> ProbeStream(string path)
    {
        string output = RunTool("ffprobe",
            $"-v error -count_frames -select_streams v:0 -show_streams -of default=noprint_wrappers=1 \"{path}\"");
        var values = new Dictionary<string, string>();
        foreach (string line in output.Split('\n'))
        {
            int eq = line.IndexOf('=');
            if (eq > 0) values[line.Substring(0, eq)] = line.Substring(eq + 1).Trim();
        }
        return values;
    }

    private static string Sanitize(string extra)
    {
        if (extra.Length == 0) return "";
        var sb = new StringBuilder("_");
        foreach (char c in extra) sb.Append(char.IsLetterOrDigit(c) ? c : '-');
        return sb.ToString();
    }
}
