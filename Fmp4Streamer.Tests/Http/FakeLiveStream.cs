using System.Buffers.Binary;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Streaming.Hls;

namespace Fmp4Streamer.Tests.Http;

/// <summary>
/// An <see cref="ILiveStream"/> that publishes synthetic fragments from a real <see cref="FragmentPool"/>, with
/// the hub's join rule: a subscriber starts at the next key frame. Fragment bytes are a box
/// [size u32]["frag"][sequence u32][key u8][filler], the init segment a box [size]["init"][filler].
/// </summary>
internal sealed class FakeLiveStream : ILiveStream
{
    public const int FragmentHeader = 13;

    private readonly List<IFragmentSubscriber> _joined = new();
    private readonly List<IFragmentSubscriber> _waiting = new();
    private IFragmentSubscriber[] _snapshot = new IFragmentSubscriber[16];

    public FakeLiveStream(string name = "video0", bool withInit = true)
    {
        Name = name;
        if (withInit) Init = MakeInit("avc1.64001f");
    }

    public static InitSegment MakeInit(string codecs)
    {
        var bytes = new byte[40];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 40);
        "init"u8.CopyTo(bytes.AsSpan(4));
        return new InitSegment(bytes, codecs, 640, 480, 90000);
    }

    /// <summary>The configured sound's codecs (null: none).</summary>
    public string? AudioCodecs { get; set; }

    /// <summary>The loop and options the segmenter is made with (the server fixture sets them).</summary>
    public EventLoop? Loop { get; set; }
    public HlsOptions HlsOptions { get; set; } = new();
    private HlsSegmenter? _hls;

    public HlsSegmenter Hls => _hls ??= new HlsSegmenter(Loop ?? throw new InvalidOperationException("no loop"), this, HlsOptions);
    public HlsSegmenter? HlsIfCreated => _hls;

    /// <summary>Stops the segmenter, as the hub's Close does.</summary>
    public void Close() => _hls?.Close();

    public FragmentPool Pool { get; } = new(Fmp4Streamer.Linux.SystemClock.Instance, initialCapacity: 1024);
    public string Name { get; }
    public InitSegment? Init { get; set; }
    public int ConfiguredWidth => 640;
    public int ConfiguredHeight => 480;

    /// <summary>Stands for a camera without an encoder: the video routes answer 404.</summary>
    public bool PicturesOnly { get; set; }
    public int SubscriberCount => _joined.Count + _waiting.Count;
    public int SubscribeCalls { get; private set; }
    public int Sequence { get; private set; }

    /// <summary>
    /// Capture time (µs) of the first published frame; later frames follow at their duration. 0: no capture times.
    /// Moving it forward simulates a stalled source whose timeline the hub keeps continuous.
    /// </summary>
    public long CaptureStartUs { get; set; }

    /// <summary>Frames skipped by the source: the next fragment's decode time jumps (a restarted source).</summary>
    public void SkipFrames(int frames) => Sequence += frames;

    /// <summary>Duration of every published fragment in 90 kHz ticks (HLS segments sum them).</summary>
    public uint FragmentDuration { get; set; } = 3000;

    public void Subscribe(IFragmentSubscriber subscriber)
    {
        SubscribeCalls++;
        _waiting.Add(subscriber);
    }

    public void Unsubscribe(IFragmentSubscriber subscriber)
    {
        _joined.Remove(subscriber);
        _waiting.Remove(subscriber);
    }

    /// <summary>Builds the next fragment and hands it to every subscriber (allocation-free once warm).</summary>
    public void Publish(bool keyFrame, int size = 200)
    {
        var fragment = Pool.Rent(size);
        var span = fragment.Buffer.AsSpan(0, size);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)size);
        "frag"u8.CopyTo(span[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], (uint)Sequence);
        span[12] = keyFrame ? (byte)1 : (byte)0;
        span[FragmentHeader..].Fill(0xAB);
        fragment.Length = size;
        FanOut(fragment, keyFrame);
    }

    /// <summary>Publishes real fragment bytes (moof+mdat from ffmpeg).</summary>
    public void PublishData(ReadOnlySpan<byte> data, bool keyFrame)
    {
        var fragment = Pool.Rent(data.Length);
        data.CopyTo(fragment.Buffer);
        fragment.Length = data.Length;
        FanOut(fragment, keyFrame);
    }

    private void FanOut(SharedFragment fragment, bool keyFrame)
    {
        fragment.IsKeyFrame = keyFrame;
        fragment.Init = Init!;
        fragment.DecodeTime = (ulong)Sequence * FragmentDuration;
        fragment.Duration = FragmentDuration;
        fragment.CaptureTimeUs = CaptureStartUs == 0 ? 0 : CaptureStartUs + (long)Sequence * FragmentDuration * 1000 / 90;
        Sequence++;

        if (keyFrame && _waiting.Count > 0)
        {
            _joined.AddRange(_waiting);
            _waiting.Clear();
        }
        // Subscribers may unsubscribe during the fan-out: iterate over a copy.
        int n = _joined.Count;
        if (_snapshot.Length < n) _snapshot = new IFragmentSubscriber[n * 2];
        _joined.CopyTo(_snapshot);
        for (int i = 0; i < n; i++) _snapshot[i].OnFragment(fragment);
        Array.Clear(_snapshot, 0, n);
        fragment.Release();
    }

    /// <summary>New parameter sets: tells every subscriber to end.</summary>
    public void Reset()
    {
        var all = _joined.ToArray();
        foreach (var s in all) s.OnStreamReset();
    }
}
