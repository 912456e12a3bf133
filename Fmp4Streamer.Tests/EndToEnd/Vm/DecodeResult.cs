namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>What ffmpeg decoded: one entry per video frame (its yuv420p size in bytes), its error output, exit code.</summary>
internal sealed record DecodeResult(IReadOnlyList<int> FrameSizes, string Errors, int ExitCode, TimeSpan Elapsed)
{
    public int Frames => FrameSizes.Count;

    /// <summary>True when every frame is a yuv420p picture of width x height.</summary>
    public bool AllFramesAre(int width, int height)
    {
        int expected = width * height * 3 / 2;
        foreach (int s in FrameSizes)
        {
            if (s != expected) return false;
        }
        return FrameSizes.Count > 0;
    }

    public override string ToString() =>
        $"{Frames} frames, exit {ExitCode}, {Elapsed.TotalSeconds:F1} s, errors: {(Errors.Length == 0 ? "none" : Errors)}";
}
