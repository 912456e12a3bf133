using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Diagnostics.Metrics;
using Fmp4Streamer.H264;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Mp4;
using Fmp4Streamer.Streaming.Hls;

namespace Fmp4Streamer.Streaming;

/// <summary>
/// The middle of one camera's pipeline: takes access units from its source, builds each moof+mdat once into a
/// pooled <see cref="SharedFragment"/> (the one copy of the frame, start codes turned into lengths on the way)
/// and hands it to every subscriber. Joining subscribers start at the next key frame; the source sleeps while
/// nobody watches. Outputs that need the access units themselves (<see cref="IAccessUnitOutput"/>: pictures today)
/// attach beside the fragment subscribers, with the same key-frame start and, while they hold it, the same wake and sleep.
/// </summary>
public sealed class StreamHub : ILiveStream, IAccessUnitSink, ITimerCallback
{
    private IVideoSource _source;
    private StreamHubOptions _options;
    private readonly FragmentPool _pool;
    private readonly IClock _clock;
    private SampleTimeline _timeline;
    private readonly LoopTimer _sleepTimer;
    private readonly ParameterSets _parameterSets = new();
    private readonly PresentationOrder _presentationOrder;
    private readonly AudioTrack? _audio;
    private readonly EventLoop _loop;
    private HlsSegmenter? _hls;

    // Copy-on-write arrays: delivery iterates a stable snapshot while callbacks may unsubscribe.
    private IFragmentSubscriber[] _active = Array.Empty<IFragmentSubscriber>();
    private IFragmentSubscriber[] _waiting = Array.Empty<IFragmentSubscriber>();
    private readonly AccessUnitOutputs _outputs = new();

    private uint _sequenceNumber = 1;
    private bool _sourceRunning;
    private long _lastKeyFrameRequestUs;
    private long _lastJoinRequestUs = long.MinValue / 2;
    private bool _warnedNoParameterSets;

    public StreamHub(EventLoop loop, IVideoSource source, StreamHubOptions options, AudioTrack? audio = null)
    {
        _source = source;
        _audio = audio;
        _options = options;
        _loop = loop;
        _timeline = new SampleTimeline(Timescales.Video, source.FramesPerSecond);
        _sleepTimer = new LoopTimer(loop, this);
        _clock = loop.Clock;
        _pool = new FragmentPool(_clock, Stats.FanOutDelay);
        _presentationOrder = new PresentationOrder(options.Name);
    }

    public string Name => _options.Name;
    public InitSegment? Init { get; private set; }
    public int ConfiguredWidth => InitSegment.Displayed(_options.ConfiguredWidth, _options.ConfiguredHeight, _options.Rotation).Width;
    public int ConfiguredHeight => InitSegment.Displayed(_options.ConfiguredWidth, _options.ConfiguredHeight, _options.Rotation).Height;
    public IVideoSource Source => _source;

    /// <summary>The source gives pictures only: the video URLs of this stream answer 404.</summary>
    public bool PicturesOnly => _source.PicturesOnly;

    /// <summary>The stream's sound, or null for a picture-only stream.</summary>
    public AudioTrack? Audio => _audio;

    public string? AudioCodecs => _audio?.Codecs;
    public HlsSegmenter Hls => _hls ??= new HlsSegmenter(_loop, this, _options.Hls);

    /// <summary>The segmenter if HLS was ever requested (statistics, tests).</summary>
    public HlsSegmenter? HlsIfCreated => _hls;

    /// <summary>Frames, bytes, key-frame requests, restarts and fan-out delay of this stream.</summary>
    public StreamStats Stats { get; } = new();

    /// <summary>Frames muxed and bytes produced since start, for logs and bandwidth estimates.</summary>
    public long FramesMuxed => Stats.FramesMuxed.Value;
    public long BytesMuxed => Stats.BytesMuxed.Value;

