using System.Runtime.InteropServices;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// The sound of a few seconds of a live stream, decoded by the host's ffmpeg as the stream's own interleaved 16-bit
/// samples (no resampling or channel mixing), with what ffmpeg warned about while reading and decoding it. (The picture
/// is left out: the rig's capture times jitter under emulation, and ffmpeg's muxers warn about frames that fall on the
/// same tick of their frame-rate clock.)
/// </summary>
internal sealed record LiveAudioClip(short[] Samples, string Warnings, int ExitCode, TimeSpan Elapsed)
{
    public static LiveAudioClip Fetch(string url, double seconds, string rawPath)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string t = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A stalled live stream must fail the test, not hang it: 30 s covers a daemon in back-off.
        ToolResult r = ToolRun.Run("ffmpeg", ["-nostdin", "-v", "warning", "-rw_timeout", "30000000", "-i", url,
            "-map", "0:a:0", "-t", t, "-f", "s16le", "-y", rawPath], TimeSpan.FromSeconds(seconds + 60));
        short[] samples = File.Exists(rawPath) ? MemoryMarshal.Cast<byte, short>(File.ReadAllBytes(rawPath)).ToArray() : [];
        return new LiveAudioClip(samples, r.StdErr.Trim() + (r.TimedOut ? "\n(ffmpeg killed: timeout)" : ""), r.ExitCode, clock.Elapsed);
    }

    /// <summary>The samples of one channel, from <paramref name="skipSeconds"/> on (the decoder's start-up left out).</summary>
    public short[] Channel(int channel, int channels, int rate, double skipSeconds)
    {
        int first = (int)(skipSeconds * rate);
        int frames = Samples.Length / channels;
        if (frames <= first) return [];
        var x = new short[frames - first];
        for (int i = 0; i < x.Length; i++) x[i] = Samples[(first + i) * channels + channel];
        return x;
    }

    public override string ToString() =>
        $"{Samples.Length} samples in {Elapsed.TotalSeconds:F1} s, ffmpeg exit {ExitCode}" + (Warnings.Length > 0 ? $": {Warnings}" : "");
}
