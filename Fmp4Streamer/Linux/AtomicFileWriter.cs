namespace Fmp4Streamer.Linux;

/// <summary>
/// Replaces a file so that a full disk, a crash or a power cut leaves the old file or the new one, never a mix: the
/// new bytes go to a temporary file in the same directory, are flushed to the disk, renamed over the old name
/// (rename(2) is atomic within a file system), and the directory is flushed so the rename itself is durable. A
/// symlinked file is replaced at its target, so the link stays. The temporary file keeps the old file's mode.
/// </summary>
public sealed class AtomicFileWriter
{
    public enum Step { CreateTemp, Write, Flush, Rename, FlushDirectory }

    /// <summary>Runs before each step; tests throw from it to prove a failure there keeps a valid file.</summary>
    public Action<Step>? BeforeStep { get; init; }

    public void Write(string path, byte[] bytes)
    {
        string target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target) ?? "/";
        string temp = Path.Combine(directory, "." + Path.GetFileName(target) + ".new");
        try
        {
            Hook(Step.CreateTemp);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (OperatingSystem.IsLinux() && File.Exists(target)) options.UnixCreateMode = File.GetUnixFileMode(target);
            using (var stream = new FileStream(temp, options))
            {
                // Two halves, so a failure injected at Write leaves a half-written temporary file, like a full disk.
                int half = bytes.Length / 2;
                stream.Write(bytes, 0, half);
                Hook(Step.Write);
                stream.Write(bytes, half, bytes.Length - half);
                stream.Flush();
                Hook(Step.Flush);
                stream.Flush(flushToDisk: true);
            }
            Hook(Step.Rename);
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        Hook(Step.FlushDirectory);
        FlushDirectory(directory);
    }

    private void Hook(Step step) => BeforeStep?.Invoke(step);

    private static void FlushDirectory(string directory)
    {
        int err = LibcIo.Instance.Open(directory, Tmds.Linux.LibC.O_RDONLY | Tmds.Linux.LibC.O_DIRECTORY | Tmds.Linux.LibC.O_CLOEXEC, out int fd);
        if (err != 0) throw new IOException($"cannot open {directory} to flush it: {LinuxError.Name(err)}");
        try
        {
            if (Tmds.Linux.LibC.fsync(fd) != 0) throw new IOException($"cannot flush {directory}: {LinuxError.Name(LinuxError.Last)}");
        }
        finally
        {
            LibcIo.Instance.Close(fd);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary file is harmless; the next save truncates it.
        }
    }
}
