using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Linux;

/// <summary>Receives the lines of a <see cref="LineReader"/>, on the loop thread.</summary>
public interface ILineSink
{
    /// <summary>One line without its terminator; valid only during the call.</summary>
    void OnLine(ReadOnlySpan<byte> line);
}

/// <summary>
/// Reads a non-blocking fd (a child's stderr) on the loop and hands it on line by line: '\n' or '\r' ends a line
/// (progress meters redraw with '\r'), empty lines are dropped, a line longer than the buffer is cut. Does not own
/// the fd: <see cref="Detach"/> before the owner closes it.
/// </summary>
public sealed unsafe class LineReader : IPollable
{
    public const int MaxLineBytes = 4096;

    private readonly EventLoop _loop;
    private readonly ILineSink _sink;
    private readonly byte[] _buffer = new byte[MaxLineBytes];
    private int _length;
    private int _fd = -1;

    public LineReader(EventLoop loop, ILineSink sink)
    {
        _loop = loop;
        _sink = sink;
    }

    public void Attach(int fd)
    {
        Detach();
        _fd = fd;
        _length = 0;
        _loop.Add(fd, EPOLLIN, this);
    }

    /// <summary>Reads what is already in the pipe (a dying child's last words), passes on an unterminated rest, and unregisters.</summary>
    public void Detach()
    {
        if (_fd < 0) return;
        ReadAvailable();
        if (_fd >= 0) _loop.Remove(_fd);
        _fd = -1;
        Flush();
    }

    public void OnPoll(int events) => ReadAvailable();

    private void ReadAvailable()
    {
        while (_fd >= 0)
        {
            ssize_t n;
            fixed (byte* p = &_buffer[_length]) n = read(_fd, p, _buffer.Length - _length);
            if (n < 0 && LinuxError.Last == EINTR) continue;
            if (n <= 0)
            {
                // EAGAIN: later. End of file or an error: the writer is gone, stop polling (the owner closes the fd).
                if (n == 0 || LinuxError.Last != EAGAIN)
                {
                    _loop.Remove(_fd);
                    _fd = -1;
                    Flush();
                }
                return;
            }
            Split((int)n);
        }
    }

    /// <summary>Passes on each complete line of the buffer; <paramref name="added"/> bytes were just read at its end.</summary>
    private void Split(int added)
    {
        int start = 0;
        int end = _length + added;
        for (int i = _length; i < end; i++)
        {
            byte b = _buffer[i];
            if (b != '\n' && b != '\r') continue;
            if (i > start) _sink.OnLine(_buffer.AsSpan(start, i - start));
            start = i + 1;
        }
        if (start == 0 && end == _buffer.Length)
        {
            _sink.OnLine(_buffer.AsSpan(0, end)); // longer than a line may be: cut
            start = end;
        }
        _buffer.AsSpan(start, end - start).CopyTo(_buffer);
        _length = end - start;
    }

    private void Flush()
    {
        if (_length > 0) _sink.OnLine(_buffer.AsSpan(0, _length));
        _length = 0;
    }
}
