using System.Runtime.InteropServices;
using Fmp4Streamer.Aac;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Aac;

/// <summary>Test signals for the AAC encoder, encoding them to ADTS files, and decoding those with ffmpeg.</summary>
internal static class AacTestAudio
{
    public static short[] Sine(int rate, int channels, double seconds, double hz, double amplitude)
    {
        int n = (int)(rate * seconds);
        var pcm = new short[n * channels];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
                pcm[i * channels + c] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * hz * i / rate + c));
        return pcm;
    }

    /// <summary>A quiet 220 Hz hum with a 3 ms, 2.5 kHz click every quarter second, starting at 0.6 s.</summary>
    public static short[] Clicks(int rate, double seconds)
    {
        int n = (int)(rate * seconds);
        var pcm = new short[n];
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / rate, x = 600 * Math.Sin(2 * Math.PI * 220 * t);
            if (t >= 0.6 && (t - 0.6) % 0.25 < 0.003) x += 20000 * Math.Sin(2 * Math.PI * 2500 * t);
            pcm[i] = (short)x;
        }
        return pcm;
    }

    /// <summary>Seeded white noise, optionally differing per channel.</summary>
    public static short[] Noise(int rate, int channels, double seconds, double amplitude, int seed = 1)
    {
        var random = new Random(seed);
        int n = (int)(rate * seconds) * channels;
        var pcm = new short[n];
        for (int i = 0; i < n; i++) pcm[i] = (short)(amplitude * (random.NextDouble() * 2 - 1));
        return pcm;
    }

    /// <summary>Encodes whole frames of <paramref name="pcm"/> (plus two silent frames to flush the delay).</summary>
    public static List<byte[]> Encode(AacEncoder encoder, short[] pcm)
    {
        int frame = encoder.FrameSamples * encoder.Channels;
        var units = new List<byte[]>();
        var output = new byte[encoder.MaxAccessUnitBytes];
        var padded = new short[(pcm.Length / frame + 2) * frame];
        pcm.AsSpan(0, pcm.Length / frame * frame).CopyTo(padded);
        for (int at = 0; at < padded.Length; at += frame)
        {
            int bytes = encoder.Encode(padded.AsSpan(at, frame), output);
            if (bytes > 0) units.Add(output.AsSpan(0, bytes).ToArray());
        }
        return units;
    }

    public static string WriteAdts(AacEncoder encoder, List<byte[]> units, string name)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fmp4streamer-aac-{Environment.ProcessId}-{name}.aac");
        using var file = File.Create(path);
        Span<byte> header = stackalloc byte[AdtsHeader.Size];
        foreach (var unit in units)
        {
            AdtsHeader.Write(header, encoder.AudioSpecificConfig, unit.Length);
            file.Write(header);
            file.Write(unit);
        }
        return path;
    }

    /// <summary>ffmpeg's warnings and errors decoding a file, without the demuxer's note that ADTS has no duration.</summary>
    public static string DecodeWarnings(string path)
    {
        var result = ToolRun.Complete("ffmpeg", ["-v", "warning", "-nostdin", "-i", path, "-f", "null", "-"], ToolRun.DefaultTimeout);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.Contains("Estimating duration from bitrate"));
        return string.Join('\n', lines) + (result.ExitCode != 0 ? $"\nexit code {result.ExitCode}" : "");
    }

    /// <summary>ffmpeg's decode of an ADTS file as interleaved 16-bit samples.</summary>
    public static short[] Decode(string path, int channels)
    {
        string raw = path + ".s16";
        ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-y", "-i", path, "-ac", channels.ToString(), "-f", "s16le", raw]);
        byte[] bytes = File.ReadAllBytes(raw);
        File.Delete(raw);
        return MemoryMarshal.Cast<byte, short>(bytes).ToArray();
    }

    /// <summary>Amplitude of the best-fitting sine at <paramref name="hz"/>, and the SNR of that fit (dB).</summary>
    public static (double Amplitude, double FitSnrDb) FitSine(ReadOnlySpan<short> x, int rate, double hz)
    {
        double s = 0, c = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double phase = 2 * Math.PI * hz * i / rate;
            s += x[i] * Math.Sin(phase);
            c += x[i] * Math.Cos(phase);
        }
        double a = 2 * s / x.Length, b = 2 * c / x.Length, signal = 0, residual = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double phase = 2 * Math.PI * hz * i / rate;
            double fit = a * Math.Sin(phase) + b * Math.Cos(phase);
            signal += fit * fit;
            residual += (x[i] - fit) * (x[i] - fit);
        }
        return (Math.Sqrt(a * a + b * b), 10 * Math.Log10(signal / Math.Max(residual, 1e-9)));
    }

    /// <summary>The frequency from zero crossings, counted over the whole span.</summary>
    public static double ZeroCrossingHz(ReadOnlySpan<short> x, int rate)
    {
        int crossings = 0, first = -1, last = -1;
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i - 1] < 0 && x[i] >= 0)
            {
                if (first < 0) first = i; else { crossings++; last = i; }
            }
        }
        return crossings * (double)rate / (last - first);
    }
}
