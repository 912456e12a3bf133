using Fmp4Streamer.Audio;

namespace Fmp4Streamer.Tests.Audio;

/// <summary>An <see cref="IAudioSource"/> the test pushes PCM through, with the capture times it chooses.</summary>
internal sealed class ManualPcmSource : IAudioSource
{
    public ManualPcmSource(int rate = 48000, int channels = 1)
    {
        SampleRate = rate;
        Channels = channels;
    }

    public IPcmSink? Sink { get; private set; }
    public int Starts { get; private set; }
    public int Stops { get; private set; }
    public string Description => "manual PCM";
    public int SampleRate { get; }
    public int Channels { get; }

    public void Start(IPcmSink sink)
    {
        Sink = sink;
        Starts++;
    }

    public void Stop()
    {
        Sink = null;
        Stops++;
    }

    /// <summary>Pushes <paramref name="frames"/> frames of silence captured from <paramref name="firstSampleUs"/> on.</summary>
    public void Push(int frames, long firstSampleUs)
    {
        if (_silence.Length < frames * Channels) _silence = new short[frames * Channels];
        Sink?.OnPcm(_silence.AsSpan(0, frames * Channels), firstSampleUs);
    }

    private short[] _silence = Array.Empty<short>();

    public void Dispose() { }
}
