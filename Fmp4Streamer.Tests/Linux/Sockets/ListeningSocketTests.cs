using System.Net;
using System.Net.Sockets;
using System.Text;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Sockets;

namespace Fmp4Streamer.Tests.Linux.Sockets;

public class ListeningSocketTests
{
    private static void DisposeAll(List<ListeningSocket> sockets)
    {
        foreach (var s in sockets) s.Dispose();
    }

    [Test]
    public void PortZeroReportsTheKernelsChoice()
    {
        var sockets = ListeningSocket.OpenAll("127.0.0.1", 0);
        try
        {
            Assert.That(sockets, Has.Count.EqualTo(1));
            Assert.That(sockets[0].Port, Is.GreaterThan(0));
            Assert.That(sockets[0].Local.ToString(), Is.EqualTo("127.0.0.1:" + sockets[0].Port));
        }
        finally { DisposeAll(sockets); }
    }

    [Test]
    public void EmptyAddressIsDualStack()
    {
        var sockets = ListeningSocket.OpenAll("", 0);
        try
        {
            Assert.That(sockets, Has.Count.EqualTo(1));
            Assert.That(sockets[0].Local.ToString(), Is.EqualTo("[::]:" + sockets[0].Port), "this machine has IPv6");
            int port = sockets[0].Port;
            AssertAccepts(sockets[0], IPAddress.Loopback, port, "127.0.0.1:");
            AssertAccepts(sockets[0], IPAddress.IPv6Loopback, port, "[::1]:");
        }
        finally { DisposeAll(sockets); }
    }

    [Test]
    public void LocalhostListensOnBothLoopbacksWithOnePort()
    {
        var sockets = ListeningSocket.OpenAll("localhost", 0);
        try
        {
            Assert.That(sockets, Has.Count.EqualTo(2));
            Assert.That(sockets[1].Port, Is.EqualTo(sockets[0].Port));
            Assert.That(sockets[0].Local.ToString(), Does.StartWith("127.0.0.1:"));
            Assert.That(sockets[1].Local.ToString(), Does.StartWith("[::1]:"));
        }
        finally { DisposeAll(sockets); }
    }

    [Test]
    public void BusyPortFailsWithEaddrinuse()
    {
        var first = ListeningSocket.OpenAll("127.0.0.1", 0);
        try
        {
            var e = Assert.Throws<LinuxException>(() => ListeningSocket.OpenAll("127.0.0.1", first[0].Port));
            Assert.That(LinuxError.Name(e!.Errno), Is.EqualTo("EADDRINUSE"));
        }
        finally { DisposeAll(first); }
    }

    [Test]
    public void HostNamesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ListeningSocket.OpenAll("example.com", 0));
    }

    [Test]
    public void GatheredSendDeliversEverySliceInOrder()
    {
        var sockets = ListeningSocket.OpenAll("127.0.0.1", 0);
        try
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(IPAddress.Loopback, sockets[0].Port);
            int fd = AcceptWithRetry(sockets[0], out _);
            try
            {
                var list = new GatherList();
                var parts = new[] { "head|", "xxINITyy", "frag1|", "frag2" };
                list.Add(Encoding.ASCII.GetBytes(parts[0]), 0, 5);
                list.Add(Encoding.ASCII.GetBytes(parts[1]), 2, 4);
                list.Add(Encoding.ASCII.GetBytes(parts[2]), 0, 6);
                list.Add(Encoding.ASCII.GetBytes(parts[3]), 0, 5);
                Assert.That(list.Send(fd), Is.EqualTo(20));
                var buffer = new byte[64];
                int got = 0;
                while (got < 20) got += client.Receive(buffer, got, 64 - got, SocketFlags.None);
                Assert.That(Encoding.ASCII.GetString(buffer, 0, got), Is.EqualTo("head|INITfrag1|frag2"));
                client.Close();
                Thread.Sleep(50);
                // A peer that is gone gives an error code, never SIGPIPE (which would kill the test host).
                long result = 0;
                for (int i = 0; i < 10 && result >= 0; i++) result = TcpSocket.Send(fd, new byte[1000]);
                Assert.That(result, Is.LessThan(0));
            }
            finally { TcpSocket.Close(fd); }
        }
        finally { DisposeAll(sockets); }
    }

    private static void AssertAccepts(ListeningSocket listener, IPAddress address, int port, string peerPrefix)
    {
        using var client = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(address, port);
        int fd = AcceptWithRetry(listener, out var peer);
        TcpSocket.Close(fd);
        Assert.That(peer.ToString(), Does.StartWith(peerPrefix));
        Assert.That(peer.Port, Is.EqualTo(((IPEndPoint)client.LocalEndPoint!).Port));
    }

    private static int AcceptWithRetry(ListeningSocket listener, out SocketEndpoint peer)
    {
        for (int i = 0; i < 200; i++)
        {
            int fd = TcpSocket.Accept(listener.Fd, out peer);
            if (fd >= 0) return fd;
            Assert.That(fd, Is.EqualTo(TcpSocket.WouldBlock));
            Thread.Sleep(5);
        }
        throw new AssertionException("no connection to accept");
    }
}
