using System.Net.Sockets;
using System.Text.RegularExpressions;
using Fmp4Streamer.Http;
using Fmp4Streamer.Streaming.Hls;

namespace Fmp4Streamer.Tests.Http;

/// <summary>What an adversarial run found: half-closed clients, blank lines, slow HLS readers, pipelining after a blocked write.</summary>
public class HttpHolesTests
{
    private static unsafe void SetSendBuffer(int fd, int bytes) =>
        Tmds.Linux.LibC.setsockopt(fd, Tmds.Linux.LibC.SOL_SOCKET, Tmds.Linux.LibC.SO_SNDBUF, &bytes, sizeof(int));

    [Test]
    public void AHalfClosedClientGetsItsHeldPlaylist()
    {
        // One segment and a part of the next are enough to answer (players get three: HlsOptions.StartSegments).
        using var f = new ServerFixture(null, new HlsOptions { StartSegments = 1 });
        using var c = f.Connect();
        c.Send("GET /streaminf.m3u8 HTTP/1.1\r\nHost: a\r\n\r\n");
        c.Socket.Shutdown(SocketShutdown.Send);
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 1), Is.True);
        Thread.Sleep(100);
        f.LoopThread.Invoke(() => { for (int i = 0; i <= 40; i++) f.Stream.Publish(i % 30 == 0); });
        var r = c.ReadResponse();
        Assert.That(r.Status, Is.EqualTo(200));
        Assert.That(r.Text, Does.Contain("#EXTINF:"));
        Assert.That(c.WaitForClose(TimeSpan.FromSeconds(3)), Is.True, "closed after the answer");
    }

    [Test]
    public void AHalfClosedClientKeepsStreaming()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("GET /stream.mp4 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(c.ReadResponse(headOnly: true).Status, Is.EqualTo(200));
        c.Socket.Shutdown(SocketShutdown.Send);
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 1), Is.True);
        Thread.Sleep(100);
        for (int i = 0; i < 10; i++) f.Publish(i % 5 == 0);
        Assert.That(c.ReadBox().Type, Is.EqualTo("init"));
        for (int i = 0; i < 10; i++) Assert.That(c.ReadFragment().Sequence, Is.EqualTo(i));
        Assert.That(f.LoopThread.Invoke(() => f.Stream.SubscriberCount), Is.EqualTo(1), "still subscribed");
        c.Socket.Dispose();
        for (int i = 0; i < 50 && f.LoopThread.Invoke(() => f.Stream.SubscriberCount) > 0; i++)
        {
            f.Publish(false, 4096);
            Thread.Sleep(10);
        }
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 0), Is.True, "a failed send ends it");
    }

    [Test]
    public void BlankLinesBeforeTheRequestLineAreIgnored()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("\r\n\r\nGET /manifest.json HTTP/1.1\r\nHost: a\r\n\r\n\r\nGET /manifest.json HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(c.ReadResponse().Status, Is.EqualTo(200));
        Assert.That(c.ReadResponse().Status, Is.EqualTo(200));
    }

    [Test]
    public void EndlessBlankLinesGet400()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send(string.Concat(Enumerable.Repeat("\r\n", 100)));
        var r = c.ReadResponse();
        Assert.That(r.Status, Is.EqualTo(400));
        Assert.That(c.WaitForClose(TimeSpan.FromSeconds(3)), Is.True);
    }

    /// <summary>A reader taking a few KB at a time keeps the stall timer happy, but not once its segment left the window.</summary>
    [Test]
    public void AnHlsReaderTooSlowForTheWindowIsDropped()
    {
        using var f = new ServerFixture(new HttpServerOptions { ClientStallTimeout = TimeSpan.FromSeconds(1) },
            new HlsOptions { WindowSegments = 3, StartSegments = 1 });
        using var c = f.Connect(receiveBufferBytes: 4096);
        c.Send("GET /streaminf.m3u8 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 1), Is.True);
        void PublishSecond() => f.LoopThread.Invoke(() => { for (int i = 0; i < 30; i++) f.Stream.Publish(f.Stream.Sequence % 30 == 0, 16384); });
        PublishSecond();
        // The first answer also wants a part of the open segment.
        f.LoopThread.Invoke(() => { for (int i = 0; i < 10; i++) f.Stream.Publish(f.Stream.Sequence % 30 == 0, 16384); });
        string segment = "/" + Regex.Match(c.ReadResponse().Text, @"^seg\d+\.m4s$", RegexOptions.Multiline).Value;
        f.LoopThread.Invoke(() => { foreach (var conn in f.Server.Connections) SetSendBuffer(conn.Fd, 4096); });
        c.Send($"GET {segment} HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = c.ReadResponse(headOnly: true);
        int length = int.Parse(head.Header("Content-Length")!);
        Assert.That(length, Is.EqualTo(30 * 16384));

        int read = 0;
        bool closed = false;
        var end = DateTime.UtcNow.AddSeconds(15);
        while (read < length && DateTime.UtcNow < end)
        {
            try
            {
                c.ReadExactly(4096);
                read += 4096;
            }
            catch (Exception e) when (e is EndOfStreamException or SocketException)
            {
                closed = true;
                break;
            }
            PublishSecond();
            Thread.Sleep(50);
        }
        Assert.That(closed, Is.True, $"still sending after {read} of {length} bytes");
        Assert.That(read, Is.LessThan(length));
        Assert.That(f.WaitFor(() => f.Server.ClientCount == 0), Is.True);
    }

    /// <summary>The first response fills the socket (EPOLLOUT); the pipelined ones behind it are still answered.</summary>
    [Test]
    public void PipelinedRequestsAfterAResponseThatNeededASecondWriteAreAnswered()
    {
        using var f = new ServerFixture();
        using var c = f.Connect(receiveBufferBytes: 4096);
        Assert.That(f.WaitFor(() => f.Server.ConnectionCount == 1), Is.True);
        f.LoopThread.Invoke(() => SetSendBuffer(f.Server.Connections[0].Fd, 4096));
        c.Send("GET /icon-512.png HTTP/1.1\r\nHost: a\r\n\r\nGET /manifest.json HTTP/1.1\r\nHost: a\r\n\r\n"
            + "GET /logo.png HTTP/1.1\r\nHost: a\r\n\r\n");
        Thread.Sleep(200); // let the server fill the socket and wait for EPOLLOUT
        var icon = c.ReadResponse();
        Assert.That(PngCheck.Validate(icon.Body), Is.EqualTo((512, 512)));
        Assert.That(icon.Body.Length, Is.GreaterThan(16 * 1024), "larger than the socket buffers: it needed a second write");
        Assert.That(c.ReadResponse().Header("Content-Type"), Is.EqualTo("application/json"));
        Assert.That(PngCheck.Validate(c.ReadResponse().Body), Is.EqualTo((128, 128)));
    }
}
