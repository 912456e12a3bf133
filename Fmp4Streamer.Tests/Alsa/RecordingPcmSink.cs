using Fmp4Streamer.Audio;

namespace Fmp4Streamer.Tests.Alsa;

/// <summary>Keeps what a source delivered: chunk sizes with their times, the first sample values, the breaks.</summary>
internal sealed class RecordingPcmSink : IPcmSink
{
    public readonly List<(int Samples, long FirstUs, short FirstValue)> Chunks = new();
    public readonly List<string> Breaks = new();
    public long Samples;

    public void OnPcm(ReadOnlySpan<short> samples, long firstSampleUs)
    {
        Chunks.Add((samples.Length, firstSampleUs, samples[0]));
        Samples += samples.Length;
    }

    public void OnPcmDiscontinuity(string reason) => Breaks.Add(reason);
}
