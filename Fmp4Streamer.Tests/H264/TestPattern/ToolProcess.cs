using System.Diagnostics;

namespace Fmp4Streamer.Tests.H264.TestPattern;

/// <summary>Runs ffmpeg/ffprobe for the test-pattern tests, failing loudly when the tool is not installed.</summary>
internal static class ToolProcess
{
    public readonly record struct Result(int ExitCode, string StdOut, string StdErr);

    public static Result Run(string tool, params string[] arguments)
    {
        string path = FindOnPath(tool)
            ?? throw new AssertionException($"{tool} is not installed: apt-get install -y ffmpeg");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish within 120 s");
        }
        return new Result(process.ExitCode, stdout, stderr.Result);
    }

    private static string? FindOnPath(string tool)
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':');
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
