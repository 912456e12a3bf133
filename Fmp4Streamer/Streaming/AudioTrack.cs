using Fmp4Streamer.Audio;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Mp4;

namespace Fmp4Streamer.Streaming;

/// <summary>
/// The audio side of a stream: collects the source's PCM into encoder frames, encodes each once into a pending
/// queue, and hands the queue to the next video fragment with its decode time on the video's timeline. Both
/// timelines come from CLOCK_MONOTONIC capture times: the video's through its <see cref="SampleTimeline"/>, the
/// audio's through an <see cref="AudioClock"/> that counts samples, so the offset between them cannot grow.
/// </summary>
/// <remarks>
/// Units are contiguous in the stream (each lasts <see cref="IAudioEncoder.FrameSamples"/> ticks); when the
/// measured time strays from the contiguous one by more than 1/<see cref="ResyncDivisor"/> of a second (clock
/// drift adds up to that after some seconds, an overrun at once) the next fragment's audio starts at the
/// measured time instead, leaving a short gap or overlap that players bridge. Allocates nothing per unit.
/// </remarks>
public sealed class AudioTrack : IPcmSink
{
    /// <summary>
    /// Audio 1/500 s (2 ms) from its contiguous place is put back: more than the smoothed clock's jitter, less
    /// than anyone hears as an echo or a lip-sync error.
    /// </summary>
    public const int ResyncDivisor = 500;

    /// <summary>Units kept while no video frame takes them (a stalled camera): about 0.7 s at 48 kHz.</summary>
    public const int MaxPending = 32;

    private readonly IAudioSource _source;
    private readonly IAudioEncoder _encoder;
    private readonly string _name;
    private readonly AudioClock _clock;
    private readonly short[] _block;
    private int _filled;
    private long _blockFirstUs;

    private readonly byte[] _pending;
    private readonly int[] _pendingSizes = new int[MaxPending];
    private int _pendingCount;
    private int _pendingBytes;
    private long _pendingFirstUs;

    private bool _placed;
    private ulong _nextDecodeTime;

    public AudioTrack(IAudioSource source, IAudioEncoder encoder, string name)
    {
        _source = source;
        _encoder = encoder;
        _name = name;
        SampleRate = source.SampleRate;
        Channels = source.Channels;
        FrameSamples = encoder.FrameSamples;
        _clock = new AudioClock(SampleRate);
        _block = new short[FrameSamples * Channels];
        _pending = new byte[MaxPending * encoder.MaxUnitBytes];
    }

    public int SampleRate { get; }
    public int Channels { get; }
    public int FrameSamples { get; }
    public string Codecs => _encoder.Codecs;
    public ReadOnlySpan<byte> AudioSpecificConfig => _encoder.AudioSpecificConfig;
    public IAudioSource Source => _source;

    /// <summary>Units encoded, units dropped (no video frame took them in time), runs restarted, resyncs.</summary>
    public long UnitsEncoded { get; private set; }
    public long UnitsDropped { get; private set; }
    public long Discontinuities { get; private set; }
    public long Resyncs { get; private set; }

    public int PendingCount => _pendingCount;
    public int PendingBytes => _pendingBytes;
    public ReadOnlySpan<int> PendingSizes => _pendingSizes.AsSpan(0, _pendingCount);

    /// <summary>The pending units' bytes, back to back, in order.</summary>
    public ReadOnlySpan<byte> PendingData => _pending.AsSpan(0, _pendingBytes);

    /// <summary>When the first pending unit's decoded sound was captured (CLOCK_MONOTONIC µs).</summary>
    public long PendingFirstUs => _pendingFirstUs;

    public AudioTrackParameters Parameters => new(_encoder.AudioSpecificConfig, SampleRate, Channels, FrameSamples);

    public void Start()
    {
        _filled = 0;
        _clock.Break();
        DiscardPending();
        _source.Start(this);
    }

    public void Stop() => _source.Stop();

    public void OnPcm(ReadOnlySpan<short> samples, long firstSampleUs)
    {
        int frames = samples.Length / Channels;
        long chunkUs = _clock.Place(frames, firstSampleUs);
        int offset = 0;
        while (offset < frames)
        {
            if (_filled == 0) _blockFirstUs = chunkUs + (long)offset * 1_000_000 / SampleRate;
            int take = Math.Min(FrameSamples - _filled, frames - offset);
            samples.Slice(offset * Channels, take * Channels).CopyTo(_block.AsSpan(_filled * Channels));
            _filled += take;
            offset += take;
            if (_filled == FrameSamples)
            {
                _filled = 0;
                EncodeBlock();
            }
        }
    }

    public void OnPcmDiscontinuity(string reason)
    {
        Discontinuities++;
        _clock.Break();
        _filled = 0;
        Log.Info(_name, "audio: " + reason + "; samples lost, audio resumes at its capture time");
    }

    private void EncodeBlock()
    {
        if (_pendingCount == MaxPending || _pendingBytes + _encoder.MaxUnitBytes > _pending.Length)
        {
            UnitsDropped += _pendingCount;
            DiscardPending();
        }
        // The decoded unit starts DelaySamples before the input it was made from (the encoder's priming).
        long unitUs = _blockFirstUs - (long)_encoder.DelaySamples * 1_000_000 / SampleRate;
        int size = _encoder.Encode(_block, _pending.AsSpan(_pendingBytes));
        if (size <= 0) return;
        if (_pendingCount == 0) _pendingFirstUs = unitUs;
        _pendingSizes[_pendingCount++] = size;
        _pendingBytes += size;
        UnitsEncoded++;
    }

    /// <summary>
    /// Forgets the pending units (nobody takes this fragment, or they cannot be placed); the next ones are placed at
    /// their measured time.
    /// </summary>
    public void DiscardPending()
    {
        _pendingCount = 0;
        _pendingBytes = 0;
        _placed = false;
    }

    /// <summary>The pending units went into a fragment at the place <see cref="TryPlacePending"/> gave them.</summary>
    public void OnPendingTaken()
    {
        _pendingCount = 0;
        _pendingBytes = 0;
    }

    /// <summary>
    /// The decode time (in samples) of the pending units on the video's timeline; false (and the units dropped)
    /// when they cannot be placed: the video has no timeline yet, or they precede its start.
    /// </summary>
    public bool TryPlacePending(SampleTimeline video, out ulong decodeTime)
    {
        decodeTime = 0;
        if (_pendingCount == 0) return false;
        if (!video.TryMediaTimeUs(_pendingFirstUs, out long mediaUs) || mediaUs < 0)
        {
            UnitsDropped += _pendingCount;
            DiscardPending();
            return false;
        }
        ulong measured = (ulong)(mediaUs / 1_000_000 * SampleRate + mediaUs % 1_000_000 * SampleRate / 1_000_000);
        ulong tolerance = (ulong)(SampleRate / ResyncDivisor);
        if (!_placed || (measured > _nextDecodeTime ? measured - _nextDecodeTime : _nextDecodeTime - measured) > tolerance)
        {
            if (_placed) Resyncs++;
            _placed = true;
            _nextDecodeTime = measured;
        }
        decodeTime = _nextDecodeTime;
        _nextDecodeTime += (ulong)(_pendingCount * FrameSamples);
        return true;
    }
}
