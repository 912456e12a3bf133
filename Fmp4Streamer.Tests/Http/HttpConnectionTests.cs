using System.Text;
using Fmp4Streamer.Http;

namespace Fmp4Streamer.Tests.Http;

public class HttpConnectionTests
{
    [Test]
    public void GarbageGets400AndClose()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00]); // a TLS ClientHello
        var r = c.ReadResponse();
        Assert.That(r.Status, Is.EqualTo(400));
        Assert.That(r.Header("Connection"), Is.EqualTo("close"));
        Assert.That(r.Body.Length, Is.EqualTo(int.Parse(r.Header("Content-Length")!)));
        Assert.That(c.WaitForClose(TimeSpan.FromSeconds(3)), Is.True);
    }

    [Test]
    public void MegabyteHeaderGets431AndOthersAreServed()
    {
        using var f = new ServerFixture();
        using var big = f.Connect();
        var request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + new string('a', 1024 * 1024) + "\r\n\r\n");
        // Send from another thread: the server answers after 8 KiB and may stop reading.
        var sender = Task.Run(() => { try { big.Send(request); } catch (System.Net.Sockets.SocketException) { } });
        var r = big.ReadResponse();
        Assert.That(r.Status, Is.EqualTo(431));
        Assert.That(r.Header("Connection"), Is.EqualTo("close"));
        using var other = f.Connect();
        Assert.That(other.Get("/index.html").Status, Is.EqualTo(200), "a bad client closes only its own connection");
        big.Socket.Dispose();
        sender.Wait(TimeSpan.FromSeconds(5));
    }

    [Test]
    public void KeepAliveServesTwoRequestsOnOneConnection()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var first = c.Get("/index.html");
        Assert.That(first.Header("Connection"), Is.EqualTo("keep-alive"));
        var second = c.Get("/manifest.json");
        Assert.That(first.Status, Is.EqualTo(200));
        Assert.That(second.Status, Is.EqualTo(200));
        Assert.That(second.Header("Content-Type"), Is.EqualTo("application/json"));
        Assert.That(f.LoopThread.Invoke(() => f.Server.ClientCount), Is.EqualTo(1));
    }

    [Test]
    public void PipelinedRequestsAreAnsweredInOrder()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("GET /manifest.json HTTP/1.1\r\nHost: a\r\n\r\nGET /logo.png HTTP/1.1\r\nHost: a\r\n\r\n"
            + "HEAD /index.html HTTP/1.1\r\nHost: a\r\n\r\nGET /favicon.ico HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        Assert.That(c.ReadResponse().Header("Content-Type"), Is.EqualTo("application/json"));
        var logo = c.ReadResponse();
        Assert.That(PngCheck.Validate(logo.Body), Is.EqualTo((128, 128)));
        var head = c.ReadResponse(headOnly: true);
        Assert.That(head.Header("Content-Type"), Does.StartWith("text/html"));
        var last = c.ReadResponse();
        Assert.That(PngCheck.Validate(last.Body), Is.EqualTo((32, 32)));
        Assert.That(last.Header("Connection"), Is.EqualTo("close"));
        Assert.That(c.WaitForClose(TimeSpan.FromSeconds(3)), Is.True, "Connection: close is honoured");
    }

    [Test]
    public void PipelinedRequestsSplitAcrossReadsAreAnswered()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var text = "GET /manifest.json HTTP/1.1\r\nHost: a\r\n\r\nGET /index.html HTTP/1.1\r\nHost: a\r\n\r\n";
        foreach (char ch in text)
        {
            c.Send(ch.ToString());
            Thread.Sleep(1);
        }
        Assert.That(c.ReadResponse().Status, Is.EqualTo(200));
        Assert.That(c.ReadResponse().Text, Does.Contain("<video"));
    }

    [Test]
    public void Http10ClosesAfterTheResponse()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("GET /index.html HTTP/1.0\r\n\r\n");
        var r = c.ReadResponse();
        Assert.That(r.Status, Is.EqualTo(200));
        Assert.That(r.Header("Connection"), Is.EqualTo("close"));
        Assert.That(c.WaitForClose(TimeSpan.FromSeconds(3)), Is.True);
    }

    [Test]
    public void BadVersionGets505()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("GET / HTTP/2.0\r\nHost: a\r\n\r\n");
        Assert.That(c.ReadResponse().Status, Is.EqualTo(505));
    }

    [Test]
    public void SlowlorisIsClosedAfterTheRequestTimeout()
    {
        using var f = new ServerFixture(new HttpServerOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        using var c = f.Connect();
        c.Send("GET / HTTP/1.1\r\nHo");
        var start = DateTime.UtcNow;
        Assert.That(c.WaitForClose(TimeSpan.FromSeconds(3)), Is.True);
        Assert.That(DateTime.UtcNow - start, Is.GreaterThan(TimeSpan.FromMilliseconds(200)));
        Assert.That(f.WaitFor(() => f.Server.ClientCount == 0), Is.True);
    }

    [Test]
    public void IdleKeepAliveConnectionIsClosedAfterTheRequestTimeout()
    {
        using var f = new ServerFixture(new HttpServerOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        using var c = f.Connect();
        Assert.That(c.Get("/manifest.json").Status, Is.EqualTo(200));
        Assert.That(c.WaitForClose(TimeSpan.FromSeconds(3)), Is.True);
    }

    [Test]
    public void OverMaxClientsGets503AndOnlyThatConnectionCloses()
    {
        using var f = new ServerFixture(new HttpServerOptions { MaxClients = 2 });
        using var a = f.Connect();
        using var b = f.Connect();
        Assert.That(a.Get("/manifest.json").Status, Is.EqualTo(200));
        Assert.That(b.Get("/manifest.json").Status, Is.EqualTo(200));
        Assert.That(f.WaitFor(() => f.Server.ClientCount == 2), Is.True);
        using var third = f.Connect();
        third.Send("GET /manifest.json HTTP/1.1\r\nHost: a\r\n\r\n");
        var r = third.ReadResponse();
        Assert.That(r.Status, Is.EqualTo(503));
        Assert.That(r.Body.Length, Is.EqualTo(int.Parse(r.Header("Content-Length")!)));
        Assert.That(third.WaitForClose(TimeSpan.FromSeconds(3)), Is.True);
        Assert.That(a.Get("/manifest.json").Status, Is.EqualTo(200));
        Assert.That(b.Get("/manifest.json").Status, Is.EqualTo(200));
        a.Socket.Dispose();
        Assert.That(f.WaitFor(() => f.Server.ClientCount == 1), Is.True);
        using var fourth = f.Connect();
        Assert.That(fourth.Get("/manifest.json").Status, Is.EqualTo(200), "a freed slot is usable again");
    }

    [Test]
    public void ConnectionsWithoutARequestDoNotTakeTheClientSlots()
    {
        using var f = new ServerFixture(new HttpServerOptions { MaxClients = 2, MaxConnectionsPerAddress = 100 });
        var idle = new List<TestClient>();
        for (int i = 0; i < 10; i++) idle.Add(f.Connect());
        Assert.That(f.WaitFor(() => f.Server.ConnectionCount == 10), Is.True);
        using var viewer = f.Connect();
        Assert.That(viewer.Get("/manifest.json").Status, Is.EqualTo(200), "idle sockets are not clients");
        foreach (var c in idle) c.Dispose();
    }

    [Test]
    public void OneAddressCannotHoldMoreThanItsConnections()
    {
        using var f = new ServerFixture(new HttpServerOptions { MaxConnectionsPerAddress = 3 });
        var held = new List<TestClient>();
        for (int i = 0; i < 3; i++) held.Add(f.Connect());
        Assert.That(f.WaitFor(() => f.Server.ConnectionCount == 3), Is.True);
        using var fourth = f.Connect();
        Assert.That(fourth.WaitForClose(TimeSpan.FromSeconds(3)), Is.True, "closed at once");
        held[0].Dispose();
        Assert.That(f.WaitFor(() => f.Server.ConnectionCount == 2), Is.True);
        using var again = f.Connect();
        Assert.That(again.Get("/manifest.json").Status, Is.EqualTo(200), "a freed connection is usable again");
        foreach (var c in held) c.Dispose();
    }

    [Test]
    public void ManyConnectionsWithoutARequestGetAShorterDeadline()
    {
        using var f = new ServerFixture(new HttpServerOptions { MaxClients = 2, MaxConnectionsPerAddress = 1000 });
        var idle = new List<TestClient>();
        for (int i = 0; i < 40; i++) idle.Add(f.Connect());
        Assert.That(f.WaitFor(() => f.Server.ConnectionCount == 40), Is.True);
        var start = DateTime.UtcNow;
        Assert.That(f.WaitFor(() => f.Server.ConnectionCount <= 32, seconds: 5), Is.True, "under pressure, idle sockets are closed within about a second");
        Assert.That(DateTime.UtcNow - start, Is.LessThan(TimeSpan.FromSeconds(3)));
        foreach (var c in idle) c.Dispose();
    }

    [Test]
    public void ClientCountReturnsToZeroWhenClientsLeave()
    {
        using var f = new ServerFixture();
        var clients = new List<TestClient>();
        for (int i = 0; i < 5; i++)
        {
            var c = f.Connect();
            c.Get("/index.html");
            clients.Add(c);
        }
        Assert.That(f.LoopThread.Invoke(() => f.Server.ClientCount), Is.EqualTo(5));
        foreach (var c in clients) c.Dispose();
        Assert.That(f.WaitFor(() => f.Server.ClientCount == 0), Is.True);
    }
}
