using System.ComponentModel;
using System.Diagnostics;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>
/// The one way tests run external tools: stdin closed, stdout and stderr captured, a hung tool killed, and a missing
/// tool failing the test with the apt package to install.
/// </summary>
public static class ToolRun
{
    /// <summary>For callers with no deadline of their own: generous, so only a hung tool trips it.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs <paramref name="exe"/> and reports a timeout in the result (exit code -1) instead of failing.
    /// <paramref name="workingDirectory"/> defaults to the test run's; <paramref name="aptPackage"/> to <see cref="AptPackageFor"/>.
    /// </summary>
    public static ToolResult Run(string exe, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null,
        string? aptPackage = null)
    {
        using var process = Start(exe, args, workingDirectory, aptPackage);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        bool exited = process.WaitForExit(timeout);
        if (!exited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return new ToolResult(exited ? process.ExitCode : -1, stdout.Result, stderr.Result, !exited);
    }

    /// <summary>Runs a tool whatever its exit code; one that does not finish within <paramref name="timeout"/> fails the test.</summary>
    public static ToolResult Complete(string exe, IEnumerable<string> args, TimeSpan timeout, string? aptPackage = null)
    {
        var result = Run(exe, args, timeout, aptPackage: aptPackage);
        if (result.TimedOut) Assert.Fail($"{Describe(exe, args)} did not finish within {timeout.TotalSeconds:0} s");
        return result;
    }

    /// <summary>Runs a tool that must succeed (exit code 0) within <see cref="DefaultTimeout"/>; returns its stdout.</summary>
    public static string Output(string exe, IEnumerable<string> args)
    {
        var result = Complete(exe, args, DefaultTimeout);
        if (result.ExitCode != 0) Assert.Fail($"{Describe(exe, args)} exited with {result.ExitCode}: {result.StdErr.Trim()}");
        return result.StdOut;
    }

    /// <summary>
    /// Starts a tool with stdin, stdout and stderr redirected, for callers that read it as it runs; the caller
    /// disposes the process.
    /// </summary>
    public static Process Start(string exe, IEnumerable<string> args, string? workingDirectory = null, string? aptPackage = null)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            return Process.Start(psi) ?? throw new InvalidOperationException($"{exe} did not start");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"cannot run {exe}: {e.Message}. Install it: apt-get install -y {aptPackage ?? AptPackageFor(exe)} (make test does)");
            throw;
        }
    }

    /// <summary>The apt package that provides a tool, for error messages.</summary>
    public static string AptPackageFor(string exe) => Path.GetFileName(exe) switch
    {
        "ffmpeg" or "ffprobe" => "ffmpeg",
        "chromium" => "chromium",
        "node" => "nodejs",
        "v4l2-ctl" => "v4l-utils",
        "htpasswd" => "apache2-utils",
        "qemu-aarch64-static" => "qemu-user-static",
        "clang" => "clang",
        "gcc" => "gcc",
        "aarch64-linux-gnu-gcc" => "gcc-aarch64-linux-gnu",
        var other => other,
    };

    /// <summary>Fails the test when a file a tool needs (a header, a sysroot) is missing, naming its apt package.</summary>
    public static void RequireFile(string path, string aptPackage)
    {
        if (!File.Exists(path)) Assert.Fail($"{path} is missing: apt-get install -y {aptPackage}");
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
        var result = Run("ffmpeg", args, timeout);
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
            timeout);
        Assert.That(r.ExitCode, Is.EqualTo(0), "ffprobe failed: " + r.StdErr);
        return KeyValues(r.StdOut);
    }

    /// <summary>ffprobe's <c>-of default=noprint_wrappers=1</c> output as a dictionary; a repeated key keeps its last value.</summary>
    public static Dictionary<string, string> KeyValues(string output)
    {
        var values = new Dictionary<string, string>();
        foreach (string line in output.Split('\n'))
        {
            int eq = line.IndexOf('=');
            if (eq > 0) values[line[..eq]] = line[(eq + 1)..].Trim();
        }
        return values;
    }

    private static string Describe(string exe, IEnumerable<string> args) => exe + " " + string.Join(' ', args);
}
