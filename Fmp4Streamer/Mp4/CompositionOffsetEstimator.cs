namespace Fmp4Streamer.Mp4;

/// <summary>
/// Gives each sample, as it arrives in decoding order and without waiting for later ones, a composition time
/// offset (presentation minus decode time) from its picture order count, so samples present in display order.
/// </summary>
/// <remarks>
/// A picture's display slot k is its order count minus that of the last picture that restarted the order (an IDR
/// or a memory_management_control_operation 5), divided by the count's step per frame; n is its place in
/// decoding order since that restart. With a reorder depth R (at most R frames precede any frame in decoding
/// order and follow it in display order), k &gt;= n - R, so presenting slot k at decode time + (k - n + R) frame
/// durations is never before its decode time and keeps display order: what ffmpeg's MP4 muxer writes too
/// (offsets of 0 or more, first picture presented R frames after its decode time).
/// Offsets of 0 or more were chosen over shifting the first picture to offset 0 with negative offsets: Chromium,
/// Safari, ffmpeg and VLC all play non-negative offsets, while negative ones (trun version 1) are mishandled by
/// older demuxers, and the constant R-frame shift costs no latency (players buffer on presentation times).
/// Decode times follow arrival or capture times and jitter (pipe arrivals vary by a quarter of a frame), and a
/// B-frame decoded k frames after the anchor it precedes would carry k frames of that jitter: presentation times
/// are therefore laid on a steady clock that follows decode times slowly (snapping back when they differ by half a
/// frame), plus half a frame of margin so they stay at or after decode time. The frame duration is a running
/// average of the real sample durations, so a camera running slower than its nominal rate still orders right;
/// the count's step is 2 per frame (what x264, hardware encoders and
/// pic_order_cnt_type 2 use), lowered when an odd difference shows up and relearned from each complete period
/// between restarts. R = 0 (no reordering) gives offset 0 for every sample.
/// </remarks>
public sealed class CompositionOffsetEstimator
{
    /// <summary>Offsets are kept within R + this many frames, so a misjudged step cannot push a picture far away.</summary>
    public const int MaxLeadFrames = 32;

    private const int DefaultStep = 2;
    private const double AverageWeight = 1.0 / 16;

    private int _reorderDepth;
    private bool _started;
    private int _restartCount;
    private int _decodeIndex;
    private int _step = DefaultStep;
    private int _periodGcd;
    private double _frameDuration;
    private double _decodeTime;     // of the next sample: the sum of the durations so far
    private double _steadyTime;     // the steady clock's decode time of the next sample

    /// <summary>R: the SPS's reorder depth (<see cref="H264.Sps.ReorderDepth"/>).</summary>
    public int ReorderDepth => _reorderDepth;

    /// <summary>Picture order count units per frame, as currently judged.</summary>
    public int Step => _step;

    /// <summary>A new stream (new parameter sets or a restarted source): the next sample must restart the order.</summary>
    public void Reset(int reorderDepth)
    {
        _reorderDepth = Math.Clamp(reorderDepth, 0, 16);
        _started = false;
        _decodeIndex = 0;
        _step = DefaultStep;
        _periodGcd = 0;
        _frameDuration = 0;
        _decodeTime = 0;
        _steadyTime = 0;
    }

    /// <summary>
    /// The composition time offset in ticks of the next sample in decoding order.
    /// </summary>
    /// <param name="picOrderCnt">The picture's order count (PicOrderCnt of 8.2.1).</param>
    /// <param name="restartsOrder">An IDR or a picture with memory_management_control_operation 5.</param>
    /// <param name="duration">The sample's duration in ticks (its decode time to the next one's).</param>
    public int Next(int picOrderCnt, bool restartsOrder, uint duration)
    {
        double steadyLead = AdvanceClock(duration);
        if (_reorderDepth == 0) return 0;
        if (restartsOrder || !_started)
        {
            if (_started && _decodeIndex > 1 && _periodGcd > 0) _step = _periodGcd;
            _started = true;
            _restartCount = picOrderCnt;
            _decodeIndex = 0;
            _periodGcd = 0;
        }

        long delta = (long)picOrderCnt - _restartCount;
        if (delta != 0)
        {
            int magnitude = (int)Math.Min(Math.Abs(delta), int.MaxValue);
            _periodGcd = Gcd(_periodGcd, magnitude);
            if (magnitude % _step != 0) _step = Gcd(_step, magnitude);
        }
        long slot = delta >= 0 ? delta / _step : -((-delta + _step - 1) / _step);
        long frames = Math.Clamp(slot - _decodeIndex + _reorderDepth, 0, _reorderDepth + MaxLeadFrames);
        _decodeIndex++;
        return OffsetFrom(steadyLead, frames);
    }

    /// <summary>
    /// Presentation <paramref name="frames"/> frames after this sample's slot on the steady clock, with half a frame
    /// of margin, as an offset from its decode time.
    /// </summary>
    private int OffsetFrom(double steadyLead, long frames) =>
        (int)Math.Clamp(Math.Round(steadyLead + (frames + 0.5) * _frameDuration), 0, int.MaxValue);

    /// <summary>
    /// Moves the decode time and the steady clock past this sample; returns how far the steady clock's time for it
    /// is ahead of its decode time (within half a frame either way).
    /// </summary>
    private double AdvanceClock(uint duration)
    {
        UpdateFrameDuration(duration);
        double decode = _decodeTime;
        double steady = _steadyTime;
        if (!_started || Math.Abs(decode - steady) > _frameDuration / 2) steady = decode; // a stall or a restart
        else steady += (decode - steady) / 8;
        _steadyTime = steady + _frameDuration;
        _decodeTime += duration;
        return steady - decode;
    }

    /// <summary>
    /// The offset of a sample whose order count is unknown (an unreadable slice header): presented as if its display
    /// slot were its decoding slot, which keeps it near its neighbours.
    /// </summary>
    public int NextUnordered(uint duration)
    {
        double steadyLead = AdvanceClock(duration);
        if (_reorderDepth == 0 || !_started) return 0;
        _decodeIndex++;
        return OffsetFrom(steadyLead, _reorderDepth);
    }

    private void UpdateFrameDuration(uint duration)
    {
        if (duration == 0) return;
        if (_frameDuration == 0)
        {
            _frameDuration = duration;
            return;
        }
        // Capped so one stall barely moves it, while a lasting change of rate is followed within a few dozen frames.
        _frameDuration += (Math.Min(duration, 3 * _frameDuration) - _frameDuration) * AverageWeight;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
