using Tmds.Linux;

namespace Fmp4Streamer.Linux.Sockets;

/// <summary>
/// Up to <see cref="Capacity"/> (array, offset, length) slices sent with one sendmsg. The arrays are pinned by
/// nested <c>fixed</c> scopes (one per recursion level), so a send allocates nothing and pins nothing for longer
/// than the system call.
/// </summary>
public sealed unsafe class GatherList
{
    // A fragment may take three slices (its tfdt rebased per client): room for five of them and the plain runs.
    public const int Capacity = 16;

    private readonly byte[][] _arrays = new byte[Capacity][];
    private readonly int[] _offsets = new int[Capacity];
    private readonly int[] _lengths = new int[Capacity];

    public int Count { get; private set; }
    public long TotalBytes { get; private set; }
    public bool IsFull => Count == Capacity;

    public void Clear()
    {
        // Drop the references so a released fragment buffer is not kept alive by this list.
        Array.Clear(_arrays, 0, Count);
        Count = 0;
        TotalBytes = 0;
    }

    public void Add(byte[] array, int offset, int length)
    {
        _arrays[Count] = array;
        _offsets[Count] = offset;
        _lengths[Count] = length;
        Count++;
        TotalBytes += length;
    }

    /// <summary>Shortens the list to its first <paramref name="max"/> bytes.</summary>
    public void Limit(long max)
    {
        while (TotalBytes > max)
        {
            int last = Count - 1;
            long excess = TotalBytes - max;
            if (_lengths[last] > excess)
            {
                _lengths[last] -= (int)excess;
                TotalBytes = max;
                return;
            }
            TotalBytes -= _lengths[last];
            _arrays[last] = null!;
            Count--;
        }
    }

    /// <summary>Bytes sent or -errno (<see cref="TcpSocket.WouldBlock"/> when the socket buffer is full).</summary>
    public long Send(int fd)
    {
        iovec* vectors = stackalloc iovec[Capacity];
        return Pin(fd, vectors, 0);
    }

    private long Pin(int fd, iovec* vectors, int index)
    {
        if (index == Count) return TcpSocket.SendGathered(fd, vectors, Count);
        fixed (byte* p = _arrays[index])
        {
            vectors[index].iov_base = p + _offsets[index];
            vectors[index].iov_len = _lengths[index];
            return Pin(fd, vectors, index + 1);
        }
    }
}
