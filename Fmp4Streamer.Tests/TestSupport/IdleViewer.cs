using System.Net.Sockets;
using System.Text;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>
/// A viewer that reads a live stream and throws the bytes away: it keeps a camera awake (its timeline growing)
/// while players come and go. Dispose closes the connection, so the camera may fall asleep.
/// </summary>
public sealed class IdleViewer : IDisposable
{
    private readonly TcpClient _client;
    private readonly Thread _reader;
    private long _bytes;

    public IdleViewer(int port, string path)
    {
        _client = new TcpClient("127.0.0.1", port);
        _client.GetStream().Write(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        _reader = new Thread(Read) { IsBackground = true, Name = "idle viewer " + path };
        _reader.Start();
    }

    public long Bytes => Interlocked.Read(ref _bytes);

    private void Read()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = _client.GetStream().Read(buffer)) > 0) Interlocked.Add(ref _bytes, n);
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _client.Dispose();
        _reader.Join(TimeSpan.FromSeconds(5));
    }
}
