using System.Diagnostics;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>Runs an external client (ffmpeg, node, qemu) and collects its output; missing tools fail loudly.</summary>
public sealed record ToolResult(int ExitCode, string StdOut, string StdErr, bool TimedOut);

public static class ToolRun
{
    public static ToolResult Run(string exe, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null,
        string aptPackage = "")
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Repository.Root,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"cannot run {exe}: {e.Message}. Install it{(aptPackage.Length > 0 ? $" (apt-get install {aptPackage})" : "")}; `make test` does.");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            bool exited = process.WaitForExit(timeout);
            if (!exited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ToolResult(exited ? process.ExitCode : -1, stdout.Result, stderr.Result, !exited);
        }
    }

    /// <summary>Decodes a URL or file with ffmpeg, errors fatal, and counts the frames it decoded.</summary>
    public static (ToolResult Result, int Frames) FfmpegDecode(string input, int frames, TimeSpan timeout, params string[] inputOptions)
    {
        var args = new List<string> { "-nostdin", "-v", "error", "-xerror", "-err_detect", "explode" };
        args.AddRange(inputOptions);
        args.AddRange(new[] { "-i", input, "-frames:v", frames.ToString(), "-map", "0:v:0", 
            // The demuxer's time base for the null output: a live source's jittered timestamps must not be
            // rounded onto a 1/fps grid, where ffmpeg reports the collisions as errors.
            "-enc_time_base", "-1", "-f", "null", "-progress", "pipe:1", "-" });
        var result = Run("ffmpeg", args, timeout, aptPackage: "ffmpeg");
        int decoded = 0;
        foreach (var line in result.StdOut.Split('\n'))
            if (line.StartsWith("frame=") && int.TryParse(line.AsSpan(6), out int n)) decoded = n;
        return (result, decoded);
    }

    /// <summary>ffprobe's view of the first video stream as key=value pairs.</summary>
    public static Dictionary<string, string> Probe(string input, TimeSpan timeout)
    {
        var r = Run("ffprobe", new[] { "-v", "error", "-select_streams", "v:0", "-show_entries",
            "stream=codec_name,profile,width,height,r_frame_rate,level", "-of", "default=noprint_wrappers=1", input },
            timeout, aptPackage: "ffmpeg");
        Assert.That(r.ExitCode, Is.EqualTo(0), "ffprobe failed: " + r.StdErr);
        var d = new Dictionary<string, string>();
        foreach (var line in r.StdOut.Split('\n'))
        {
            int eq = line.IndexOf('=');
            if (eq > 0) d[line[..eq]] = line[(eq + 1)..].Trim();
        }
        return d;
    }
}
