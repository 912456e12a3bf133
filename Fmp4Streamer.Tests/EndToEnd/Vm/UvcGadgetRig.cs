using System.Diagnostics;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// The emulated UVC camera's kernel module: tests/vm/setup-uvc.sh builds Debian's usb_f_uvc with a bulk streaming
/// endpoint (dummy_hcd has no isochronous ones) and prints its path; the payload gets it as /bin/usb_f_uvc.ko.
/// </summary>
internal static class UvcGadgetRig
{
    private static readonly Lazy<string> s_module = new(Build);

    /// <summary>The patched usb_f_uvc.ko (built once per test run; seconds when cached).</summary>
    public static string Module => s_module.Value;

    private static string Build()
    {
        VmRig.Setup();
        var psi = new ProcessStartInfo("bash", [Path.Combine(VmRig.RigDir, "setup-uvc.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = VmRig.RepoRoot,
        };
        using var p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        // Cold: extracting the kernel source tarball and building five files, under a minute.
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("tests/vm/setup-uvc.sh took more than 5 minutes");
        }
        if (p.ExitCode != 0) Assert.Fail($"tests/vm/setup-uvc.sh failed (exit {p.ExitCode}):\n{stderr.Result}{stdout}");
        foreach (string line in stdout.Split('\n'))
        {
            if (line.StartsWith("UVC_MODULE=", StringComparison.Ordinal)) return line["UVC_MODULE=".Length..].Trim();
        }
        Assert.Fail($"tests/vm/setup-uvc.sh printed no UVC_MODULE:\n{stdout}");
        return "";
    }
}
