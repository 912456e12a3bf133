using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>
/// Debian's nginx run by the test's own user with a temporary prefix (<c>nginx -p DIR -c conf</c>), serving the
/// recipes of <c>contrib/nginx/</c> on free loopback ports in front of a daemon. Stopped (and reaped) on dispose.
/// </summary>
public sealed class NginxProcess : IDisposable
{
    private readonly Process _process;

    private NginxProcess(Process process, string prefix)
    {
        _process = process;
        Prefix = prefix;
    }

    public string Prefix { get; }

    /// <summary>The recipe file of <c>contrib/nginx/</c> with its listen port and origin replaced for the test.</summary>
    public static string Recipe(string name, int listenPort, int originPort, string cacheDirectory)
    {
        string text = File.ReadAllText(Path.Combine(Repository.Root, "contrib", "nginx", name));
        text = Regex.Replace(text, @"listen 80( default_server)?;", $"listen 127.0.0.1:{listenPort};");
        text = Regex.Replace(text, @"127\.0\.0\.1:80[0-9]{2}", $"127.0.0.1:{originPort}");
        text = text.Replace("/var/cache/nginx/fmp4streamer", cacheDirectory);
        Assert.That(text, Does.Contain($"127.0.0.1:{listenPort};").And.Contain($"127.0.0.1:{originPort}"), name);
        return text;
    }

    /// <summary>Starts nginx with <paramref name="servers"/> (http-level text: server blocks, caches) and waits for its ports.</summary>
    public static NginxProcess Start(string servers, params int[] ports)
    {
        if (!File.Exists("/usr/sbin/nginx")) Assert.Fail("nginx is missing: apt-get install -y nginx (make test does)");
        string prefix = Directory.CreateTempSubdirectory("fmp4streamer-nginx-").FullName;
        // The workers drop to nobody when the test runs as root: they must reach the cache and temp directories.
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(prefix, (UnixFileMode)0b111_101_101);
        string conf = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(conf, $$"""
            daemon off;
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
            {{servers}}
            }
            """);
        var process = ToolRun.Start("/usr/sbin/nginx", ["-p", prefix, "-c", conf, "-e", Path.Combine(prefix, "error.log")], aptPackage: "nginx");
        var nginx = new NginxProcess(process, prefix);
        var clock = Stopwatch.StartNew();
        foreach (int port in ports)
        {
            while (!LoopbackListener.IsListening(port))
            {
                if (process.HasExited)
                    Assert.Fail($"nginx exited with {process.ExitCode}: {process.StandardError.ReadToEnd()}\n{nginx.ErrorLog}");
                if (clock.Elapsed > TimeSpan.FromSeconds(10)) Assert.Fail($"nginx did not listen on {port} within 10 s\n{nginx.ErrorLog}");
                Thread.Sleep(20);
            }
        }
        return nginx;
    }

    public string ErrorLog => File.Exists(Path.Combine(Prefix, "error.log")) ? File.ReadAllText(Path.Combine(Prefix, "error.log")) : "";

    /// <summary>nginx's processes' CPU time (master and workers) in clock ticks, from /proc.</summary>
    public long CpuTicks()
    {
        long total = 0;
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // fields[1] is the parent pid (stat field 4); utime and stime are fields 14 and 15.
                if (pid != _process.Id && int.Parse(fields[1]) != _process.Id) continue;
                total += long.Parse(fields[11]) + long.Parse(fields[12]);
            }
            catch (IOException) { }
        }
        return total;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGTERM: the master stops its workers and exits.
                Tmds.Linux.LibC.kill(_process.Id, Tmds.Linux.LibC.SIGTERM);
                if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
            }
            _process.WaitForExit();
        }
        finally
        {
            _process.Dispose();
            try { Directory.Delete(Prefix, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
