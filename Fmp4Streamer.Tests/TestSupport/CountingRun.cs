using System.Diagnostics;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>
/// What <see cref="CountingRun"/> saw: the tool's result (exit code -1 when it was stopped), the frame lines, when
/// the first came, and whether the deadline passed before enough frames.
/// </summary>
public sealed record CountedRun(ToolResult Result, int Frames, TimeSpan? FirstFrame, TimeSpan Elapsed);

/// <summary>
/// Runs a tool that prints one line per frame it handled (GStreamer's <c>fakesink silent=false</c> with <c>-v</c>),
/// counting those lines as they arrive, so the time to the first frame is known. The tool is stopped once it
/// printed enough frames (a live pipeline never ends on its own) or at the deadline. Only the last lines of its
/// output are kept.
/// </summary>
public static class CountingRun
{
    private const int KeptLines = 40;

    public static CountedRun Run(string exe, IEnumerable<string> args, TimeSpan timeout, Func<string, bool> isFrame,
        int enoughFrames, string? aptPackage = null)
    {
        var clock = Stopwatch.StartNew();
        using var process = ToolRun.Start(exe, args, aptPackage: aptPackage);
        process.StandardInput.Close();
        int frames = 0;
        TimeSpan? first = null;
        var enough = new ManualResetEventSlim();
        var tail = new Queue<string>();
        var stdout = Task.Run(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (isFrame(line))
                {
                    first ??= clock.Elapsed;
                    if (++frames >= enoughFrames) enough.Set();
                }
                tail.Enqueue(line.Length > 300 ? line[..300] : line);
                if (tail.Count > KeptLines) tail.Dequeue();
            }
            enough.Set(); // the tool ended
        });
        var stderr = process.StandardError.ReadToEndAsync();
        bool inTime = enough.Wait(timeout);
        bool exited = process.WaitForExit(TimeSpan.Zero);
        if (!exited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        stdout.Wait();
        var result = new ToolResult(exited ? process.ExitCode : -1, string.Join('\n', tail), stderr.Result, !inTime);
        return new CountedRun(result, frames, first, clock.Elapsed);
    }
}
