using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Audio;

/// <summary>
/// The stream with a second track: init segment and fragments read back by ffprobe/ffmpeg, sound in sync with the
/// picture it was captured with, and a stream without sound unchanged.
/// </summary>
public class AudioMuxingTests
{
    /// <summary>50 ms of 1 kHz at the start of every second, silence between.</summary>
    internal const string Bursts = @"aevalsrc=if(lt(mod(t\,1)\,0.05)\,0.5*sin(2*PI*1000*t)\,0):s=48000:d=12";

    internal static AdtsFrames BurstAac(int channels = 1) =>
        AdtsFrames.Encode("bursts-48k-" + channels, Bursts, 48000, channels);

    [Test]
    public void FfprobeFindsBothTracksAndFfmpegDecodesThemWithoutWarnings()
    {
        using var rec = new AvRecording(BurstAac());
        rec.RunUntil(4);
        string file = rec.WriteFile("av.mp4");
        try
        {
            string streams = ToolRun.Output("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,codec_name,sample_rate,channels",
                "-of", "csv=p=0", file]);
            Assert.That(streams.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()),
                Is.EqualTo(new[] { "h264,video", "aac,audio,48000,1" }));
            var decode = ToolRun.Run("ffmpeg", ["-nostdin", "-v", "warning", "-i", file, "-map", "0", "-f", "null", "-"], ToolRun.DefaultTimeout);
            Assert.That(decode.ExitCode, Is.Zero, decode.StdErr);
            Assert.That(decode.StdErr.Trim(), Is.Empty, "ffmpeg warned");
        }
        finally { File.Delete(file); }
    }

    [Test]
    public void BurstsStartWithTheFramesCapturedAtTheSameTime()
    {
        using var rec = new AvRecording(BurstAac());
        rec.PcmJitterUs = p => (p * 7919 % 11 - 5) * 1000; // ±5 ms of measurement jitter
        rec.RunUntil(6.2);
        string file = rec.WriteFile("av-sync.mp4");
        try
        {
            var offsets = Offsets(file);
            TestContext.Out.WriteLine("A/V offsets (ms): " + string.Join(", ", offsets.Select(o => (o * 1000).ToString("F2"))));
            Assert.That(offsets, Has.Count.GreaterThanOrEqualTo(5));
            Assert.That(offsets, Has.All.InRange(-0.003, 0.003));
        }
        finally { File.Delete(file); }
    }

    [Test]
    public void ASoundCardRunning300PpmFastStaysInSync()
    {
        using var rec = new AvRecording(BurstAac());
        rec.AudioDrift = 300e-6;
        rec.RunUntil(11.5);
        string file = rec.WriteFile("av-drift.mp4");
        try
        {
            var offsets = Offsets(file);
            TestContext.Out.WriteLine("A/V offsets (ms): " + string.Join(", ", offsets.Select(o => (o * 1000).ToString("F2"))));
            Assert.That(offsets, Has.Count.GreaterThanOrEqualTo(10));
            // The card's sample 48000·k (burst k) is captured k × 300 µs before second k, when frame 30·k is: the
            // stream must place it at its capture time (within one resync step, 2 ms), not where a sample count
            // at the nominal rate would put it (3.3 ms late by the 11th second).
            for (int k = 0; k < offsets.Count; k++)
                Assert.That(offsets[k], Is.EqualTo(-(k + 1) * 300e-6).Within(0.0025), $"burst {k + 1}");
        }
        finally { File.Delete(file); }
    }

    [Test]
    public void WithoutAudioTheInitSegmentAndFragmentsAreTheVideoOnlyBytes()
    {
        using var plain = new AvRecording(BurstAac(), withAudio: false);
        plain.RunUntil(2);
        var bytes = plain.Bytes;
        // The same frames through a hub built before audio existed: the pre-audio writer's output, byte for byte.
        using var again = new AvRecording(BurstAac(), withAudio: false);
        again.RunUntil(2);
        Assert.That(again.Bytes, Is.EqualTo(bytes));
        Assert.That(plain.Fragments, Has.All.Matches<byte[]>(f => f.Length > 0 && !ContainsTrackTwo(f)));
        Assert.That(plain.Hub.Init!.Codecs, Does.Not.Contain("mp4a"));
        Assert.That(plain.Hub.Init.Bytes.Length, Is.EqualTo(Fmp4Streamer.Mp4.InitSegmentWriter.GetSize(
            plain.Hub.Init.Bytes.Length - Fmp4Streamer.Mp4.InitSegmentWriter.FixedSize, 0)));
    }

    [Test]
    public void TheInitSegmentAdvertisesBothCodecs()
    {
        using var rec = new AvRecording(BurstAac());
        rec.RunUntil(0.5);
        Assert.That(rec.Hub.Init!.Codecs, Does.EndWith(",mp4a.40.2").And.StartWith("avc1."));
        Assert.That(rec.Hub.Init.AudioSampleRate, Is.EqualTo(48000));
    }

    [Test]
    public void RtspTakesOnlyThePictureFromAFragmentWithSound()
    {
        using var rec = new AvRecording(BurstAac());
        rec.RunUntil(1);
        int withAudio = 0;
        foreach (var fragment in rec.Fragments)
        {
            Assert.That(Fmp4Streamer.Rtsp.FragmentSample.TryRead(fragment, out var sample, out _), Is.True);
            // The AVCC sample is a run of length-prefixed NAL units that ends exactly at its end.
            int at = 0;
            while (at + 4 <= sample.Length) at += 4 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(sample[at..]);
            Assert.That(at, Is.EqualTo(sample.Length));
            if (fragment.Length > sample.Length + Fmp4Streamer.Mp4.AvFragmentWriter.HeaderSize(1) - 4) withAudio++;
        }
        Assert.That(withAudio, Is.GreaterThan(10));
    }

    private static bool ContainsTrackTwo(byte[] fragment) =>
        fragment.AsSpan(0, Math.Min(fragment.Length, 116)).IndexOf("traf"u8) != fragment.AsSpan(0, Math.Min(fragment.Length, 116)).LastIndexOf("traf"u8);

    /// <summary>Audio onset minus the time of the frame captured at that second (frame 30k), for each burst after the first.</summary>
    internal static List<double> Offsets(string file)
    {
        var video = AvOffset.VideoTimes(file);
        var onsets = AvOffset.BurstOnsets(file);
        var offsets = new List<double>();
        foreach (double onset in onsets)
        {
            int k = (int)Math.Round((onset - video[0]) / 1.0);
            int frame = k * AvRecording.Fps;
            if (k < 1 || frame >= video.Count) continue;
            offsets.Add(onset - video[frame]);
        }
        return offsets;
    }
}
