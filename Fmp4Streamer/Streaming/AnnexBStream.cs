using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming.Hls;

namespace Fmp4Streamer.Streaming;

/// <summary>
/// One camera as raw H264 (Annex-B, for /stream.h264): subscribes to the hub while someone listens, rewrites each
/// fragment's sample once into a pooled buffer (4-byte lengths become start codes; the SPS and PPS go before every
/// key frame, so a reader can start at any of them) and hands it to every subscriber, who start at a key frame.
/// </summary>
public sealed class AnnexBStream : ILiveStream, IFragmentSubscriber
{
    private static ReadOnlySpan<byte> StartCode => [0, 0, 0, 1];

    private readonly ILiveStream _live;
    private readonly FragmentPool _pool;
    private IFragmentSubscriber[] _active = Array.Empty<IFragmentSubscriber>();
    private IFragmentSubscriber[] _waiting = Array.Empty<IFragmentSubscriber>();
    private bool _subscribed;
    private InitSegment? _parsedInit;
    private byte[] _sps = Array.Empty<byte>(), _pps = Array.Empty<byte>();

    public AnnexBStream(ILiveStream live, IClock clock)
    {
        _live = live;
        _pool = new FragmentPool(clock);
    }

    public string Name => _live.Name;
    public InitSegment? Init => _live.Init;
    public int ConfiguredWidth => _live.ConfiguredWidth;
    public int ConfiguredHeight => _live.ConfiguredHeight;

    /// <summary>The camera's segmenter: HLS is made from the fMP4 fragments, not from this raw view.</summary>
    public HlsSegmenter Hls => _live.Hls;
    public int OutstandingBuffers => _pool.Outstanding;

    public void Subscribe(IFragmentSubscriber subscriber)
    {
        _waiting = [.. _waiting, subscriber];
        if (_subscribed) return; // the newcomer waits for the next key frame; the others carry on
        _subscribed = true;
        _live.Subscribe(this);
    }

    public void Unsubscribe(IFragmentSubscriber subscriber)
    {
        _waiting = Array.FindAll(_waiting, s => s != subscriber);
        _active = Array.FindAll(_active, s => s != subscriber);
        if (_waiting.Length + _active.Length == 0 && _subscribed)
        {
            _subscribed = false;
            _live.Unsubscribe(this);
        }
    }

    void IFragmentSubscriber.OnFragment(SharedFragment fragment)
    {
        if (fragment.IsKeyFrame && _waiting.Length > 0)
        {
            _active = [.. _active, .. _waiting];
            _waiting = Array.Empty<IFragmentSubscriber>();
        }
        var active = _active;
        if (active.Length == 0 || !TryReadSample(fragment.Span, out var sample)) return;
        if (!ReferenceEquals(fragment.Init, _parsedInit)) ReadParameterSets(fragment.Init);

        int size = sample.Length + (fragment.IsKeyFrame ? 8 + _sps.Length + _pps.Length : 0);
        var raw = _pool.Rent(size);
        var dest = raw.Buffer.AsSpan();
        int at = 0;
        if (fragment.IsKeyFrame)
        {
            Append(dest, ref at, _sps);
            Append(dest, ref at, _pps);
        }
        var rest = sample;
        while (rest.Length >= 4)
        {
            int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rest);
            if (length < 0 || length > rest.Length - 4) break;
            var nal = rest.Slice(4, length);
            rest = rest[(4 + length)..];
            int type = length > 0 ? nal[0] & 0x1F : 0;
            if (fragment.IsKeyFrame && type is 7 or 8) continue; // already in front, from the current copy
            Append(dest, ref at, nal);
        }
        raw.Length = at;
        raw.IsKeyFrame = fragment.IsKeyFrame;
        raw.CaptureTimeUs = fragment.CaptureTimeUs;
        raw.ArrivalUs = fragment.ArrivalUs;
        raw.DecodeTime = fragment.DecodeTime;
        raw.Duration = fragment.Duration;
        raw.Init = fragment.Init;
        for (int i = 0; i < active.Length; i++) active[i].OnFragment(raw);
        raw.Release();
    }

    void IFragmentSubscriber.OnStreamReset()
    {
        // Raw H264 carries new parameter sets in-band: readers continue from the next key frame.
        _subscribed = false;
        _waiting = [.. _active, .. _waiting];
        _active = Array.Empty<IFragmentSubscriber>();
        if (_waiting.Length > 0)
        {
            _subscribed = true;
            _live.Subscribe(this);
        }
    }

    private static void Append(Span<byte> dest, ref int at, ReadOnlySpan<byte> nal)
    {
        if (nal.IsEmpty) return;
        StartCode.CopyTo(dest[at..]);
        nal.CopyTo(dest[(at + 4)..]);
        at += 4 + nal.Length;
    }

    private void ReadParameterSets(InitSegment init)
    {
        _parsedInit = init;
        var bytes = init.Bytes.AsSpan();
        int avcC = bytes.IndexOf("avcC"u8);
        _sps = _pps = Array.Empty<byte>();
        if (avcC < 0 || avcC + 4 + 8 > bytes.Length) return;
        var body = bytes[(avcC + 4)..];
        int p = 6;
        int spsLength = body[p] << 8 | body[p + 1];
        if (p + 2 + spsLength + 3 > body.Length) return;
        _sps = body.Slice(p + 2, spsLength).ToArray();
        p += 2 + spsLength + 1;
        int ppsLength = body[p] << 8 | body[p + 1];
        if (p + 2 + ppsLength > body.Length) return;
        _pps = body.Slice(p + 2, ppsLength).ToArray();
    }

    /// <summary>The mdat payload of a one-sample moof+mdat.</summary>
    private static bool TryReadSample(ReadOnlySpan<byte> fragment, out ReadOnlySpan<byte> sample)
    {
        sample = default;
        if (fragment.Length < 16) return false;
        uint moof = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(fragment);
        if (moof < 8 || moof + 8 > fragment.Length) return false;
        uint mdat = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(fragment[(int)moof..]);
        if (mdat < 8 || moof + mdat > fragment.Length) return false;
        sample = fragment.Slice((int)moof + 8, (int)mdat - 8);
        return true;
    }
}
