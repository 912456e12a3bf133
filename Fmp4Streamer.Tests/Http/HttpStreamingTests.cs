using Fmp4Streamer.Http;

namespace Fmp4Streamer.Tests.Http;

public class HttpStreamingTests
{
    private const int Gop = 5;

    private static TestClient JoinStream(ServerFixture f, int expectedSubscribers, int receiveBufferBytes = 0)
    {
        var c = f.Connect(receiveBufferBytes);
        c.Send("GET /stream.mp4?1650000000 HTTP/1.1\r\nHost: a\r\nRange: bytes=0-\r\n\r\n");
        var head = c.ReadResponse(headOnly: true);
        Assert.That(head.Status, Is.EqualTo(200));
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == expectedSubscribers), Is.True, "subscribed");
        return c;
    }

    private static void PublishGops(ServerFixture f, int frames, int size = 200)
    {
        for (int i = 0; i < frames; i++)
        {
            int seq = f.LoopThread.Invoke(() => f.Stream.Sequence);
            f.Publish(seq % Gop == 0, size);
        }
    }

    [Test]
    public void SendsHeadersThenInitThenFragmentsFromAKeyFrame()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("GET /stream.mp4 HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = c.ReadResponse(headOnly: true);
        Assert.That(head.Status, Is.EqualTo(200));
        Assert.That(head.Header("Content-Type"), Is.EqualTo("video/mp4"));
        Assert.That(head.Header("Cache-Control"), Is.EqualTo("no-store"));
        // nginx passes every byte on at once instead of filling its buffers first.
        Assert.That(head.Header("X-Accel-Buffering"), Is.EqualTo("no"));
        Assert.That(head.Header("Connection"), Is.EqualTo("close"));
        Assert.That(head.Header("Content-Length"), Is.Null);
        Assert.That(head.Header("Transfer-Encoding"), Is.Null);
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 1), Is.True);

        f.Publish(false);            // 0: before the first key frame, not for this client
        f.Publish(false);            // 1
        f.Publish(true, 5000);       // 2: join here
        f.Publish(false, 70_000);    // 3: bigger than a socket buffer, still whole
        f.Publish(false);            // 4
        f.Publish(true);             // 5
        Assert.That(c.ReadBox().Type, Is.EqualTo("init"));
        for (int seq = 2; seq <= 5; seq++) Assert.That(c.ReadFragment(), Is.EqualTo((seq, seq == 2 || seq == 5)));
    }

    [Test]
    public void ClientsJoiningAtDifferentTimesEachStartAtAKeyFrame()
    {
        using var f = new ServerFixture();
        var readers = new List<FragmentReader>();
        var joinedAt = new List<int>();
        for (int client = 0; client < 3; client++)
        {
            readers.Add(new FragmentReader(JoinStream(f, client + 1)));
            joinedAt.Add(f.LoopThread.Invoke(() => f.Stream.Sequence));
            PublishGops(f, 7 + client);
        }
        int last = f.LoopThread.Invoke(() => f.Stream.Sequence) - 1;
        for (int i = 0; i < readers.Count; i++)
        {
            int firstKey = (joinedAt[i] + Gop - 1) / Gop * Gop;
            int expected = last - firstKey + 1;
            Assert.That(readers[i].WaitForCount(expected), Is.True, $"client {i} got {readers[i].Count} of {expected}");
            var got = readers[i].Snapshot();
            Assert.That(readers[i].InitType, Is.EqualTo("init"));
            Assert.That(got[0].Sequence, Is.EqualTo(firstKey), $"client {i} joined at the next key frame");
            FragmentReader.AssertKeyFrameJoinsAndResumes(got, "client " + i);
            Assert.That(got[^1].Sequence, Is.EqualTo(last));
            Assert.That(got.Count, Is.EqualTo(expected), "no gaps");
        }
        foreach (var r in readers) r.Dispose();
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 0 && f.Stream.Pool.Outstanding == 0), Is.True,
            "every client unsubscribed and released its fragments");
    }

    [Test]
    public void SlowReaderIsBoundedSkipsToKeyFramesAndOthersGetEverything()
    {
        const int Bound = 64 * 1024;
        const int Size = 8 * 1024;
        using var f = new ServerFixture(new HttpServerOptions { ClientQueueBytes = Bound, ClientStallTimeout = TimeSpan.FromSeconds(30) });
        using var fast1 = new FragmentReader(JoinStream(f, 1));
        using var fast2 = new FragmentReader(JoinStream(f, 2));
        var slow = JoinStream(f, 3, receiveBufferBytes: 4096);
        int first = f.LoopThread.Invoke(() => f.Stream.Sequence);

        long maxQueued = 0;
        for (int i = 0; i < 600; i++)
        {
            int seq = f.LoopThread.Invoke(() => f.Stream.Sequence);
            f.Publish(seq % Gop == 0, Size);
            maxQueued = Math.Max(maxQueued, f.LoopThread.Invoke(() => MaxQueued(f.Server)));
        }
        Assert.That(maxQueued, Is.GreaterThan(Bound / 2), "the slow client's queue did fill up");
        Assert.That(maxQueued, Is.LessThanOrEqualTo(Bound + Size), "queue bounded (+ one fragment)");
        long skipped = f.LoopThread.Invoke(() => MaxSkipped(f.Server));
        Assert.That(skipped, Is.GreaterThan(0));

        int last = f.LoopThread.Invoke(() => f.Stream.Sequence) - 1;
        int firstKey = (first + Gop - 1) / Gop * Gop;
        foreach (var fast in new[] { fast1, fast2 })
        {
            Assert.That(fast.WaitForCount(last - firstKey + 1), Is.True);
            var got = fast.Snapshot();
            Assert.That(got.Count, Is.EqualTo(last - firstKey + 1), "fast readers miss nothing");
            FragmentReader.AssertKeyFrameJoinsAndResumes(got, "fast");
        }

        // The slow reader starts reading: it gets whole fragments and resumes at a key frame after the skip.
        var slowReader = new FragmentReader(slow);
        int beforeResume = f.LoopThread.Invoke(() => f.Stream.Sequence);
        for (int i = 0; i < 30; i++)
        {
            int seq = f.LoopThread.Invoke(() => f.Stream.Sequence);
            f.Publish(seq % Gop == 0, Size);
            Thread.Sleep(2);
        }
        int end = f.LoopThread.Invoke(() => f.Stream.Sequence) - 1;
        Assert.That(slowReader.WaitForCount(1), Is.True);
        Assert.That(f.WaitFor(() =>
        {
            var s = slowReader.Snapshot();
            return s.Count > 0 && s[^1].Sequence == end;
        }), Is.True, "slow reader caught up with the live edge");
        var slowGot = slowReader.Snapshot();
        Assert.That(slowReader.InitType, Is.EqualTo("init"));
        FragmentReader.AssertKeyFrameJoinsAndResumes(slowGot, "slow");
        Assert.That(slowGot.Exists(x => x.Sequence >= beforeResume), Is.True);
        Assert.That(slowGot.Count, Is.LessThan(end - firstKey + 1), "it did skip");
        slowReader.Dispose();
        fast1.Dispose();
        fast2.Dispose();
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 0 && f.Stream.Pool.Outstanding == 0), Is.True, "no leaked references");
    }

    [Test]
    public void StalledClientIsDroppedWhileOthersKeepStreaming()
    {
        using var f = new ServerFixture(new HttpServerOptions { ClientQueueBytes = 32 * 1024, ClientStallTimeout = TimeSpan.FromMilliseconds(300) });
        using var fast = new FragmentReader(JoinStream(f, 1));
        using var stalled = JoinStream(f, 2, receiveBufferBytes: 4096);
        var start = DateTime.UtcNow;
        bool dropped = false;
        int published = 0;
        while (DateTime.UtcNow - start < TimeSpan.FromSeconds(8))
        {
            int seq = f.LoopThread.Invoke(() => f.Stream.Sequence);
            f.Publish(seq % Gop == 0, 8 * 1024);
            published++;
            Thread.Sleep(3);
            if (f.LoopThread.Invoke(() => f.Stream.SubscriberCount) == 1)
            {
                dropped = true;
                break;
            }
        }
        Assert.That(dropped, Is.True, "the stalled client was closed");
        Assert.That(f.LoopThread.Invoke(() => f.Server.StreamingClientCount), Is.EqualTo(1));
        // The remaining client still streams.
        int before = fast.Count;
        PublishGops(f, 10);
        Assert.That(fast.WaitForCount(before + 10), Is.True);
        Assert.That(fast.Error, Is.Null);
        Assert.That(stalled.WaitForClose(TimeSpan.FromSeconds(5)), Is.True);
    }

    [Test]
    public void PoolOutstandingReturnsToZeroAfterAllClientsLeave()
    {
        using var f = new ServerFixture(new HttpServerOptions { ClientQueueBytes = 1024 * 1024 });
        var a = JoinStream(f, 1);
        var b = JoinStream(f, 2, receiveBufferBytes: 4096);
        for (int i = 0; i < 2000 && f.LoopThread.Invoke(() => f.Stream.Pool.Outstanding) == 0; i++) PublishGops(f, 1, 8192);
        Assert.That(f.LoopThread.Invoke(() => f.Stream.Pool.Outstanding), Is.GreaterThan(0), "the unread client holds fragments");
        a.Dispose();
        b.Dispose();
        // Closing is noticed on the next send or poll.
        for (int i = 0; i < 50 && f.LoopThread.Invoke(() => f.Stream.SubscriberCount) > 0; i++)
        {
            f.Publish(false, 4096);
            Thread.Sleep(10);
        }
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 0 && f.Server.ClientCount == 0), Is.True);
        Assert.That(f.LoopThread.Invoke(() => f.Stream.Pool.Outstanding), Is.EqualTo(0));
    }

    [Test]
    public void SlowlorisIsClosedWhileAStreamKeepsStreaming()
    {
        using var f = new ServerFixture(new HttpServerOptions { RequestTimeout = TimeSpan.FromMilliseconds(400) });
        using var streaming = new FragmentReader(JoinStream(f, 1));
        using var loris = f.Connect();
        loris.Send("GET /stream.mp4 HTTP/1.1\r\nHost: a\r\nX-a: ");
        var start = DateTime.UtcNow;
        var closed = Task.Run(() => loris.WaitForClose(TimeSpan.FromSeconds(5)));
        while (!closed.IsCompleted)
        {
            int seq = f.LoopThread.Invoke(() => f.Stream.Sequence);
            f.Publish(seq % Gop == 0);
            Thread.Sleep(10);
        }
        Assert.That(closed.Result, Is.True);
        Assert.That(DateTime.UtcNow - start, Is.GreaterThan(TimeSpan.FromMilliseconds(300)));
        int before = streaming.Count;
        Assert.That(before, Is.GreaterThan(10), "streamed while the slowloris waited");
        PublishGops(f, 5);
        Assert.That(streaming.WaitForCount(before + 5), Is.True);
        Assert.That(f.LoopThread.Invoke(() => f.Stream.SubscriberCount), Is.EqualTo(1));
    }

    [Test]
    public void StreamResetEndsTheResponseAfterQueuedFragments()
    {
        using var f = new ServerFixture();
        using var reader = new FragmentReader(JoinStream(f, 1));
        PublishGops(f, 7);
        f.LoopThread.Invoke(() => f.Stream.Reset());
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 0), Is.True, "unsubscribed");
        var end = DateTime.UtcNow.AddSeconds(5);
        while (!reader.Ended && DateTime.UtcNow < end) Thread.Sleep(5);
        Assert.That(reader.Ended, Is.True, "response ended");
        Assert.That(reader.Error, Is.Null);
        Assert.That(reader.Count, Is.EqualTo(7), "whole fragments, then the close");
        Assert.That(f.WaitFor(() => f.Stream.Pool.Outstanding == 0), Is.True);
    }

    [Test]
    public void FragmentsOfANewInitSegmentEndTheResponse()
    {
        using var f = new ServerFixture();
        using var reader = new FragmentReader(JoinStream(f, 1));
        PublishGops(f, 3);
        f.LoopThread.Invoke(() => f.Stream.Init = FakeLiveStream.MakeInit("avc1.640028"));
        PublishGops(f, 3);
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 0), Is.True);
        var end = DateTime.UtcNow.AddSeconds(5);
        while (!reader.Ended && DateTime.UtcNow < end) Thread.Sleep(5);
        Assert.That(reader.Ended, Is.True);
        Assert.That(reader.Count, Is.EqualTo(3), "only the fragments of the first init segment");
    }

    [Test]
    public void ClientThatDisconnectsIsUnsubscribed()
    {
        using var f = new ServerFixture();
        var c = JoinStream(f, 1);
        PublishGops(f, 3);
        c.Dispose();
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 0 && f.Server.ClientCount == 0), Is.True);
        PublishGops(f, 3);
        Assert.That(f.LoopThread.Invoke(() => f.Stream.Pool.Outstanding), Is.EqualTo(0));
    }

    private static long MaxQueued(HttpServer server)
    {
        long max = 0;
        foreach (var c in server.Connections) max = Math.Max(max, c.QueuedBytes);
        return max;
    }

    private static long MaxSkipped(HttpServer server)
    {
        long max = 0;
        foreach (var c in server.Connections) max = Math.Max(max, c.Skipped);
        return max;
    }
}
