using System.Diagnostics;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>Decodes a file or URL with the host's ffmpeg (<c>-v error</c>) and counts the decoded frames.</summary>
internal static class FfmpegDecode
{
    /// <param name="input">A path or an http:// URL.</param>
    /// <param name="maxFrames">Stop after this many frames (a live stream never ends by itself).</param>
    /// <param name="inputFormat">Forces the demuxer (e.g. "h264" for a raw Annex-B file), or null.</param>
    public static DecodeResult Run(string input, int maxFrames, string? inputFormat = null, int timeoutSeconds = 60)
    {
        VmRig.RequireCommand("ffmpeg", "ffmpeg");
        var psi = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in new[] { "-nostdin", "-v", "error" }) psi.ArgumentList.Add(a);
        if (input.StartsWith("http", StringComparison.Ordinal))
        {
            // A stalled live stream must fail the test, not hang it; 30 s covers a daemon in reopen backoff.
            psi.ArgumentList.Add("-rw_timeout");
            psi.ArgumentList.Add("30000000");
        }
        if (inputFormat != null)
        {
            psi.ArgumentList.Add("-f");
            psi.ArgumentList.Add(inputFormat);
        }
        foreach (string a in new[] { "-i", input, "-frames:v", maxFrames.ToString(), "-pix_fmt", "yuv420p", "-f", "framecrc", "-" })
        {
            psi.ArgumentList.Add(a);
        }
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return Parse(stdout.Result, stderr.Result + $"\n(ffmpeg killed after {timeoutSeconds} s)", -1, sw.Elapsed);
        }
        p.WaitForExit();
        return Parse(stdout.Result, stderr.Result, p.ExitCode, sw.Elapsed);
    }

    /// <summary>framecrc lines: <c>stream, dts, pts, duration, size, crc</c>; '#' lines are headers.</summary>
    private static DecodeResult Parse(string framecrc, string errors, int exitCode, TimeSpan elapsed)
    {
        var sizes = new List<int>();
        foreach (string line in framecrc.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            string[] f = line.Split(',');
            if (f.Length >= 6 && f[0].Trim() == "0") sizes.Add(int.Parse(f[4].Trim()));
        }
        return new DecodeResult(sizes, errors.Trim(), exitCode, elapsed);
    }
}
