using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Fmp4Streamer.Tests.Rtsp;

/// <summary>A minimal blocking RTSP client for the cases real players do not cover (one that stops reading, bad input).</summary>
internal sealed class RtspTestClient : IDisposable
{
    private readonly Socket _socket;
    private readonly ByteQueue _pending = new();
    private int _cseq;

    public RtspTestClient(int port, int receiveBuffer = 0)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer > 0) _socket.ReceiveBufferSize = receiveBuffer;
        _socket.ReceiveTimeout = 10_000;
        _socket.Connect("127.0.0.1", port);
    }

    public Socket Socket => _socket;

    public void SendRaw(byte[] bytes) => _socket.Send(bytes);

    /// <summary>Sends a request with the next CSeq and returns the response head and body.</summary>
    public (int Status, string Head, string Body) Request(string method, string url, params string[] headers)
    {
        var text = new StringBuilder($"{method} {url} RTSP/1.0\r\nCSeq: {++_cseq}\r\n");
        foreach (var h in headers) text.Append(h).Append("\r\n");
        text.Append("\r\n");
        SendRaw(Encoding.ASCII.GetBytes(text.ToString()));
        return ReadResponse();
    }

    /// <summary>Reads one response; status 0 when the server closed the connection without one.</summary>
    public (int Status, string Head, string Body) ReadResponse()
    {
        int end;
        while ((end = IndexOfHeadEnd()) < 0)
            if (!Fill()) return (0, "", "");
        string head = Encoding.ASCII.GetString(_pending.Span(0, end));
        _pending.RemoveRange(0, end + 4);
        int length = 0;
        foreach (var line in head.Split("\r\n"))
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..].Trim());
        while (_pending.Count < length)
            if (!Fill()) break;
        string body = Encoding.ASCII.GetString(_pending.Span(0, Math.Min(length, _pending.Count)));
        _pending.RemoveRange(0, Math.Min(length, _pending.Count));
        int status = head.StartsWith("RTSP/1.0 ") && head.Length >= 12 ? int.Parse(head.AsSpan(9, 3)) : -1;
        return (status, head, body);
    }

    public static string HeaderValue(string head, string name) =>
        head.Split("\r\n").First(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))[(name.Length + 1)..].Trim();

    /// <summary>The next interleaved packet (channel, payload); null at end of stream or timeout.</summary>
    public (int Channel, byte[] Payload)? ReadInterleaved()
    {
        while (_pending.Count < 4)
            if (!Fill()) return null;
        if (_pending[0] != '$') throw new InvalidDataException("not an interleaved packet");
        int length = _pending[2] << 8 | _pending[3];
        while (_pending.Count < 4 + length)
            if (!Fill()) return null;
        var payload = _pending.Span(4, length).ToArray();
        int channel = _pending[1];
        _pending.RemoveRange(0, 4 + length);
        return (channel, payload);
    }

    public static ushort Sequence(byte[] rtp) => BinaryPrimitives.ReadUInt16BigEndian(rtp.AsSpan(2));

    private int IndexOfHeadEnd()
    {
        for (int i = 0; i + 3 < _pending.Count; i++)
            if (_pending[i] == '\r' && _pending[i + 1] == '\n' && _pending[i + 2] == '\r' && _pending[i + 3] == '\n') return i;
        return -1;
    }

    private bool Fill()
    {
        var buffer = new byte[65536];
        int n;
        try { n = _socket.Receive(buffer); }
        catch (SocketException) { return false; }
        if (n <= 0) return false;
        _pending.Append(buffer.AsSpan(0, n));
        return true;
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Received bytes not yet parsed; removing from the front is O(1), so megabytes of backlog read quickly.</summary>
    private sealed class ByteQueue
    {
        private byte[] _bytes = new byte[1 << 20];
        private int _start, _end;

        public int Count => _end - _start;
        public byte this[int index] => _bytes[_start + index];
        public ReadOnlySpan<byte> Span(int offset, int length) => _bytes.AsSpan(_start + offset, length);

        public void RemoveRange(int index, int count)
        {
            if (index != 0) throw new ArgumentException("only from the front");
            _start += count;
        }

        public void Append(ReadOnlySpan<byte> data)
        {
            if (_end + data.Length > _bytes.Length)
            {
                var bigger = new byte[Math.Max(_bytes.Length, (Count + data.Length) * 2)];
                _bytes.AsSpan(_start, Count).CopyTo(bigger);
                _end = Count;
                _start = 0;
                _bytes = bigger;
            }
            data.CopyTo(_bytes.AsSpan(_end));
            _end += data.Length;
        }
    }
}
