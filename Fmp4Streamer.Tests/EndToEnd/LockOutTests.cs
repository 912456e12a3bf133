using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>Idle and slowloris sockets from one address cannot lock viewers from another out.</summary>
[Category("EndToEnd")]
[NonParallelizable]
public class LockOutTests
{
    private const int Idle = 3000;
    private const int Slowloris = 150;

    [Test]
    public void AViewerStartsWithinASecondWhileOneAddressHoldsIdleAndSlowlorisSockets()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        var attacker = IPAddress.Parse("127.0.0.2");
        var target = new IPEndPoint(IPAddress.Loopback, daemon.Port);
        var sockets = new List<Socket>();
        using var stop = new CancellationTokenSource();
        try
        {
            for (int i = 0; i < Idle + Slowloris; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Bind(new IPEndPoint(attacker, 0));
                try { s.Connect(target); }
                catch (SocketException) { }
                sockets.Add(s);
            }
            var loris = sockets.GetRange(Idle, Slowloris);
            foreach (var s in loris) Try(() => s.Send("GET / HTTP/1.1\r\nHost: x\r\n"u8));
            var dripper = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var s in loris) Try(() => s.Send("X"u8));
                    try { await Task.Delay(2000, stop.Token); }
                    catch (OperationCanceledException) { }
                }
            });
            Thread.Sleep(2000);

            var clock = Stopwatch.StartNew();
            using var viewer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
            viewer.Connect(target);
            viewer.Send("GET /stream.mp4 HTTP/1.1\r\nHost: x\r\n\r\n"u8);
            string head = ReadHead(viewer);
            Assert.That(head, Does.StartWith("HTTP/1.1 200"), daemon.Log);
            Assert.That(ReadBoxType(viewer), Is.EqualTo("ftyp"));
            string next;
            do next = ReadBoxType(viewer);
            while (next != "moof");
            clock.Stop();
            TestContext.Progress.WriteLine($"viewer's first fragment after {clock.ElapsedMilliseconds} ms beside {Idle} idle and {Slowloris} slowloris sockets");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
            stop.Cancel();
            dripper.Wait(TimeSpan.FromSeconds(5));
        }
        finally
        {
            stop.Cancel();
            foreach (var s in sockets) s.Dispose();
        }
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    private static void Try(Action action)
    {
        try { action(); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    private static string ReadHead(Socket s)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^1] != '\n' || head[^2] != '\r' || head[^3] != '\n' || head[^4] != '\r')
        {
            if (s.Receive(one) == 0) throw new EndOfStreamException("closed in the head");
            head.Add(one[0]);
        }
        return Encoding.ASCII.GetString(head.ToArray());
    }

    private static string ReadBoxType(Socket s)
    {
        var header = ReadExactly(s, 8);
        ReadExactly(s, (int)BinaryPrimitives.ReadUInt32BigEndian(header) - 8);
        return Encoding.ASCII.GetString(header, 4, 4);
    }

    private static byte[] ReadExactly(Socket s, int n)
    {
        var data = new byte[n];
        int got = 0;
        while (got < n)
        {
            int r = s.Receive(data, got, n - got, SocketFlags.None);
            if (r == 0) throw new EndOfStreamException();
            got += r;
        }
        return data;
    }
}
