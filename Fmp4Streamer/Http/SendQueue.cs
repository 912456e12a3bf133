using System.Buffers.Binary;
using System.Diagnostics;
using Fmp4Streamer.Linux.Sockets;
using Fmp4Streamer.Mp4;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Http;

/// <summary>
/// What one connection still has to send: up to two plain byte runs (response head, then a body or the init
/// segment) followed by shared fragments, each holding one reference until its last byte is sent. A fragment may
/// be queued in part (a byte range) and with its tfdt rebased for this client: the shared buffer is never written;
/// the client's 8-byte baseMediaDecodeTime lives in an array parallel to the ring and is gathered in place of the
/// shared one (two of them when the fragment also carries audio, each track rebased by its own origin). Flushing hands as many pieces as fit in one <see cref="GatherList"/> to a single sendmsg.
/// </summary>
public sealed class SendQueue
{
    private const int PlainSlots = 2;
    private const int TfdtBytes = 8;

    private readonly byte[]?[] _plain = new byte[PlainSlots][];
    private readonly int[] _plainOffset = new int[PlainSlots];
    private readonly int[] _plainEnd = new int[PlainSlots];
    private int _plainHead, _plainCount;

    private readonly SharedFragment?[] _ring;
    // Per slot: the next byte to send and the end of the bytes queued; whether the tfdt is replaced, and by what.
    private readonly int[] _next;
    private readonly int[] _end;
    private readonly bool[] _rebased;
    private readonly bool[] _audioRebased;
    private readonly byte[] _tfdt;
    private readonly byte[] _audioTfdt;
    private int _ringHead, _ringCount;
    private bool _headStarted;

    private readonly GatherList _gather = new();

    public SendQueue(int maxFragments)
    {
        _ring = new SharedFragment?[maxFragments];
        _next = new int[maxFragments];
        _end = new int[maxFragments];
        _rebased = new bool[maxFragments];
        _audioRebased = new bool[maxFragments];
        _tfdt = new byte[maxFragments * TfdtBytes];
        _audioTfdt = new byte[maxFragments * TfdtBytes];
    }

    /// <summary>Bytes queued and not yet accepted by the kernel.</summary>
    public long QueuedBytes { get; private set; }

    public int FragmentCount => _ringCount;
    public bool IsEmpty => QueuedBytes == 0 && _ringCount == 0 && _plainCount == 0;
    public bool IsFragmentRingFull => _ringCount == _ring.Length;

    /// <summary>Fragments whose last byte went to the kernel.</summary>
    public long FragmentsSent { get; private set; }

    /// <summary>Most bytes one sendmsg may carry (tests split the sends at every byte with it).</summary>
    internal long MaxBytesPerSend { get; set; } = long.MaxValue;

    public void EnqueuePlain(byte[] array, int offset, int length)
    {
        Debug.Assert(_ringCount == 0, "plain bytes go before fragments");
        Debug.Assert(_plainCount < PlainSlots);
        if (length == 0) return;
        int slot = (_plainHead + _plainCount) % PlainSlots;
        _plain[slot] = array;
        _plainOffset[slot] = offset;
        _plainEnd[slot] = offset + length;
        _plainCount++;
        QueuedBytes += length;
    }

    /// <summary>Queues all of <paramref name="fragment"/> as it is and takes a reference; false when the ring is full.</summary>
    public bool TryEnqueue(SharedFragment fragment) => TryEnqueue(fragment, 0, fragment.Length, rebase: false, 0);

    /// <summary>
    /// Queues bytes [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="fragment"/> and takes a
    /// reference; with <paramref name="rebase"/>, this client gets baseMediaDecodeTime − <paramref name="origin"/>
    /// in the fragment's tfdt (a fragment without the writer's tfdt goes out unchanged). False when the ring is full.
    /// </summary>
    public bool TryEnqueue(SharedFragment fragment, int start, int end, bool rebase, ulong origin) =>
        TryEnqueue(fragment, start, end, rebase, origin, 0);

    /// <summary>
    /// As above; a fragment with audio also gets its audio baseMediaDecodeTime − <paramref name="audioOrigin"/>
    /// (in the audio timescale).
    /// </summary>
    public bool TryEnqueue(SharedFragment fragment, int start, int end, bool rebase, ulong origin, ulong audioOrigin)
    {
        Debug.Assert(0 <= start && start <= end && end <= fragment.Length);
        if (_ringCount == _ring.Length) return false;
        int slot = (_ringHead + _ringCount) % _ring.Length;
        fragment.Retain();
        _ring[slot] = fragment;
        _next[slot] = start;
        _end[slot] = end;
        _rebased[slot] = rebase && FragmentWriter.HasTfdt(fragment.Span);
        if (_rebased[slot])
        {
            ulong shared = BinaryPrimitives.ReadUInt64BigEndian(fragment.Buffer.AsSpan(FragmentWriter.TfdtValueOffset));
            BinaryPrimitives.WriteUInt64BigEndian(_tfdt.AsSpan(slot * TfdtBytes), shared >= origin ? shared - origin : 0);
        }
        _audioRebased[slot] = _rebased[slot] && fragment.HasAudio && AvFragmentWriter.HasAudioTfdt(fragment.Span);
        if (_audioRebased[slot])
        {
            ulong shared = BinaryPrimitives.ReadUInt64BigEndian(fragment.Buffer.AsSpan(AvFragmentWriter.AudioTfdtValueOffset));
            BinaryPrimitives.WriteUInt64BigEndian(_audioTfdt.AsSpan(slot * TfdtBytes), shared >= audioOrigin ? shared - audioOrigin : 0);
        }
        _ringCount++;
        QueuedBytes += end - start;
        return true;
    }

