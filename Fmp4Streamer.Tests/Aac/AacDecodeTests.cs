using Fmp4Streamer.Aac;

namespace Fmp4Streamer.Tests.Aac;

/// <summary>What ffmpeg's AAC decoder makes of the encoder's streams.</summary>
public class AacDecodeTests
{
    public static IEnumerable<TestCaseData> Streams()
    {
        foreach (int rate in new[] { 48000, 44100, 32000, 16000 })
        {
            yield return new TestCaseData(rate, 1, "clicks").SetName($"clicks, {rate} Hz mono");
            yield return new TestCaseData(rate, 2, "noise").SetName($"noise, {rate} Hz stereo");
        }
        yield return new TestCaseData(48000, 2, "tones").SetName("two tones, 48000 Hz stereo");
        yield return new TestCaseData(48000, 1, "silence").SetName("silence, 48000 Hz mono");
        yield return new TestCaseData(48000, 1, "full scale").SetName("full-scale square, 48000 Hz mono");
    }

    [TestCaseSource(nameof(Streams))]
    public void DecodesWithoutWarnings(int rate, int channels, string signal)
    {
        short[] pcm = signal switch
        {
            "clicks" => AacTestAudio.Clicks(rate, 2),
            "noise" => AacTestAudio.Noise(rate, channels, 2, 12000),
            "tones" => AacTestAudio.Sine(rate, channels, 2, 440, 12000),
            "silence" => new short[rate * 2],
            _ => AacTestAudio.Sine(rate, channels, 2, 100, 32767).Select(s => s >= 0 ? short.MaxValue : short.MinValue).ToArray(),
        };
        var encoder = new AacEncoder(rate, channels, channels == 1 ? 64000 : 96000);
        string path = AacTestAudio.WriteAdts(encoder, AacTestAudio.Encode(encoder, pcm), $"{signal}-{rate}-{channels}");
        try
        {
            Assert.That(AacTestAudio.DecodeWarnings(path), Is.Empty);
            Assert.That(AacTestAudio.Decode(path, channels), Has.Length.EqualTo((pcm.Length / (1024 * channels) + 1) * 1024 * channels));
        }
        finally { File.Delete(path); }
    }

    [TestCase(440)]
    [TestCase(1000)]
    [TestCase(5000)]
    public void ToneDecodesAtItsFrequencyAndLevel(int hz)
    {
        const int rate = 48000, amplitude = 10000;
        var encoder = new AacEncoder(rate, 1, 64000);
        string path = AacTestAudio.WriteAdts(encoder, AacTestAudio.Encode(encoder, AacTestAudio.Sine(rate, 1, 2, hz, amplitude)), $"tone{hz}");
        try
        {
            short[] decoded = AacTestAudio.Decode(path, 1);
            ReadOnlySpan<short> middle = decoded.AsSpan(rate / 2, rate);
            Assert.That(AacTestAudio.ZeroCrossingHz(middle, rate), Is.EqualTo(hz).Within(hz * 0.002));
            var (level, fit) = AacTestAudio.FitSine(middle, rate, hz);
            Assert.That(20 * Math.Log10(level / amplitude), Is.EqualTo(0).Within(0.2), "level (dB)");
            Assert.That(fit, Is.GreaterThan(40), "everything but the tone (dB below it)");
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void DecodedAudioIsTheInputDelayedByThePrimingSamples()
    {
        const int rate = 48000;
        var encoder = new AacEncoder(rate, 1, 64000);
        short[] pcm = AacTestAudio.Noise(rate, 1, 1, 10000, seed: 7);
        string path = AacTestAudio.WriteAdts(encoder, AacTestAudio.Encode(encoder, pcm), "priming");
        try
        {
            short[] decoded = AacTestAudio.Decode(path, 1);
            int best = -1;
            double bestDot = double.MinValue;
            for (int lag = 0; lag <= 4096; lag++)
            {
                double dot = 0;
                for (int i = 4096; i < 4096 + 8192; i++) dot += (double)pcm[i] * decoded[i + lag];
                if (dot > bestDot) { bestDot = dot; best = lag; }
            }
            Assert.That(best, Is.EqualTo(encoder.PrimingSamples));
        }
        finally { File.Delete(path); }
    }

    /// <summary>
    /// Loud bursts after silence, each starting at another place in its 1024-sample block: every one decodes where
    /// it was put. A frame that needs a coarser quantisation than the silence before it once came out empty, so
    /// the burst began up to a block late, depending on where in the block it fell.
    /// </summary>
    [Test]
    public void BurstsAfterSilenceStartOnTime()
    {
        const int rate = 48000, spacing = rate / 2, burst = rate / 20, bursts = 8;
        var encoder = new AacEncoder(rate, 1, 64000);
        var pcm = new short[spacing * bursts];
        for (int i = 0; i < pcm.Length; i++)
            if (i % spacing < burst) pcm[i] = (short)Math.Round(16000 * Math.Sin(2 * Math.PI * 1000 * (i % spacing) / rate));
        string path = AacTestAudio.WriteAdts(encoder, AacTestAudio.Encode(encoder, pcm), "bursts");
        try
        {
            short[] decoded = AacTestAudio.Decode(path, 1);
            var lateness = new List<int>();
            for (int k = 0; k < bursts; k++)
            {
                int expected = k * spacing + encoder.PrimingSamples, onset = int.MaxValue;
                for (int i = Math.Max(0, expected - burst); i < expected + burst; i++)
                    if (Math.Abs((int)decoded[i]) > 2000) { onset = i; break; }
                lateness.Add(onset - expected);
            }
            // 24000 = 23 blocks + 448: the bursts fall at 8 places 64 samples apart within their blocks.
            Assert.That(lateness, Has.All.InRange(-48, 48), "onset minus the burst's start (samples): " + string.Join(", ", lateness));
        }
        finally { File.Delete(path); }
    }
}
