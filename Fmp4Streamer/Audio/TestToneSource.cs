using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Audio;

/// <summary>
/// The test pattern's sound: silence with a 50 ms burst of 1 kHz at every full second since the source started,
/// the same instants at which the test pattern flashes (its frames at multiples of the frame rate since its start),
/// so a player's audio/video offset can be read from the stream. Delivered in 10 ms periods on a loop timer, each
/// stamped with its ideal capture time, as a perfect sound card would.
/// </summary>
public sealed class TestToneSource : IAudioSource, ITimerCallback
{
    public const int ToneHz = 1000;
    public const int BurstMs = 50;
    private const int PeriodsPerSecond = 100;
    private const double Amplitude = 0.5 * short.MaxValue;

    private readonly EventLoop _loop;
    private readonly LoopTimer _timer;
    private readonly short[] _period;
    private readonly int _periodFrames;
    private IPcmSink? _sink;
    private long _startUs;
    private long _periods;

    public TestToneSource(EventLoop loop, int sampleRate, int channels)
    {
        _loop = loop;
        SampleRate = sampleRate;
        Channels = channels;
        _periodFrames = sampleRate / PeriodsPerSecond;
        _period = new short[_periodFrames * channels];
        _timer = new LoopTimer(loop, this);
        Description = $"test tone {sampleRate} Hz {channels} ch";
    }

    public string Description { get; }
    public int SampleRate { get; }
    public int Channels { get; }

    public void Start(IPcmSink sink)
    {
        _sink = sink;
        _startUs = _loop.NowUs;
        _periods = 0;
        _timer.StartAt(_startUs + 1_000_000 / PeriodsPerSecond);
    }

    public void Stop()
    {
        _timer.Stop();
        _sink = null;
    }

    /// <summary>Sample <paramref name="index"/> (frames since the start) of the signal.</summary>
    public static short Sample(long index, int sampleRate)
    {
        long inSecond = index % sampleRate;
        if (inSecond >= (long)sampleRate * BurstMs / 1000) return 0;
        return (short)Math.Round(Amplitude * Math.Sin(2 * Math.PI * ToneHz * inSecond / sampleRate));
    }

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        var sink = _sink;
        if (sink is null) return;
        long now = _loop.NowUs;
        // Every period that is complete by now, so a late wake-up delivers what a card would have buffered.
        while (_sink is not null)
        {
            long endUs = _startUs + (_periods + 1) * 1_000_000 / PeriodsPerSecond;
            if (endUs > now) break;
            long first = _periods * _periodFrames;
            for (int i = 0; i < _periodFrames; i++)
            {
                short s = Sample(first + i, SampleRate);
                for (int c = 0; c < Channels; c++) _period[i * Channels + c] = s;
            }
            _periods++;
            sink.OnPcm(_period, _startUs + first * 1_000_000 / SampleRate);
        }
        if (_sink is not null) _timer.StartAt(_startUs + (_periods + 1) * 1_000_000 / PeriodsPerSecond);
    }

    public void Dispose() => Stop();
}
