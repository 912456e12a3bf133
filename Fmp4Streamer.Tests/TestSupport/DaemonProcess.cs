using System.Diagnostics;
using System.Text;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>
/// The built binary running as a user would run it, on a free loopback port. Collects stderr, waits until the
/// server listens, and stops it with SIGTERM, checking it exits cleanly.
/// </summary>
public sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly object _lock = new();

    private DaemonProcess(Process process, int port, string workDir)
    {
        _process = process;
        Port = port;
        WorkDirectory = workDir;
    }

    public int Port { get; }
    public string WorkDirectory { get; }
    public int Pid => _process.Id;
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string Log
    {
        get { lock (_lock) return _log.ToString(); }
    }

    /// <summary>Starts the daemon with a config text (written to a temp dir) and extra arguments.</summary>
    public static DaemonProcess Start(string? config, params string[] extraArgs) =>
        StartWith(Repository.Binary, Array.Empty<string>(), config, extraArgs);

    /// <summary>As <see cref="Start"/> on a given port (a restarted daemon where clients expect it).</summary>
    public static DaemonProcess StartOnPort(int port, string? config, params string[] extraArgs) =>
        StartWith(Repository.Binary, Array.Empty<string>(), config, extraArgs, port);

    public static DaemonProcess StartWith(string exe, string[] exePrefixArgs, string? config, params string[] extraArgs) =>
        StartWith(exe, exePrefixArgs, config, extraArgs, FreePort.Next());

    private static DaemonProcess StartWith(string exe, string[] exePrefixArgs, string? config, string[] extraArgs, int port)
    {
        string dir = Directory.CreateTempSubdirectory("fmp4streamer-e2e-").FullName;
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var a in exePrefixArgs) psi.ArgumentList.Add(a);
        if (config is not null)
        {
            File.WriteAllText(Path.Combine(dir, "fmp4streamer.conf"), config);
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(Path.Combine(dir, "fmp4streamer.conf"));
        }
        foreach (var a in extraArgs) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--listen");
        psi.ArgumentList.Add("127.0.0.1");
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add(port.ToString());
        var process = Process.Start(psi)!;
        var daemon = new DaemonProcess(process, port, dir);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (daemon._lock) daemon._log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (daemon._lock) daemon._log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        daemon.WaitUntilListening(TimeSpan.FromSeconds(20));
        return daemon;
    }

    private void WaitUntilListening(TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (_process.HasExited) Assert.Fail($"daemon exited with {_process.ExitCode} before listening:\n{Log}");
            if (LoopbackListener.IsListening(Port)) return;
            Thread.Sleep(20);
        }
        Assert.Fail("daemon did not listen within " + timeout + ":\n" + Log);
    }

    /// <summary>Resident set size in kB from /proc.</summary>
    public long RssKb()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith("VmRSS:")) return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim());
        return -1;
    }

    /// <summary>Sends SIGTERM and returns the exit code (-1 if it had to be killed).</summary>
    public int Stop(TimeSpan? timeout = null)
    {
        if (_process.HasExited) return _process.ExitCode;
        Tmds.Linux.LibC.kill(_process.Id, Tmds.Linux.LibC.SIGTERM);
        if (_process.WaitForExit(timeout ?? TimeSpan.FromSeconds(10)))
        {
            _process.WaitForExit();
            return _process.ExitCode;
        }
        _process.Kill(entireProcessTree: true);
        return -1;
    }

    /// <summary>For a fixture's teardown: stops the daemon, disposes it, and fails with its log unless it exited 0.</summary>
    public void StopAndAssertCleanExit()
    {
        int code = Stop();
        string log = Log;
        Dispose();
        Assert.That(code, Is.EqualTo(0), log);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { }
    }
}