    /// <summary>Registers <see cref="Stats"/> and the stream's subscriber and source state, labelled with its name.</summary>
    public void Register(MetricsRegistry registry)
    {
        Stats.Register(registry, Name);
        string labels = MetricsRegistry.Labels(("stream", Name));
        registry.Add("fmp4streamer_subscribers", "Outputs subscribed to the stream (progressive clients, HLS segmenter).",
            MetricType.Gauge, labels, (Func<long>)(() => SubscriberCount));
        registry.Add("fmp4streamer_source_running", "1 while the source runs, 0 while it sleeps.",
            MetricType.Gauge, labels, (Func<long>)(() => _sourceRunning ? 1 : 0));
    }
    public int SubscriberCount => _active.Length + _waiting.Length + _outputs.Holders;
    public bool IsSourceRunning => _sourceRunning;

    /// <summary>Fragments still referenced by someone; 0 when every subscriber has released its share.</summary>
    public int OutstandingFragments => _pool.Outstanding;

    /// <summary>Arrival-to-last-byte-sent delay of every muxed frame.</summary>
    public DelayHistogram FanOutDelay => _pool.FanOutDelay;

    /// <summary>Starts the source at once when it must not sleep; otherwise it starts with the first subscriber.</summary>
    public void Open()
    {
        // Outputs that hold the source (an MJPEG client, an RTSP session) outlive a reload's replaced source.
        if (!_options.AutoSleep || _outputs.Holders > 0) StartSource();
    }

    public void Subscribe(IFragmentSubscriber subscriber)
    {
        _waiting = Append(_waiting, subscriber);
        _sleepTimer.Stop();
        if (!_sourceRunning) StartSource(); // a fresh start begins with an IDR
        else RequestKeyFrameForJoiner();
    }

    public void Unsubscribe(IFragmentSubscriber subscriber)
    {
        _waiting = Without(_waiting, subscriber);
        _active = Without(_active, subscriber);
        StartSleepTimerIfUnwatched();
    }

    /// <summary>Adds an output of access units: it sees every unit from the next key frame on while the source runs.</summary>
    public void AttachOutput(IAccessUnitOutput output) => _outputs.Attach(output);

    public void DetachOutput(IAccessUnitOutput output)
    {
        if (_outputs.Detach(output)) StartSleepTimerIfUnwatched();
    }

    /// <summary>The attached output counts as a viewer: wakes the source, or asks for a key frame if it has none yet.</summary>
    public void HoldSource(IAccessUnitOutput output)
    {
        if (!_outputs.SetHold(output, true)) return;
        _sleepTimer.Stop();
        if (!_sourceRunning) StartSource();
        else if (!_outputs.IsStarted(output)) RequestKeyFrameForJoiner();
    }

    /// <summary>The output no longer keeps the source awake (the sleep grace starts when nobody else watches).</summary>
    public void ReleaseSource(IAccessUnitOutput output)
    {
        if (_outputs.SetHold(output, false)) StartSleepTimerIfUnwatched();
    }

