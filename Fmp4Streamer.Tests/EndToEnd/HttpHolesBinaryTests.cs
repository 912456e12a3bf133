using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>The request-handling holes an adversarial run found, checked against the built binary: half-closed clients and blank lines.</summary>
[Category("EndToEnd")]
public class HttpHolesBinaryTests
{
    private DaemonProcess _daemon = null!;

    [OneTimeSetUp]
    public void Start() => _daemon = DaemonProcess.Start(null, "--test-pattern");

    [OneTimeTearDown]
    public void Stop()
    {
        Assert.That(_daemon.Stop(), Is.EqualTo(0), _daemon.Log);
        _daemon.Dispose();
    }

    private Socket Connect()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 15000 };
        s.Connect("127.0.0.1", _daemon.Port);
        return s;
    }

    /// <summary>Reads until the peer closes or <paramref name="enough"/> bytes came.</summary>
    private static byte[] Read(Socket s, int enough = int.MaxValue)
    {
        var all = new MemoryStream();
        var buffer = new byte[65536];
        while (all.Length < enough)
        {
            int n = s.Receive(buffer);
            if (n == 0) break;
            all.Write(buffer, 0, n);
        }
        return all.ToArray();
    }

    [Test]
    public void BlankLinesBeforeTheRequestLineAreSkippedUpToALimit()
    {
        using (var s = Connect())
        {
            s.Send(Encoding.ASCII.GetBytes("\r\n\r\nGET /index.html HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
            Assert.That(Encoding.ASCII.GetString(Read(s)), Does.StartWith("HTTP/1.1 200 OK\r\n"));
        }
        using (var s = Connect())
        {
            s.Send(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("\r\n", 40)) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
            Assert.That(Encoding.ASCII.GetString(Read(s)), Does.StartWith("HTTP/1.1 400 "), "an endless run of them is refused");
        }
    }

    [Test]
    public void AHalfClosedClientGetsItsHeldPlaylistAndAStreamThatGoesOn()
    {
        string playlist;
        using (var s = Connect())
        {
            s.Send(Encoding.ASCII.GetBytes("GET /streaminf.m3u8 HTTP/1.1\r\nHost: a\r\n\r\n"));
            s.Shutdown(SocketShutdown.Send);
            playlist = Encoding.ASCII.GetString(Read(s));
        }
        Assert.That(playlist, Does.StartWith("HTTP/1.1 200 OK\r\n").And.Contain("#EXT-X-PRELOAD-HINT"), "answered though the camera had to wake");
        var hint = Regex.Match(playlist, @"#EXT-X-PRELOAD-HINT:TYPE=PART,URI=""seg(\d+)\.(\d+)\.m4s""");
        using (var s = Connect())
        {
            // A blocking reload for the hinted part: held on the loop, and still answered after the client's FIN.
            s.Send(Encoding.ASCII.GetBytes($"GET /streaminf.m3u8?_HLS_msn={hint.Groups[1].Value}&_HLS_part={hint.Groups[2].Value} HTTP/1.1\r\nHost: a\r\n\r\n"));
            s.Shutdown(SocketShutdown.Send);
            string held = Encoding.ASCII.GetString(Read(s));
            Assert.That(held, Does.StartWith("HTTP/1.1 200 OK\r\n").And.Contain($"seg{hint.Groups[1].Value}.{hint.Groups[2].Value}.m4s"));
        }
        using (var s = Connect())
        {
            s.Send(Encoding.ASCII.GetBytes("GET /stream.mp4 HTTP/1.1\r\nHost: a\r\n\r\n"));
            s.Shutdown(SocketShutdown.Send);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            // Two seconds of the test pattern: the stream goes on after the FIN instead of ending at once.
            while (clock.Elapsed < TimeSpan.FromSeconds(2))
            {
                var buffer = new byte[65536];
                Assert.That(s.Receive(buffer), Is.GreaterThan(0), $"the stream ended after {clock.ElapsedMilliseconds} ms");
            }
        }
    }
}
