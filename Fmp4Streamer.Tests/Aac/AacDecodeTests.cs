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
}
