namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>
/// A scratch directory with a lock file for `flock -n LOCK ffmpeg …` commands that stand in for a camera program:
/// a second copy started while the first still holds the lock exits at once, as a camera program finds its camera
/// busy. ffmpeg carries the lock file's name as a comment, so every process of the command is found by it; disposing
/// kills whatever a failed test left and removes the directory.
/// </summary>
public sealed class LockedCameraCommand : IDisposable
{
    public LockedCameraCommand(string prefix)
    {
        ToolRun.RequireFile("/usr/bin/ffmpeg", "ffmpeg");
        ToolRun.RequireFile("/usr/bin/flock", "util-linux");
        Directory = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
        LockFile = Path.Combine(Directory, "camera.lock");
    }

    public string Directory { get; }
    public string LockFile { get; }

    /// <summary>The shell, flock and ffmpeg of the command, while any of them runs.</summary>
    public List<ProcTable.Entry> Processes() => ProcTable.WithCommandLine(LockFile);

    public void Dispose()
    {
        foreach (var e in Processes()) Tmds.Linux.LibC.kill(e.Pid, Tmds.Linux.LibC.SIGKILL);
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
