using Fmp4Streamer.Linux.Sockets;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// What one RTSP connection still has to send, in order: responses and RTCP reports (owned bytes) and shared RTP
/// frames (one reference each until their last byte is out). A frame that has begun to go out must finish, or the
/// interleaved framing would break; frames not yet begun may be dropped when the client falls behind.
/// </summary>
public sealed class InterleavedQueue
{
    private struct Entry
    {
        public RtpFrame? Frame;
        public byte[]? Bytes;
        public int Length;
    }

    private Entry[] _ring = new Entry[64];
    private int _head, _count, _headOffset;
    private readonly GatherList _gather = new();

    public long QueuedBytes { get; private set; }
    public bool IsEmpty => _count == 0;

    public void EnqueueBytes(byte[] bytes, int length)
    {
        Push(new Entry { Bytes = bytes, Length = length });
    }

    public void EnqueueFrame(RtpFrame frame)
    {
        frame.Retain();
        Push(new Entry { Frame = frame, Length = frame.Length });
    }

    /// <summary>Releases every queued frame that has not begun to go out; returns how many.</summary>
    public int DropUnstartedFrames()
    {
        int dropped = 0, kept = 0;
        for (int i = 0; i < _count; i++)
        {
            var e = _ring[(_head + i) % _ring.Length];
            bool started = i == 0 && _headOffset > 0;
            if (e.Frame is not null && !started)
            {
                e.Frame.Release();
                QueuedBytes -= e.Length;
                dropped++;
                continue;
            }
            _ring[(_head + kept) % _ring.Length] = e;
            kept++;
        }
        for (int i = kept; i < _count; i++) _ring[(_head + i) % _ring.Length] = default;
        _count = kept;
        return dropped;
    }

    /// <summary>Sends until everything is out (true), the socket is full (true, <paramref name="errno"/> 0) or it failed (false).</summary>
    public bool Flush(int fd, out long sent, out int errno)
    {
        sent = 0;
        errno = 0;
        while (_count > 0)
        {
            _gather.Clear();
            for (int i = 0; i < _count && !_gather.IsFull; i++)
            {
                var e = _ring[(_head + i) % _ring.Length];
                int offset = i == 0 ? _headOffset : 0;
                _gather.Add(e.Frame is not null ? e.Frame.Buffer : e.Bytes!, offset, e.Length - offset);
            }
            long wanted = _gather.TotalBytes;
            long n = _gather.Send(fd);
            _gather.Clear();
            if (n < 0)
            {
                if (n == TcpSocket.WouldBlock) return true;
                errno = (int)-n;
                return false;
            }
            sent += n;
            Advance(n);
            if (n < wanted) return true;
        }
        return true;
    }

    public void Clear()
    {
        for (int i = 0; i < _count; i++)
        {
            ref var e = ref _ring[(_head + i) % _ring.Length];
            e.Frame?.Release();
            e = default;
        }
        _count = _head = _headOffset = 0;
        QueuedBytes = 0;
    }

    private void Push(Entry entry)
    {
        if (_count == _ring.Length) Grow();
        _ring[(_head + _count) % _ring.Length] = entry;
        _count++;
        QueuedBytes += entry.Length;
    }

    private void Grow()
    {
        var bigger = new Entry[_ring.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _ring[(_head + i) % _ring.Length];
        _ring = bigger;
        _head = 0;
    }

    private void Advance(long n)
    {
        QueuedBytes -= n;
        while (n > 0)
        {
            ref var e = ref _ring[_head];
            long left = e.Length - _headOffset;
            if (n < left)
            {
                _headOffset += (int)n;
                return;
            }
            n -= left;
            e.Frame?.Release();
            e = default;
            _head = (_head + 1) % _ring.Length;
            _count--;
            _headOffset = 0;
        }
    }
}
