using System.Buffers.Binary;
using System.Diagnostics;
using Fmp4Streamer.Linux.Sockets;
using Fmp4Streamer.Mp4;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Http;

/// <summary>
/// What one connection still has to send: up to two plain byte runs (response head, then a body or the init
/// segment) followed by shared fragments, each holding one reference until its last byte is sent. Flushing hands
/// as many of them as fit in one <see cref="GatherList"/> to a single sendmsg. A fragment may go out with its tfdt
/// rebased for this response: the shared buffer is never written; the response's own 8-byte baseMediaDecodeTime
/// is gathered in place of the shared one.
/// </summary>
public sealed class SendQueue
{
    private const int PlainSlots = 2;

    private readonly byte[]?[] _plain = new byte[PlainSlots][];
    private readonly int[] _plainOffset = new int[PlainSlots];
    private readonly int[] _plainEnd = new int[PlainSlots];
    private int _plainHead, _plainCount;

    private const int TfdtBytes = 8;

    private readonly SharedFragment?[] _ring;
    private readonly bool[] _rebased;
    private readonly byte[] _tfdt;
    private int _ringHead, _ringCount;
    private int _headOffset;

    private readonly GatherList _gather = new();

    public SendQueue(int maxFragments)
    {
        _ring = new SharedFragment?[maxFragments];
        _rebased = new bool[maxFragments];
        _tfdt = new byte[maxFragments * TfdtBytes];
    }

    /// <summary>Bytes queued and not yet accepted by the kernel.</summary>
    public long QueuedBytes { get; private set; }

    public int FragmentCount => _ringCount;
    public bool IsEmpty => QueuedBytes == 0 && _ringCount == 0 && _plainCount == 0;
    public bool IsFragmentRingFull => _ringCount == _ring.Length;

    /// <summary>Fragments whose last byte went to the kernel.</summary>
    public long FragmentsSent { get; private set; }

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

    /// <summary>Queues <paramref name="fragment"/> and takes a reference; false when the ring is full.</summary>
    public bool TryEnqueue(SharedFragment fragment) => TryEnqueue(fragment, 0, fragment.Length, rebase: false, 0);

    /// <summary>
    /// Queues <paramref name="fragment"/> (whole: <paramref name="start"/> 0, <paramref name="end"/> its length) and
    /// takes a reference; with <paramref name="rebase"/> this response gets baseMediaDecodeTime −
    /// <paramref name="origin"/> in its tfdt (a fragment without the writer's tfdt goes out unchanged). False when
    /// the ring is full.
    /// </summary>
    public bool TryEnqueue(SharedFragment fragment, int start, int end, bool rebase, ulong origin)
    {
        Debug.Assert(start == 0 && end == fragment.Length, "whole fragments only");
        if (_ringCount == _ring.Length) return false;
        int slot = (_ringHead + _ringCount) % _ring.Length;
        fragment.Retain();
        _ring[slot] = fragment;
        _rebased[slot] = rebase && FragmentWriter.HasTfdt(fragment.Span);
        if (_rebased[slot])
        {
            ulong shared = BinaryPrimitives.ReadUInt64BigEndian(fragment.Buffer.AsSpan(FragmentWriter.TfdtValueOffset));
            BinaryPrimitives.WriteUInt64BigEndian(_tfdt.AsSpan(slot * TfdtBytes), shared >= origin ? shared - origin : 0);
        }
        _ringCount++;
        QueuedBytes += fragment.Length;
        return true;
    }

    /// <summary>
    /// Releases every queued fragment that has not begun to go out (a partly sent one must finish, or the byte
    /// stream would stop being valid MP4); returns how many were dropped.
    /// </summary>
    public int DropUnstarted()
    {
        int keep = _headOffset > 0 ? 1 : 0;
        int dropped = 0;
        while (_ringCount > keep)
        {
            int slot = (_ringHead + _ringCount - 1) % _ring.Length;
            var f = _ring[slot]!;
            _ring[slot] = null;
            _ringCount--;
            QueuedBytes -= f.Length;
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
            for (int i = 0; i < _ringCount && !_gather.IsFull; i++)
            {
                int slot = (_ringHead + i) % _ring.Length;
                var f = _ring[slot]!;
                int offset = i == 0 ? _headOffset : 0;
                if (!_rebased[slot])
                {
                    _gather.Add(f.Buffer, offset, f.Length - offset);
                    continue;
                }
                // Three pieces at most: before the tfdt value, this response's value, after it.
                if (GatherList.Capacity - _gather.Count < 3) break;
                const int at = FragmentWriter.TfdtValueOffset;
                if (offset < at) _gather.Add(f.Buffer, offset, at - offset);
                if (offset < at + TfdtBytes) _gather.Add(_tfdt, slot * TfdtBytes + Math.Max(0, offset - at), at + TfdtBytes - Math.Max(offset, at));
                int rest = Math.Max(offset, at + TfdtBytes);
                if (rest < f.Length) _gather.Add(f.Buffer, rest, f.Length - rest);
            }
            if (_gather.Count == 0) return FlushResult.Done;
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
        _headOffset = 0;
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
            var f = _ring[_ringHead]!;
            long left = f.Length - _headOffset;
            if (n < left)
            {
                _headOffset += (int)n;
                return;
            }
            n -= left;
            _ring[_ringHead] = null;
            _ringHead = (_ringHead + 1) % _ring.Length;
            _ringCount--;
            _headOffset = 0;
            FragmentsSent++;
            f.Release();
        }
    }
}