    /// <summary>
    /// Releases every queued fragment that has not begun to go out (a partly sent one must finish, or the byte
    /// stream would stop being valid MP4); returns how many were dropped.
    /// </summary>
    public int DropUnstarted()
    {
        int keep = _headStarted ? 1 : 0;
        int dropped = 0;
        while (_ringCount > keep)
        {
            int slot = (_ringHead + _ringCount - 1) % _ring.Length;
            var f = _ring[slot]!;
            _ring[slot] = null;
            _ringCount--;
            QueuedBytes -= _end[slot] - _next[slot];
            f.Release();
            dropped++;
        }
        return dropped;
    }

    /// <summary>Sends until everything is out, the socket is full or the connection failed.</summary>
    public FlushResult Flush(int fd, out long bytesSent, out int errno)
    {
        bytesSent = 0;
        errno = 0;
        while (true)
        {
            _gather.Clear();
            for (int i = 0; i < _plainCount; i++)
            {
                int slot = (_plainHead + i) % PlainSlots;
                _gather.Add(_plain[slot]!, _plainOffset[slot], _plainEnd[slot] - _plainOffset[slot]);
            }
            for (int i = 0; i < _ringCount && !_gather.IsFull; i++) GatherFragment((_ringHead + i) % _ring.Length);
            if (_gather.Count == 0) return FlushResult.Done;
            _gather.Limit(MaxBytesPerSend);
            long wanted = _gather.TotalBytes;
            long n = _gather.Send(fd);
            _gather.Clear();
            if (n < 0)
            {
                if (n == TcpSocket.WouldBlock) return FlushResult.WouldBlock;
                errno = (int)-n;
                return FlushResult.Failed;
            }
            bytesSent += n;
            Advance(n);
            // A short write means the socket buffer is full: another call now would only return EAGAIN.
            if (n < wanted) return FlushResult.WouldBlock;
        }
    }

    /// <summary>
    /// Adds the slot's unsent bytes: [next, tfdt value) and [tfdt value end, end) from the shared buffer, the
    /// 8 bytes between from this client's array when rebased. Stops early when the list is full.
    /// </summary>
    private void GatherFragment(int slot)
    {
        var f = _ring[slot]!;
        int next = _next[slot], end = _end[slot];
        if (!_rebased[slot])
        {
            if (end > next) _gather.Add(f.Buffer, next, end - next);
            return;
        }
        const int At = FragmentWriter.TfdtValueOffset;
        AddClipped(f.Buffer, 0, next, end, 0, At);
        if (_gather.IsFull) return;
        AddClipped(_tfdt, slot * TfdtBytes - At, next, end, At, At + TfdtBytes);
        if (_gather.IsFull) return;
        if (!_audioRebased[slot])
        {
            AddClipped(f.Buffer, 0, next, end, At + TfdtBytes, f.Length);
            return;
        }
        const int Audio = AvFragmentWriter.AudioTfdtValueOffset;
        AddClipped(f.Buffer, 0, next, end, At + TfdtBytes, Audio);
        if (_gather.IsFull) return;
        AddClipped(_audioTfdt, slot * TfdtBytes - Audio, next, end, Audio, Audio + TfdtBytes);
        if (_gather.IsFull) return;
        AddClipped(f.Buffer, 0, next, end, Audio + TfdtBytes, f.Length);
    }

    /// <summary>Adds the fragment bytes [from, to) ∩ [next, end), read from <paramref name="array"/> at fragment position + <paramref name="shift"/>.</summary>
    private void AddClipped(byte[] array, int shift, int next, int end, int from, int to)
    {
        int a = Math.Max(from, next), b = Math.Min(to, end);
        if (b > a) _gather.Add(array, a + shift, b - a);
    }

    /// <summary>Releases everything (connection closing).</summary>
    public void Clear()
    {
        while (_ringCount > 0)
        {
            var f = _ring[_ringHead]!;
            _ring[_ringHead] = null;
            _ringHead = (_ringHead + 1) % _ring.Length;
            _ringCount--;
            f.Release();
        }
        for (int i = 0; i < PlainSlots; i++) _plain[i] = null;
        _plainCount = 0;
        _headStarted = false;
        QueuedBytes = 0;
    }

    private void Advance(long n)
    {
        QueuedBytes -= n;
        while (n > 0 && _plainCount > 0)
        {
            int slot = _plainHead;
            long left = _plainEnd[slot] - _plainOffset[slot];
            if (n < left)
            {
                _plainOffset[slot] += (int)n;
                return;
            }
            n -= left;
            _plain[slot] = null;
            _plainHead = (_plainHead + 1) % PlainSlots;
            _plainCount--;
        }
        while (n > 0 && _ringCount > 0)
        {
            int slot = _ringHead;
            long left = _end[slot] - _next[slot];
            if (n < left)
            {
                _next[slot] += (int)n;
                _headStarted = true;
                return;
            }
            n -= left;
            var f = _ring[slot]!;
            _ring[slot] = null;
            _ringHead = (_ringHead + 1) % _ring.Length;
            _ringCount--;
            _headStarted = false;
            FragmentsSent++;
            f.Release();
        }
    }
}
