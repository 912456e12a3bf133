namespace Fmp4Streamer.Streaming;

/// <summary>
/// Turns the arrival times of a source without timestamps (a pipe from a child process) into capture times on a
/// regular frame grid. Pipe arrivals jitter by several milliseconds (x264 through a pipe: 30 to 43 ms between
/// frames at 30 fps), and durations that follow them make players stall; a clock that simply assumed the nominal
/// rate would drift away from a source really running at 29.97 fps.
/// </summary>
/// <remarks>
/// A second-order phase-locked loop on the frame period: each frame is placed one period after the previous one,
/// nudged by a small fraction of its arrival error (phase), while the period itself integrates an even smaller
/// fraction (frequency). The gains are low enough that a few milliseconds of jitter move a duration by well under
/// one 90 kHz tick, and high enough to lock onto a 0.1 % rate error within a minute without a drift. The loop
/// starts at the nominal period (the SPS's VUI timing, else the configured rate); when the error grows past a
/// bound (a stall, a start-up burst, a rate far from the nominal one) it re-anchors on the arrival, taking the period from the
/// arrivals measured since the last anchor. A stall is held on the grid first: a source that was only starved
/// (a busy machine, ffmpeg's <c>-re</c>) delivers the frames it owes in a burst, and they fill the grid without a
/// gap; only frames that keep arriving late at the source's pace mean content was lost, and re-anchor.
/// Allocation-free; not thread-safe (the loop thread owns it).
/// </remarks>
public sealed class FrameClock
{
    /// <summary>Phase gain: 10 ms of jitter moves a frame by 10 µs, under a tick at 90 kHz.</summary>
    public const double PhaseGain = 1.0 / 1024;

    /// <summary>Frequency gain, for critical damping (damping factor 0.7 with <see cref="PhaseGain"/>).</summary>
    public const double FrequencyGain = PhaseGain * PhaseGain / 2;

    /// <summary>An arrival later than this after where the clock expects it re-anchors the clock (µs): a stall.</summary>
    public const long MaxLateUs = 500_000;

    /// <summary>
    /// An arrival earlier than this many periods before its expected time re-anchors the clock. A frame cannot
    /// arrive before it was captured, so the grid is ahead of the source: an encoder's start-up burst (several
    /// frames in one read) placed it there, or the source runs faster than the nominal rate.
    /// </summary>
    public const double MaxEarlyPeriods = 2;

    /// <summary>Frames needed since the anchor before their mean interval replaces the period at a re-anchor.</summary>
    public const int MinFramesToMeasure = 4;

    /// <summary>Late frames held on the grid before a stall that does not catch up re-anchors the clock.</summary>
    public const int MaxHeldLateFrames = 4;

    private double _nominalPeriodUs;
    private double _periodUs;
    private double _lastUs;          // the previous frame's smoothed time
    private long _lastArrivalUs;
    private long _anchorArrivalUs;
    private long _framesSinceAnchor; // frames placed since the anchor frame
    private bool _running;
    private int _heldLate;           // frames of a stall placed on the grid so far
    private long _firstHeldArrivalUs;

    /// <param name="nominalFps">The configured rate: the period until the stream says otherwise.</param>
    public FrameClock(double nominalFps)
    {
        SetNominal(nominalFps);
        _periodUs = _nominalPeriodUs;
    }

    /// <summary>The current period estimate in µs.</summary>
    public double PeriodUs => _periodUs;

    public double NominalPeriodUs => _nominalPeriodUs;

    /// <summary>Times anchored again since creation (stalls, gaps, rate changes), for tests and logs.</summary>
    public int Reanchors { get; private set; }

    /// <summary>
    /// The stream's own rate (an SPS's VUI timing). A change restarts the loop from it; the same rate again (an
    /// SPS repeated before every IDR) changes nothing. Rates outside 0.1 to 1000 fps are ignored.
    /// </summary>
    public void SetNominalRate(double fps)
    {
        if (!(fps >= 0.1 && fps <= 1000)) return;
        double period = 1_000_000 / fps;
        if (Math.Abs(period - _nominalPeriodUs) < 0.001) return;
        _nominalPeriodUs = period;
        _periodUs = period;
        _running = false;
        _heldLate = 0;
    }

    /// <summary>The source restarted: the next frame anchors the clock again at the nominal period.</summary>
    public void Reset()
    {
        _running = false;
        _heldLate = 0;
        _periodUs = _nominalPeriodUs;
    }

    /// <summary>Places the next frame.</summary>
    /// <param name="arrivalUs">CLOCK_MONOTONIC time the frame arrived, in µs.</param>
    /// <returns>
    /// Its capture time on the smoothed grid, in µs: strictly increasing, except that a re-anchor after an early
    /// arrival may step back (the timeline gives such a frame the nominal duration).
    /// </returns>
    public long Next(long arrivalUs)
    {
        if (!_running) return Anchor(arrivalUs);
        double predicted = _lastUs + _periodUs;
        double error = arrivalUs - predicted;
        bool late = error > Math.Max(MaxLateUs, 4 * _periodUs);
        if (late && !StallLostContent(arrivalUs))
        {
            // Held on the grid, outside the loop's measurements: the burst that repays the stall may follow.
            _lastUs = predicted;
            return (long)Math.Round(_lastUs);
        }
        _heldLate = 0;
        if (late || error < -MaxEarlyPeriods * _periodUs)
        {
            Reanchors++;
            // The mean interval of the frames since the anchor, this late or early one excluded, is the rate the
            // source really ran at (a stall's gap is not part of it).
            if (_framesSinceAnchor >= MinFramesToMeasure)
                _periodUs = Math.Clamp((double)(_lastArrivalUs - _anchorArrivalUs) / _framesSinceAnchor,
                    _nominalPeriodUs / 8, _nominalPeriodUs * 8);
            return Anchor(arrivalUs);
        }
        _periodUs += FrequencyGain * error;
        _lastUs = predicted + PhaseGain * error;
        _lastArrivalUs = arrivalUs;
        _framesSinceAnchor++;
        return (long)Math.Round(_lastUs);
    }

    /// <summary>
    /// Counts a late frame; true once <see cref="MaxHeldLateFrames"/> of them arrived at least half a period apart
    /// on average: the source runs at its pace again without repaying the stall.
    /// </summary>
    private bool StallLostContent(long arrivalUs)
    {
        if (_heldLate == 0) _firstHeldArrivalUs = arrivalUs;
        if (_heldLate < MaxHeldLateFrames)
        {
            _heldLate++;
            return false;
        }
        if (arrivalUs - _firstHeldArrivalUs >= _heldLate * _periodUs / 2) return true;
        _heldLate++;
        return false;
    }

    private long Anchor(long arrivalUs)
    {
        _running = true;
        _lastUs = arrivalUs;
        _lastArrivalUs = _anchorArrivalUs = arrivalUs;
        _framesSinceAnchor = 0;
        return arrivalUs;
    }

    private void SetNominal(double fps)
    {
        if (!(fps > 0)) throw new ArgumentOutOfRangeException(nameof(fps), fps, "frame rate must be positive");
        _nominalPeriodUs = 1_000_000 / fps;
    }
}
