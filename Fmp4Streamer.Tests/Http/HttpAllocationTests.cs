using Fmp4Streamer.Http;

namespace Fmp4Streamer.Tests.Http;

public class HttpAllocationTests
{
    private static unsafe void SetSendBuffer(int fd, int bytes) =>
        Tmds.Linux.LibC.setsockopt(fd, Tmds.Linux.LibC.SOL_SOCKET, Tmds.Linux.LibC.SO_SNDBUF, &bytes, sizeof(int));

    /// <param name="receiveBufferBytes">4096: small socket buffers on both sides, so sends fill the socket and the EPOLLOUT path is measured too.</param>
    [TestCase(0)]
    [TestCase(4096)]
    public void FanOutToFiveClientsAllocatesNothingPerFragment(int receiveBufferBytes)
    {
        const int Clients = 5, WarmUp = 300, Measured = 1000;
        using var f = new ServerFixture(new HttpServerOptions { ClientQueueBytes = 8 * 1024 * 1024 });
        var readers = new List<FragmentReader>();
        for (int i = 0; i < Clients; i++)
        {
            var c = f.Connect(receiveBufferBytes);
            c.Send("GET /stream.mp4 HTTP/1.1\r\nHost: a\r\n\r\n");
            Assert.That(c.ReadResponse(headOnly: true).Status, Is.EqualTo(200));
            readers.Add(new FragmentReader(c));
        }
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == Clients), Is.True);
        if (receiveBufferBytes > 0)
        {
            f.LoopThread.Invoke(() =>
            {
                foreach (var c in f.Server.Connections) SetSendBuffer(c.Fd, receiveBufferBytes);
            });
        }

        var producer = f.LoopThread.Invoke(() =>
        {
            // Fill the pool first so a reader that lags for a moment does not make it grow during the measurement.
            var warm = new List<Fmp4Streamer.Streaming.SharedFragment>();
            for (int i = 0; i < 400; i++) warm.Add(f.Stream.Pool.Rent(30_000));
            foreach (var w in warm) w.Release();
            var p = new PacedProducer(f.LoopThread.Loop, f.Stream, intervalUs: 300, WarmUp, Measured, gop: 30, keySize: 30_000, size: 3_000);
            p.Start();
            return p;
        });
        var end = DateTime.UtcNow.AddSeconds(30);
        while (!producer.Done && DateTime.UtcNow < end) Thread.Sleep(10);
        Assert.That(producer.Done, Is.True);

        foreach (var r in readers) Assert.That(r.WaitForCount(WarmUp + Measured), Is.True, "every client received every fragment");
        var (skipped, wouldBlock) = f.LoopThread.Invoke(() =>
        {
            long s = 0, w = 0;
            foreach (var c in f.Server.Connections)
            {
                s += c.Skipped;
                w += c.WouldBlockCount;
            }
            return (s, w);
        });
        if (receiveBufferBytes > 0) Assert.That(wouldBlock, Is.GreaterThan(0), "sends did block and resume on EPOLLOUT");
        Assert.That(skipped, Is.EqualTo(0), "no client fell behind, so this measured the plain fan-out path");
        TestContext.Out.WriteLine($"loop thread allocated {producer.AllocatedBytes} bytes for {Measured} fragments x {Clients} clients ({wouldBlock} sends blocked)");
        Assert.That(producer.AllocatedBytes, Is.EqualTo(0));
        foreach (var r in readers) r.Dispose();
        Assert.That(f.WaitFor(() => f.Stream.Pool.Outstanding == 0), Is.True);
    }
}
