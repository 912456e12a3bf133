using System.ComponentModel;
using System.Diagnostics;

namespace Fmp4Streamer.Tests.Interop;

/// <summary>Runs an external tool; a missing tool fails the test with the apt package that provides it.</summary>
public static class ToolRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string tool, string aptPackage, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException(tool + " did not start");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"{tool} is missing ({e.Message}): apt-get install -y {aptPackage}");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    public static void RequireFile(string path, string aptPackage)
    {
        if (!File.Exists(path)) Assert.Fail($"{path} is missing: apt-get install -y {aptPackage}");
    }
}
