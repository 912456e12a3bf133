using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fmp4Streamer.Tests.Http;

/// <summary>A blocking loopback client with its own read buffer, for talking to the server under test.</summary>
internal sealed class TestClient : IDisposable
{
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start, _end;

    public TestClient(int port, IPAddress? address = null, int receiveBufferBytes = 0)
    {
        address ??= IPAddress.Loopback;
        Socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferBytes > 0) Socket.ReceiveBufferSize = receiveBufferBytes;
        Socket.ReceiveTimeout = 5000;
        Socket.SendTimeout = 5000;
        Socket.Connect(new IPEndPoint(address, port));
    }

    public Socket Socket { get; }

    public void Send(string text) => Send(Encoding.ASCII.GetBytes(text));

    public void Send(byte[] data)
    {
        int sent = 0;
        while (sent < data.Length) sent += Socket.Send(data, sent, data.Length - sent, SocketFlags.None);
    }

    public TestResponse Get(string target, string extraHeaders = "")
    {
        Send($"GET {target} HTTP/1.1\r\nHost: test\r\n{extraHeaders}\r\n");
        return ReadResponse();
    }

    /// <summary>Reads one response; the body by Content-Length, or to the end of the stream when there is none.</summary>
    public TestResponse ReadResponse(bool headOnly = false)
    {
        string head = ReadHead();
        var lines = head.Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            int colon = lines[i].IndexOf(':');
            headers[lines[i][..colon]] = lines[i][(colon + 1)..].Trim();
        }
        byte[] body;
        if (headOnly) body = [];
        else if (headers.TryGetValue("Content-Length", out var cl)) body = ReadExactly(int.Parse(cl));
        else body = ReadToEnd();
        return new TestResponse(status, head, headers, body);
    }

    public string ReadHead()
    {
        while (true)
        {
            int end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                string head = Encoding.ASCII.GetString(_buffer, _start, end);
                _start += end + 4;
                return head;
            }
            if (!Fill()) throw new EndOfStreamException("connection closed before the end of the response head");
        }
    }

    public byte[] ReadExactly(int n)
    {
        var result = new byte[n];
        int got = 0;
        while (got < n)
        {
            if (_start == _end && !Fill()) throw new EndOfStreamException($"closed after {got} of {n} bytes");
            int take = Math.Min(n - got, _end - _start);
            Array.Copy(_buffer, _start, result, got, take);
            _start += take;
            got += take;
        }
        return result;
    }

    public byte[] ReadToEnd()
    {
        var output = new MemoryStream();
        while (true)
        {
            output.Write(_buffer, _start, _end - _start);
            _start = _end = 0;
            if (!Fill()) return output.ToArray();
        }
    }

    /// <summary>One MP4-style box: [size u32][type][payload]; returns the type and the whole box.</summary>
    public (string Type, byte[] Box) ReadBox()
    {
        var header = ReadExactly(8);
        int size = (int)BinaryPrimitives.ReadUInt32BigEndian(header);
        var rest = ReadExactly(size - 8);
        var box = new byte[size];
        header.CopyTo(box, 0);
        rest.CopyTo(box, 8);
        return (Encoding.ASCII.GetString(header, 4, 4), box);
    }

    /// <summary>Reads the next fragment box: its sequence number and key flag.</summary>
    public (int Sequence, bool Key) ReadFragment()
    {
        var (type, box) = ReadBox();
        if (type != "frag") throw new InvalidDataException("expected a fragment, got " + type);
        return ((int)BinaryPrimitives.ReadUInt32BigEndian(box.AsSpan(8)), box[12] == 1);
    }

    /// <summary>True when the server closes (EOF or reset) within the timeout; data on the way is discarded.</summary>
    public bool WaitForClose(TimeSpan timeout)
    {
        Socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        try
        {
            while (true)
            {
                _start = _end = 0;
                if (!Fill()) return true;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
        {
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        finally
        {
            Socket.ReceiveTimeout = 5000;
        }
    }

    private bool Fill()
    {
        if (_start == _end) _start = _end = 0;
        if (_end == _buffer.Length)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        int n = Socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        if (n == 0) return false;
        _end += n;
        return true;
    }

    public void Dispose() => Socket.Dispose();
}
