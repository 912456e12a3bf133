namespace Fmp4Streamer.Audio;

/// <summary>
/// Places a run of contiguous audio samples on CLOCK_MONOTONIC. A sound card's clock and the monotonic clock drift
/// apart (tens of ppm), and a measured capture time jitters by up to a period; neither may reach the stream. The
/// model is sample n at anchor + n / rate + correction, where the correction follows each measurement's error
/// through a first-order filter: the time of a sample is never a sum of rounded durations, and a constant drift
/// leaves a constant, small error (drift × the filter's time constant) instead of a growing one.
/// </summary>
/// <remarks>
/// A measurement further than <see cref="ResyncUs"/> from the model (samples lost to an overrun, a stalled source)
/// starts a new run at the measured time. Not thread-safe: the loop thread owns it.
/// </remarks>
public sealed class AudioClock
{
    /// <summary>A measured time this far from the model is a break in the samples, not jitter.</summary>
    public const long ResyncUs = 100_000;

    /// <summary>Each measurement moves the correction by 1/Gain of its error (Gain periods of smoothing).</summary>
    public const int Gain = 16;

    private readonly int _rate;
    private bool _running;
    private long _anchorUs;
    private long _samples;
    private long _correctionUs;

    public AudioClock(int sampleRate)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive");
        _rate = sampleRate;
    }

    /// <summary>Runs started at a measured time: 1 for the first, one more after every break.</summary>
    public long Runs { get; private set; }

    /// <summary>
    /// The model's time of the first of <paramref name="frames"/> samples that follow the previous call's, given
    /// the source's measurement of it; advances the model past them.
    /// </summary>
    public long Place(int frames, long measuredUs)
    {
        long predicted = _anchorUs + SamplesToUs(_samples) + _correctionUs;
        long error = measuredUs - predicted;
        if (!_running || error > ResyncUs || error < -ResyncUs)
        {
            _running = true;
            Runs++;
            _anchorUs = measuredUs;
            _samples = 0;
            _correctionUs = 0;
            predicted = measuredUs;
        }
        else
        {
            _correctionUs += error / Gain;
        }
        _samples += frames;
        return predicted;
    }

    /// <summary>The model's time of the sample that follows the last one placed.</summary>
    public long NextUs => _anchorUs + SamplesToUs(_samples) + _correctionUs;

    /// <summary>Samples were lost: the next measurement starts a new run.</summary>
    public void Break() => _running = false;

    private long SamplesToUs(long samples) => samples / _rate * 1_000_000 + samples % _rate * 1_000_000 / _rate;
}
