namespace Fmp4Streamer.Streaming;

/// <summary>
/// One moof+mdat built once and sent to every client. Reference-counted on the loop thread: every holder
/// (a client's send queue, the HLS window) calls <see cref="Retain"/> and <see cref="Release"/>; the last
/// release returns the buffer to its pool.
/// </summary>
public sealed class SharedFragment
{
    private readonly FragmentPool _pool;
    private int _references;

    internal SharedFragment(FragmentPool pool, int capacity)
    {
        _pool = pool;
        Buffer = new byte[capacity];
    }

    public byte[] Buffer { get; private set; }

    /// <summary>Bytes of moof+mdat in <see cref="Buffer"/>.</summary>
    public int Length { get; internal set; }

    /// <summary>The fragment's sample is a sync sample (IDR): a client may start or resume here.</summary>
    public bool IsKeyFrame { get; internal set; }

    /// <summary>Capture time of the frame (CLOCK_MONOTONIC, µs), for latency accounting.</summary>
    public long CaptureTimeUs { get; internal set; }

    /// <summary>When the hub received the frame (CLOCK_MONOTONIC, µs), for the fan-out delay statistics.</summary>
    public long ArrivalUs { get; internal set; }

    /// <summary>
    /// Kept for later requests (the HLS window): its last release says nothing about how fast the live fan-out
    /// was, so the pool leaves it out of <see cref="FragmentPool.FanOutDelay"/>.
    /// </summary>
    public bool HeldForReplay { get; set; }

    /// <summary>The fragment's baseMediaDecodeTime and duration in the track timescale (HLS needs them).</summary>
    public ulong DecodeTime { get; internal set; }
    public uint Duration { get; internal set; }

    /// <summary>
    /// The fragment has an audio traf (<see cref="Mp4.AvFragmentWriter"/>): a second tfdt, in the audio track's
    /// timescale (<see cref="InitSegment.AudioSampleRate"/>), at <see cref="Mp4.AvFragmentWriter.AudioTfdtValueOffset"/>.
    /// </summary>
    public bool HasAudio { get; internal set; }

    /// <summary>The init segment these fragments belong to.</summary>
    public InitSegment Init { get; internal set; } = null!;

    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    public int References => _references;

    public void Retain() => _references++;

    public void Release()
    {
        if (--_references == 0) _pool.Return(this);
    }

    internal void EnsureCapacity(int bytes)
    {
        if (Buffer.Length < bytes) Buffer = new byte[Math.Max(bytes, Buffer.Length * 3 / 2)];
    }

    internal void ResetForReuse() => _references = 1;
}
