using Fmp4Streamer.Aac;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Aac;

/// <summary>The encoder's interface, bitstream choices and costs, without a decoder.</summary>
public class AacEncoderTests
{
    [TestCase(48000, 1, new byte[] { 0x11, 0x88 })]
    [TestCase(44100, 2, new byte[] { 0x12, 0x10 })]
    [TestCase(32000, 1, new byte[] { 0x12, 0x88 })]
    [TestCase(16000, 2, new byte[] { 0x14, 0x10 })]
    public void AudioSpecificConfigNamesLowComplexityRateAndChannels(int rate, int channels, byte[] expected)
    {
        Assert.That(new AacEncoder(rate, channels, 64000).AudioSpecificConfig.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void AdtsHeaderCarriesProfileRateChannelsAndLength()
    {
        var encoder = new AacEncoder(44100, 2, 96000);
        var header = new byte[AdtsHeader.Size];
        AdtsHeader.Write(header, encoder.AudioSpecificConfig, 300);
        // sync FFF, MPEG-4, no CRC; LC (1), index 4, channels 2; length 307; fullness 7FF; one raw block
        Assert.That(header, Is.EqualTo(new byte[] { 0xFF, 0xF1, 0x50, 0x80, 0x26, 0x7F, 0xFC }));
    }

    [Test]
    public void RejectsWhatItCannotEncode()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AacEncoder(22050, 1, 64000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AacEncoder(48000, 3, 64000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AacEncoder(48000, 1, 1000));
        // Above 5888 bits per channel and frame, fill and alignment could break the 6144-bit frame limit.
        Assert.Throws<ArgumentOutOfRangeException>(() => new AacEncoder(16000, 1, 92001));
        var encoder = new AacEncoder(48000, 2, 96000);
        var output = new byte[encoder.MaxAccessUnitBytes];
        Assert.Throws<ArgumentException>(() => encoder.Encode(new short[1024], output));
        encoder.Encode(new short[2048], output);
        Assert.Throws<ArgumentException>(() => encoder.Encode(new short[2048], new byte[100]));
    }

    [Test]
    public void FirstCallPrimesThenEveryCallGivesOneAccessUnit()
    {
        var encoder = new AacEncoder(48000, 1, 64000);
        var output = new byte[encoder.MaxAccessUnitBytes];
        var pcm = AacTestAudio.Sine(48000, 1, 1024 * 4 / 48000.0, 1000, 8000);
        Assert.That(encoder.Encode(pcm.AsSpan(0, 1024), output), Is.Zero);
        for (int f = 1; f < 4; f++) Assert.That(encoder.Encode(pcm.AsSpan(f * 1024, 1024), output), Is.GreaterThan(0));
        Assert.That(encoder.PrimingSamples, Is.EqualTo(1024));
    }

    [TestCase(48000, 1, 64000)]
    [TestCase(48000, 2, 96000)]
    [TestCase(44100, 2, 128000)]
    [TestCase(16000, 1, 24000)]
    [TestCase(16000, 1, 92000)]
    [TestCase(48000, 2, 552000)]
    public void ConstantBitrateWithinFivePercentOverFourSeconds(int rate, int channels, int bitrate)
    {
        // Loud noise wants more bits than the target, silence far fewer: both must come out at the target (the
        // reservoir starts empty and may hold a few frames' worth, hence the tolerance).
        foreach (var (name, pcm) in new[] { ("noise", AacTestAudio.Noise(rate, channels, 4, 20000)), ("silence", new short[rate * channels * 4]) })
        {
            var encoder = new AacEncoder(rate, channels, bitrate);
            var units = AacTestAudio.Encode(encoder, pcm);
            double seconds = units.Count * 1024.0 / rate, reached = units.Sum(u => u.Length) * 8 / seconds;
            Assert.That(reached / bitrate, Is.EqualTo(1).Within(0.05), $"{name}: {reached:0} bit/s");
            Assert.That(units.Max(u => u.Length), Is.LessThanOrEqualTo(encoder.MaxAccessUnitBytes));
        }
    }

    [Test]
    public void ClicksSwitchToShortWindowsAndASteadyToneDoesNot()
    {
        Assert.That(ShortFrames(AacTestAudio.Sine(48000, 1, 2, 1000, 16000)), Is.Zero);
        Assert.That(ShortFrames(AacTestAudio.Noise(48000, 1, 2, 8000)), Is.Zero);
        // Eight clicks in the last 1.4 s of 2 s: each needs one or two short frames.
        int clicks = ShortFrames(AacTestAudio.Clicks(48000, 2));
        Assert.That(clicks, Is.InRange(6, 20));
    }

    // Short frames after the first three. window_sequence of a single_channel_element: after id (3), tag (4), global_gain (8), ics_reserved_bit (1).
    private static int ShortFrames(short[] pcm)
    {
        var encoder = new AacEncoder(48000, 1, 64000);
        int count = 0, index = 0;
        WindowSequence previous = WindowSequence.OnlyLong;
        foreach (var unit in AacTestAudio.Encode(encoder, pcm))
        {
            var sequence = (WindowSequence)((unit[2] >> 6) & 3);
            Assert.That(IsAllowed(previous, sequence), $"{previous} -> {sequence}");
            previous = sequence;
            // The first frames hold the signal's onset from silence, which is an attack.
            if (sequence == WindowSequence.EightShort && index >= 3) count++;
            index++;
        }
        return count;
    }

    private static bool IsAllowed(WindowSequence from, WindowSequence to) => from switch
    {
        WindowSequence.OnlyLong or WindowSequence.LongStop => to is WindowSequence.OnlyLong or WindowSequence.LongStart,
        _ => to is WindowSequence.EightShort or WindowSequence.LongStop,
    };

    [TestCase(1)]
    [TestCase(2)]
    public void EncodingAllocatesNothingPerFrame(int channels)
    {
        var encoder = new AacEncoder(48000, channels, 64000 * channels);
        var pcm = AacTestAudio.Clicks(48000, 3);
        if (channels == 2) pcm = pcm.SelectMany(s => new[] { s, (short)(s / 2) }).ToArray();
        var output = new byte[encoder.MaxAccessUnitBytes];
        int frame = 1024 * channels, frames = pcm.Length / frame;
        for (int f = 0; f < frames; f++) encoder.Encode(pcm.AsSpan(f * frame, frame), output);
        long bytes = AllocationProbe.MinimumBytes(3, () =>
        {
            for (int f = 0; f < frames; f++) encoder.Encode(pcm.AsSpan(f * frame, frame), output);
        });
        Assert.That(bytes, Is.Zero);
    }
}
