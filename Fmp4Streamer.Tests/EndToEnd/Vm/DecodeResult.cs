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

    /// <summary>
    /// The check every VM stream test makes of its host client: it ran, decoded at least <paramref name="minFrames"/>
    /// pictures of 640x480 and ffmpeg reported no error. <paramref name="context"/> (the daemon's log) explains a failure.
    /// </summary>
    public static void AssertDecoded(DecodeResult? client, string context, int minFrames = 60)
    {
        Assert.That(client, Is.Not.Null, context);
        Assert.That(client!.Errors, Is.Empty, context);
        Assert.That(client.ExitCode, Is.EqualTo(0), context);
        Assert.That(client.Frames, Is.GreaterThanOrEqualTo(minFrames), context);
        Assert.That(client.AllFramesAre(640, 480), Is.True, client.ToString());
    }

    public override string ToString() =>
        $"{Frames} frames, exit {ExitCode}, {Elapsed.TotalSeconds:F1} s, errors: {(Errors.Length == 0 ? "none" : Errors)}";
}
