namespace Fmp4Streamer.Mp4;

/// <summary>
/// Turns capture timestamps into decode times and durations for one stream (compatibility §4, without its failure modes).
/// </summary>
/// <remarks>
/// A frame lasts from the previous frame's capture time to its own, as in the original; the first frame (and any
/// frame without a timestamp) lasts the nominal 1/fps. Frame ends are computed from an anchor, not by adding
/// rounded gaps, so rounding never accumulates. A timestamp that goes backwards or jumps more than 2 s (a
/// stalled or restarted source) gets the nominal duration and becomes the new anchor; decode time never goes
/// backwards and every duration is at least one tick (MSE players mishandle zero-length samples). Not
/// thread-safe: the loop thread owns it.
/// </remarks>
public sealed class SampleTimeline
{
    /// <summary>Gaps longer than this are a stall, not a long frame.</summary>
    public const long MaxGapUs = 2_000_000;

    private const long UsPerSecond = 1_000_000;

    private readonly uint _timescale;
    private ulong _end;
    private bool _hasPrevious;
    private long _previousUs;
    private long _anchorUs;
    private ulong _anchorTicks;

    /// <param name="timescale">Ticks per second (1..int.MaxValue), usually <see cref="Timescales.Video"/>.</param>
    /// <param name="nominalFps">The configured frame rate, for frames whose duration cannot be measured.</param>
    public SampleTimeline(uint timescale, int nominalFps)
    {
        if (timescale is 0 or > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(timescale), timescale, "timescale must be 1..2^31-1");
        if (nominalFps <= 0)
            throw new ArgumentOutOfRangeException(nameof(nominalFps), nominalFps, "frame rate must be positive");
        _timescale = timescale;
        NominalDuration = Math.Max(1u, (uint)((timescale + (ulong)nominalFps / 2) / (ulong)nominalFps));
    }

    /// <summary>1/fps in ticks, rounded to nearest.</summary>
    public uint NominalDuration { get; }

    /// <summary>The decode time the next sample will get: where the timeline ends now.</summary>
    public ulong NextDecodeTime => _end;

    /// <summary>Places the next frame.</summary>
    /// <param name="captureTimeUs">CLOCK_MONOTONIC capture time in µs; 0 when the source has none.</param>
    public SampleTime Next(long captureTimeUs)
    {
        ulong decodeTime = _end;
        if (captureTimeUs == 0)
        {
            // The next timestamped frame has nothing to measure against: it starts a new anchor.
            _hasPrevious = false;
            _end = decodeTime + NominalDuration;
            return new SampleTime(decodeTime, NominalDuration);
        }

        if (!_hasPrevious || captureTimeUs < _previousUs || captureTimeUs - _previousUs > MaxGapUs)
        {
            _end = decodeTime + NominalDuration;
            _anchorUs = captureTimeUs;
            _anchorTicks = _end;
            _hasPrevious = true;
            _previousUs = captureTimeUs;
            return new SampleTime(decodeTime, NominalDuration);
        }

        ulong end = _anchorTicks + Ticks(captureTimeUs - _anchorUs);
        if (end <= decodeTime) end = decodeTime + 1; // equal timestamps, or rounding after an earlier 1-tick bump
        _end = end;
        _previousUs = captureTimeUs;
        // At most MaxGapUs of ticks plus one: fits in uint because timescale <= int.MaxValue.
        return new SampleTime(decodeTime, (uint)(end - decodeTime));
    }

    /// <summary>
    /// Where a CLOCK_MONOTONIC instant falls on the media timeline, in µs: the anchor frame's decode time plus the
    /// time since its capture. A picture captured at c is decoded there (within its frame's jitter), so sound
    /// captured at c belongs there too. False before the first timestamped frame of a run.
    /// </summary>
    public bool TryMediaTimeUs(long captureTimeUs, out long mediaUs)
    {
        mediaUs = 0;
        if (!_hasPrevious) return false;
        long anchorMediaUs = (long)((_anchorTicks - NominalDuration) * UsPerSecond / _timescale);
        mediaUs = anchorMediaUs + (captureTimeUs - _anchorUs);
        return true;
    }

    /// <summary>
    /// The source restarted (new device, new clock base): the next frame continues where the timeline ends, with
    /// the nominal duration, so decode time stays monotonic for clients that stay connected.
    /// </summary>
    public void Reset() => _hasPrevious = false;

    /// <summary>round(µs × timescale / 10^6), half up, without overflow for any non-negative span.</summary>
    private ulong Ticks(long us)
    {
        ulong seconds = (ulong)(us / UsPerSecond);
        ulong rest = (ulong)(us % UsPerSecond);
        return seconds * _timescale + (rest * _timescale + UsPerSecond / 2) / UsPerSecond;
    }
}