    private void StartSleepTimerIfUnwatched()
    {
        if (SubscriberCount == 0 && _options.AutoSleep && _sourceRunning) _sleepTimer.Start(_options.SleepGraceUs);
    }

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        if (SubscriberCount > 0 || !_sourceRunning) return;
        Log.Info(Name, "nobody watches: source going to sleep");
        _sourceRunning = false;
        _source.Stop();
        _audio?.Stop();
        _outputs.Discontinue();
    }

    public void Close()
    {
        _hls?.Close();
        _sleepTimer.Stop();
        foreach (var s in _active) s.OnStreamReset();
        foreach (var s in _waiting) s.OnStreamReset();
        _active = _waiting = Array.Empty<IFragmentSubscriber>();
        if (_sourceRunning)
        {
            _source.Stop();
            _audio?.Stop();
        }
        _sourceRunning = false;
        _outputs.Discontinue();
    }

    /// <summary>
    /// A reload changed this camera's configuration: its clients are reset (pages reconnect), the old source is
    /// stopped and released, and the new one runs under the same name and URLs.
    /// </summary>
    public void ReplaceSource(IVideoSource source, StreamHubOptions options)
    {
        Close();
        _source.Dispose();
        _source = source;
        _options = options with { Name = _options.Name };
        _timeline = new SampleTimeline(Timescales.Video, source.FramesPerSecond);
        Open();
        SourceReplaced?.Invoke();
    }

    /// <summary>
    /// After <see cref="ReplaceSource"/>: the new source may be of another kind (H264 or a pictures-only camera), so
    /// outputs that take camera frames or access units choose again.
    /// </summary>
    public event Action? SourceReplaced;

    public void OnSourceInterrupted(string reason)
    {
        Stats.SourceRestarts.Increment();
        Log.Warning(Name, $"source interrupted: {reason}; clients wait for the next key frame");
        // After a restart the decoder state of the clients is gone: resume them at a key frame.
        if (_active.Length > 0)
        {
            var merged = new IFragmentSubscriber[_waiting.Length + _active.Length];
            _waiting.CopyTo(merged, 0);
            _active.CopyTo(merged, _waiting.Length);
            _waiting = merged;
            _active = Array.Empty<IFragmentSubscriber>();
        }
        _timeline.Reset();
        _presentationOrder.Reset();
        _outputs.Discontinue();
    }

    public void OnAccessUnit(ReadOnlySpan<byte> annexB, long captureTimeUs)
    {
        long arrivalUs = _clock.NowUs;
        var frame = AccessUnitInfo.Scan(annexB);
        if (frame.HasParameterSets && _parameterSets.Update(annexB)) OnParameterSetsChanged();
        if (!frame.HasPicture) return;
        Stats.FramesCaptured.Increment();
        var init = Init;
        if (init is null)
        {
            Stats.FramesSkipped.Increment();
            if (!_warnedNoParameterSets) Log.Warning(Name, "frames without SPS/PPS yet: asking for a key frame");
            _warnedNoParameterSets = true;
            RequestKeyFrame();
            return;
        }

        var (decodeTime, duration) = _timeline.Next(captureTimeUs);
        // Every frame, watched or not: picture order counts follow from the previous pictures.
        int compositionOffset = _presentationOrder.Next(annexB, duration);
        if (_outputs.Count > 0)
        {
            _outputs.Deliver(new AccessUnit(annexB, frame.IsKeyFrame, captureTimeUs, arrivalUs, _parameterSets.Sps, _parameterSets.Pps));
            if (!frame.IsKeyFrame && _outputs.HolderWaiting) RetryKeyFrameRequest();
        }
        if (_active.Length == 0 && (_waiting.Length == 0 || !frame.IsKeyFrame))
        {
            if (_waiting.Length > 0) RetryKeyFrameRequest();
            Stats.FramesSkipped.Increment();
            _audio?.DiscardPending();
            return; // nobody can use this frame: skip the copy
        }

        ulong audioDecodeTime = 0;
        bool withAudio = _audio is not null && _audio.TryPlacePending(_timeline, out audioDecodeTime);
        int headerSize = withAudio ? AvFragmentWriter.HeaderSize(_audio!.PendingCount) : FragmentWriter.HeaderSize;
        int audioBytes = withAudio ? _audio!.PendingBytes : 0;
        // A 3-byte start code becomes a 4-byte length and every NAL takes at least 4 bytes with its start code,
        // so the sample is at most a quarter larger than the Annex-B input: no separate sizing pass.
        var fragment = _pool.Rent(headerSize + annexB.Length + annexB.Length / 4 + 4 + audioBytes);
        var buffer = fragment.Buffer.AsSpan();
        int sampleSize = AnnexB.ConvertToAvcc(annexB, buffer.Slice(headerSize));
        if (withAudio)
        {
            _audio!.PendingData.CopyTo(buffer.Slice(headerSize + sampleSize));
            AvFragmentWriter.WriteHeader(buffer, _sequenceNumber++, decodeTime, duration, frame.IsKeyFrame, sampleSize,
                compositionOffset, audioDecodeTime, _audio.FrameSamples, _audio.PendingSizes);
            _audio.OnPendingTaken();
        }
        else
        {
            FragmentWriter.WriteHeader(buffer, _sequenceNumber++, decodeTime, duration, frame.IsKeyFrame, sampleSize,
                compositionOffset);
        }
        fragment.Length = headerSize + sampleSize + audioBytes;
        fragment.HasAudio = withAudio;
        fragment.IsKeyFrame = frame.IsKeyFrame;
        fragment.CaptureTimeUs = captureTimeUs;
        fragment.ArrivalUs = arrivalUs;
        fragment.DecodeTime = decodeTime;
        fragment.Duration = duration;
        fragment.Init = init;
        Stats.FramesMuxed.Increment();
        Stats.BytesMuxed.Add(fragment.Length);

        if (frame.IsKeyFrame && _waiting.Length > 0) PromoteWaiting();
        else if (_waiting.Length > 0) RetryKeyFrameRequest();

        var active = _active;
        for (int i = 0; i < active.Length; i++) active[i].OnFragment(fragment);
        fragment.Release();
    }

    private void OnParameterSetsChanged()
    {
        if (!Sps.TryParse(_parameterSets.Sps, out var sps))
        {
            Log.Warning(Name, "cannot parse the SPS: keeping the previous stream parameters");
            return;
        }
        byte[] bytes = InitSegmentWriter.Build(new InitSegmentParameters(
            _parameterSets.Sps, _parameterSets.Pps, sps.Width, sps.Height, Timescales.Video, _options.Rotation,
            _audio is null ? default : _audio.Parameters));
        _presentationOrder.SetParameterSets(sps, _parameterSets.Pps);
        bool replaced = Init is not null;
        string codecs = _audio is null ? sps.CodecsString : sps.CodecsString + "," + _audio.Codecs;
        Init = new InitSegment(bytes, codecs, sps.Width, sps.Height, Timescales.Video, _options.Rotation,
            _audio?.SampleRate ?? 0);
        Log.Info(Name, $"{(replaced ? "new stream parameters" : "stream")}: {sps.Width}x{sps.Height} {sps.CodecsString}");
        if (replaced && _active.Length > 0)
        {
            // Clients decoding with the old avcC must restart; their pages reconnect.
            var ended = _active;
            _active = Array.Empty<IFragmentSubscriber>();
            foreach (var s in ended) s.OnStreamReset();
        }
    }

    private void PromoteWaiting()
    {
        var merged = new IFragmentSubscriber[_active.Length + _waiting.Length];
        _active.CopyTo(merged, 0);
        _waiting.CopyTo(merged, _active.Length);
        _active = merged;
        _waiting = Array.Empty<IFragmentSubscriber>();
    }

    private void StartSource()
    {
        _sourceRunning = true;
        _timeline.Reset();
        _presentationOrder.Reset();
        _lastKeyFrameRequestUs = _clock.NowUs;
        Stats.SourceStarts.Increment();
        Log.Info(Name, $"starting {_source.Description}" + (_audio is null ? "" : " with " + _audio.Source.Description));
        _source.Start(this);
        _audio?.Start();
    }

    private void RequestKeyFrame()
    {
        if (_source.PicturesOnly) return; // no H264: nothing to ask for
        Stats.KeyFrameRequests.Increment();
        _lastKeyFrameRequestUs = _lastJoinRequestUs = _clock.NowUs;
        _source.RequestKeyFrame();
    }

    /// <summary>
    /// At most one request per retry interval for joiners: a client reconnecting in a loop (30 times a second) made
    /// a camera send nearly every frame as an IDR, at 11 times the bit rate. Joiners within the interval wait for
    /// the key frame already asked for; <see cref="RetryKeyFrameRequest"/> asks again once it has passed. A source
    /// start is no request here: its first IDR may be long gone when the next client joins.
    /// </summary>
    private void RequestKeyFrameForJoiner()
    {
        if (_clock.NowUs - _lastJoinRequestUs >= _options.KeyFrameRetryUs) RequestKeyFrame();
    }

    private void RetryKeyFrameRequest()
    {
        if (_clock.NowUs - _lastKeyFrameRequestUs >= _options.KeyFrameRetryUs) RequestKeyFrame();
    }

    private static IFragmentSubscriber[] Append(IFragmentSubscriber[] array, IFragmentSubscriber item)
    {
        var result = new IFragmentSubscriber[array.Length + 1];
        array.CopyTo(result, 0);
        result[^1] = item;
        return result;
    }

    private static IFragmentSubscriber[] Without(IFragmentSubscriber[] array, IFragmentSubscriber item)
    {
        int index = Array.IndexOf(array, item);
        if (index < 0) return array;
        var result = new IFragmentSubscriber[array.Length - 1];
        Array.Copy(array, 0, result, 0, index);
        Array.Copy(array, index + 1, result, index, array.Length - index - 1);
        return result;
    }
}
