using System.Diagnostics;

namespace Fmp4Streamer.Tests.Mp4;

/// <summary>Runs ffmpeg/ffprobe for the Mp4 tests; a missing tool fails the test naming the Debian package.</summary>
internal static class ToolRunner
{
    public readonly record struct Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string tool, params string[] args)
    {
        string? path = FindOnPath(tool);
        if (path is null)
            Assert.Fail($"{tool} is not installed: apt-get install -y ffmpeg (it provides ffmpeg and ffprobe)");
        var psi = new ProcessStartInfo(path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} did not finish within 60 s");
        }
        return new Result(p.ExitCode, stdout, stderr.Result);
    }

    private static string? FindOnPath(string tool)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            string candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
