namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>
/// Tools that refuse to run as root (VLC): as root the tests start them as "nobody" through runuser, with a home
/// and output folders that user may write; as any other user they run as that user.
/// </summary>
public static class Unprivileged
{
    public static bool IsRoot => Tmds.Linux.LibC.geteuid() == 0;

    /// <summary>A fresh temporary folder every user may write (the caller deletes it).</summary>
    public static string WritableDirectory(string prefix) => MakeWritable(Directory.CreateTempSubdirectory(prefix).FullName);

    /// <summary>Creates (if needed) a folder every user may write.</summary>
    public static string MakeWritable(string dir)
    {
        Directory.CreateDirectory(dir);
        // rwxrwxrwx: the unprivileged tool writes here (the tests run on Linux only).
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
        return dir;
    }

    /// <summary>
    /// The program and arguments that run <paramref name="exe"/> unprivileged, with HOME at <paramref name="home"/>;
    /// a missing <paramref name="exe"/> fails the test naming <paramref name="aptPackages"/>.
    /// </summary>
    public static (string Exe, List<string> Args) Command(string exe, IEnumerable<string> args, string home, string aptPackages)
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':')
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, exe)));
        if (!found) Assert.Fail($"cannot run {exe}: install it: apt-get install -y {aptPackages} (make test does)");
        var full = new List<string>();
        if (IsRoot) full.AddRange(new[] { "-u", "nobody", "--" });
        full.AddRange(new[] { "env", "HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_CACHE_HOME=" + home, "XDG_DATA_HOME=" + home });
        full.Add(exe);
        full.AddRange(args);
        return (IsRoot ? "runuser" : "env", IsRoot ? full : full.Skip(1).ToList());
    }
}
