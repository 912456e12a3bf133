using System.Diagnostics;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// One boot of the rig's VM (tests/vm/run.sh) running a payload; the host follows the console, raises
/// signals the payload waits for and downloads files it published, through loopback port forwards.
/// </summary>
internal sealed class VmSession : IDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HttpClient _control = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _name;

    public ConsoleTranscript Console { get; } = new();

    /// <summary>Host port forwarded to the guest's :8000 (the daemon).</summary>
    public int HostPort { get; }

    /// <summary>Host port forwarded to the guest's :8081 (the rig's control httpd).</summary>
    public int ControlPort { get; }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Host time from start until the guest printed RIG-READY.</summary>
    public TimeSpan? BootTime { get; private set; }

    public VmSession(string name, string payload, IEnumerable<string> files, int timeoutSeconds = 240, VmArch arch = VmArch.X64)
    {
        _name = name;
        if (arch == VmArch.Arm64) VmRig.RequireCommand("qemu-system-aarch64", "qemu-system-arm");
        else VmRig.RequireCommand("qemu-system-x86_64", "qemu-system-x86");
        VmRig.Setup(arch);
        HostPort = VmRig.FreePort();
        ControlPort = VmRig.FreePort();
        var psi = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = VmRig.RepoRoot,
        };
        psi.ArgumentList.Add(Path.Combine(VmRig.RigDir, "run.sh"));
        psi.ArgumentList.Add(payload);
        foreach (string f in files) psi.ArgumentList.Add(f);
        psi.Environment["VM_HOSTPORT"] = HostPort.ToString();
        psi.Environment["VM_CTLPORT"] = ControlPort.ToString();
        psi.Environment["VM_TIMEOUT"] = timeoutSeconds.ToString();
        psi.Environment["VM_ARCH"] = VmRig.ScriptArch(arch);
        _process = new Process { StartInfo = psi };
        _clock.Restart();
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void OnLine(string? line)
    {
        if (line == null) return;
        line = line.TrimEnd('\r');
        if (BootTime == null && line.StartsWith("RIG-READY", StringComparison.Ordinal)) BootTime = _clock.Elapsed;
        Console.Add(line);
    }

    public bool IsRunning => !_process.HasExited;

    /// <summary>Waits for a console line starting with <paramref name="prefix"/>; fails the test on timeout.</summary>
    public string WaitFor(string prefix, int timeoutSeconds = 120)
    {
        string? line = Console.WaitFor(prefix, TimeSpan.FromSeconds(timeoutSeconds), () => IsRunning);
        // The process may have exited just after printing it.
        line ??= Console.WaitFor(prefix, TimeSpan.Zero, () => false);
        if (line == null)
        {
            Assert.Fail($"VM '{_name}': no '{prefix}' within {timeoutSeconds} s (running: {IsRunning}). Console:\n{Tail()}");
        }
        return line!;
    }

    /// <summary>Like <see cref="WaitFor"/> but returns null instead of failing (for dialogs that go on).</summary>
    public string? TryWaitFor(string prefix, int timeoutSeconds = 120) =>
        Console.WaitFor(prefix, TimeSpan.FromSeconds(timeoutSeconds), () => IsRunning)
        ?? Console.WaitFor(prefix, TimeSpan.Zero, () => false);

    /// <summary>Waits for the payload's <c>rig_mark NAME …</c>.</summary>
    public string WaitForMark(string mark, int timeoutSeconds = 120) => WaitFor("RIG-MARK " + mark, timeoutSeconds);

    /// <summary>Raises a signal a payload waits for with <c>rig_wait NAME</c>.</summary>
    public void Signal(string name)
    {
        using HttpResponseMessage r = _control.GetAsync($"http://127.0.0.1:{ControlPort}/cgi-bin/sig?{name}").Result;
        r.EnsureSuccessStatusCode();
    }

    /// <summary>Downloads a file the payload published with <c>rig_publish</c>.</summary>
    public byte[] Fetch(string fileName) =>
        _control.GetByteArrayAsync($"http://127.0.0.1:{ControlPort}/out/{fileName}").Result;

    /// <summary>Waits for the guest to power off; returns the payload's exit code (run.sh's).</summary>
    public int WaitForExit(int timeoutSeconds = 240)
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"VM '{_name}' still running after {timeoutSeconds} s. Console:\n{Tail()}");
        }
        _process.WaitForExit();
        SaveTranscript();
        return _process.ExitCode;
    }

    /// <summary>A section the payload printed on the console; the test fails with the console's tail if it is missing.</summary>
    public SectionOutput RequireSection(string name)
    {
        SectionOutput? s = Console.Section(name);
        Assert.That(s, Is.Not.Null, $"no output of '{name}' on the console:\n{Tail()}");
        return s!;
    }

    /// <summary>Keeps the named console sections as files in the results folder, for reading after a run.</summary>
    public void SaveSections(string prefix, params string[] names)
    {
        foreach (string name in names)
            if (Console.Section(name) is { } s) File.WriteAllText(Path.Combine(VmRig.ResultsDir, $"{prefix}.{name}.txt"), s.Text);
    }

    public string Tail(int lines = 60)
    {
        string[] all = Console.Lines;
        return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
    }

    private void SaveTranscript()
    {
        string path = Path.Combine(VmRig.ResultsDir, _name + ".console.txt");
        File.WriteAllText(path, Console.Text + "\n");
        TestContext.Progress.WriteLine($"VM '{_name}': console saved to {path}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            SaveTranscript();
        }
        _process.Dispose();
        _control.Dispose();
    }
}
