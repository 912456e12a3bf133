using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>
/// A second viewer of a camera's /stream.mp4 beside a player under test, noting every pause in the data longer than
/// a threshold with its wall clock: a stall the source itself had (a starved encoder command on a busy machine) shows
/// up here too, while one only the player saw does not.
/// </summary>
public sealed class ArrivalGapWatcher : IDisposable
{
    private readonly TcpClient _client;
    private readonly Thread _reader;
    private readonly TimeSpan _threshold;
    private readonly List<(long StartMs, long EndMs)> _gaps = new();
    private readonly object _lock = new();

    public ArrivalGapWatcher(int port, string path, TimeSpan threshold)
    {
        _threshold = threshold;
        _client = new TcpClient("127.0.0.1", port);
        _client.GetStream().Write(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        _reader = new Thread(Read) { IsBackground = true, Name = "arrival gap watcher " + path };
        _reader.Start();
    }

    /// <summary>The pauses seen so far, as Unix milliseconds of the last data before and the first data after.</summary>
    public IReadOnlyList<(long StartMs, long EndMs)> Gaps
    {
        get { lock (_lock) return _gaps.ToArray(); }
    }

    /// <summary>Whether a pause in the source covers a moment (Unix ms), give or take <paramref name="slack"/>.</summary>
    public bool SawGapAround(long atMs, TimeSpan slack)
    {
        long slackMs = (long)slack.TotalMilliseconds;
        lock (_lock) return _gaps.Exists(g => g.StartMs - slackMs <= atMs && atMs <= g.EndMs + slackMs);
    }

    private void Read()
    {
        var buffer = new byte[64 * 1024];
        var sinceLast = new Stopwatch();
        try
        {
            while (_client.GetStream().Read(buffer) > 0)
            {
                if (sinceLast.IsRunning && sinceLast.Elapsed >= _threshold)
                {
                    long end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    lock (_lock) _gaps.Add((end - sinceLast.ElapsedMilliseconds, end));
                }
                sinceLast.Restart();
            }
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
