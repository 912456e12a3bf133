using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>Locates the repository and the VM rig (tests/vm), runs its setup once per test run.</summary>
internal static class VmRig
{
    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);
    private static readonly Lazy<VmSetup> s_setup = new(() => RunSetup(VmArch.X64));
    private static readonly Lazy<VmSetup> s_setupArm64 = new(() => RunSetup(VmArch.Arm64));

    public static string RepoRoot => s_repoRoot.Value;

    public static string RigDir => Path.Combine(RepoRoot, "tests", "vm");

    public static string PayloadPath(string name) => Path.Combine(RigDir, "payloads", name);

    /// <summary>The daemon as built by ./build.sh (NativeAOT, linux-x64), or $FMP4_VM_STREAMER.</summary>
    public static string StreamerBinary => StreamerBinaryFor(VmArch.X64);

    /// <summary>
    /// The daemon for a guest architecture: ./fmp4streamer (or $FMP4_VM_STREAMER), ./fmp4streamer-arm64 as
    /// `make arm64` builds it (or $FMP4_VM_STREAMER_ARM64).
    /// </summary>
    public static string StreamerBinaryFor(VmArch arch)
    {
        (string variable, string file) = arch == VmArch.Arm64
            ? ("FMP4_VM_STREAMER_ARM64", "fmp4streamer-arm64")
            : ("FMP4_VM_STREAMER", "fmp4streamer");
        return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } s ? s : Path.Combine(RepoRoot, file);
    }

    /// <summary>How to build <see cref="StreamerBinaryFor"/>'s binary, for a test that finds it missing.</summary>
    public static string StreamerBuildCommand(VmArch arch) => arch == VmArch.Arm64 ? "make arm64" : "./build.sh";

    /// <summary>VM_ARCH as tests/vm/setup.sh and run.sh take it.</summary>
    public static string ScriptArch(VmArch arch) => arch == VmArch.Arm64 ? "arm64" : "x86_64";

    /// <summary>The M2M stage checker (tests/vm/M2MCheck) as `make m2mcheck` publishes it.</summary>
    public static string M2MCheckBinary => Path.Combine(RepoRoot, "artifacts", "m2mcheck", "m2mcheck");

    /// <summary>Runs tests/vm/setup.sh (cached: seconds when warm) and returns what it built.</summary>
    public static VmSetup Setup(VmArch arch = VmArch.X64) => arch == VmArch.Arm64 ? s_setupArm64.Value : s_setup.Value;

    /// <summary>Fails the test, naming the apt package, when a host tool is missing.</summary>
    public static void RequireCommand(string command, string aptPackage)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            if (File.Exists(Path.Combine(dir, command))) return;
        }
        Assert.Fail($"'{command}' is missing: apt-get install {aptPackage}");
    }

    /// <summary>A loopback TCP port nobody listens on right now (the kernel picks it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Where tests keep what they saw (console transcripts, captured outputs) for a human to read.</summary>
    public static string ResultsDir
    {
        get
        {
            string dir = Path.Combine(WorkDir, "results");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public static string WorkDir =>
        Environment.GetEnvironmentVariable("FMP4_VM_WORK") is { Length: > 0 } w ? w : Path.Combine(RepoRoot, ".work", "vm");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fmp4Streamer.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Fmp4Streamer.slnx above {AppContext.BaseDirectory}");
    }

    private static VmSetup RunSetup(VmArch arch)
    {
        RequireCommand("bash", "bash");
        var values = RunSetupScript("setup.sh", arch);
        return new VmSetup(values["KVER"], values["WORK"], values["STREAM"]);
    }

    /// <summary>
    /// Runs one of the rig's cached set-up scripts (tests/vm/NAME) and returns the KEY=VALUE lines it printed. Cold
    /// runs download and build (well under 5 minutes); warm ones take about a second. Exit 2 is a script naming the
    /// apt packages that are missing.
    /// </summary>
    public static Dictionary<string, string> RunSetupScript(string name, VmArch arch = VmArch.X64)
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(RigDir, name)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot,
        };
        psi.Environment["VM_ARCH"] = ScriptArch(arch);
        using var p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"tests/vm/{name} took more than 5 minutes");
        }
        if (p.ExitCode != 0) Assert.Fail($"tests/vm/{name} failed (exit {p.ExitCode}):\n{stderr.Result}{stdout}");
        var values = new Dictionary<string, string>();
        foreach (string line in stdout.Split('\n'))
        {
            int eq = line.IndexOf('=');
            if (eq > 0) values[line[..eq]] = line[(eq + 1)..].Trim();
        }
        return values;
    }
}
