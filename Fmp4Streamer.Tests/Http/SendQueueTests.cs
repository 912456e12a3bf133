using Fmp4Streamer.Linux;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Fmp4Streamer.Http;
using Fmp4Streamer.Mp4;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Tests.Http;

/// <summary>The send queue against a real socket: partial sends, byte ranges, per-client tfdt rebasing, dropping.</summary>
public class SendQueueTests
{
    private const ulong SharedTfdt = 900_000;
    private const ulong Origin = 300_000;

    /// <summary>A connected loopback pair: the queue writes to <see cref="Server"/> (non-blocking), the test reads <see cref="Client"/>.</summary>
    private sealed class SocketPair : IDisposable
    {
        public SocketPair(int bufferBytes = 0)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            Client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
            if (bufferBytes > 0) Client.ReceiveBufferSize = bufferBytes;
            Client.Connect(listener.LocalEndPoint!);
            Server = listener.Accept();
            if (bufferBytes > 0) Server.SendBufferSize = bufferBytes;
            Server.Blocking = false;
        }

        public Socket Client { get; }
        public Socket Server { get; }
        public int Fd => (int)Server.Handle;

        public byte[] Read(int n)
        {
            var data = new byte[n];
            int got = 0;
            while (got < n) got += Client.Receive(data, got, n - got, SocketFlags.None);
            return data;
        }

        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
        }
    }

    private static SharedFragment Fragment(FragmentPool pool, uint sequence, ulong tfdt, int sampleSize, bool key = true)
    {
        var f = pool.Rent(FragmentWriter.HeaderSize + sampleSize);
        for (int i = 0; i < sampleSize; i++) f.Buffer[FragmentWriter.HeaderSize + i] = (byte)(sequence * 31 + i);
        FragmentWriter.WriteHeader(f.Buffer, sequence, tfdt, 3000, key, sampleSize);
        f.Length = FragmentWriter.HeaderSize + sampleSize;
        f.DecodeTime = tfdt;
        f.IsKeyFrame = key;
        return f;
    }

    /// <summary>The fragment's bytes as a client with <paramref name="origin"/> must see them.</summary>
    private static byte[] Rebased(SharedFragment f, ulong origin)
    {
        var bytes = f.Span.ToArray();
        ulong tfdt = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(FragmentWriter.TfdtValueOffset));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(FragmentWriter.TfdtValueOffset), tfdt - origin);
        return bytes;
    }

    private static void FlushAll(SendQueue queue, SocketPair pair)
    {
        var result = queue.Flush(pair.Fd, out _, out int errno);
        Assert.That(result, Is.EqualTo(FlushResult.Done), "errno " + errno);
    }

    [Test]
    public void ARebasedFragmentGoesOutWithTheClientsTfdtAndTheSharedBufferIsUnchanged()
    {
        var pool = new FragmentPool(SystemClock.Instance, initialCapacity: 1024);
        using var pair = new SocketPair();
        var f = Fragment(pool, 1, SharedTfdt, 100);
        var shared = f.Span.ToArray();
        var queue = new SendQueue(8);
        Assert.That(queue.TryEnqueue(f, 0, f.Length, rebase: true, Origin), Is.True);
        FlushAll(queue, pair);
        var wire = pair.Read(f.Length);
        Assert.That(BinaryPrimitives.ReadUInt64BigEndian(wire.AsSpan(FragmentWriter.TfdtValueOffset)), Is.EqualTo(SharedTfdt - Origin));
        Assert.That(wire, Is.EqualTo(Rebased(f, Origin)), "only the tfdt value differs");
        Assert.That(f.Span.ToArray(), Is.EqualTo(shared), "the shared buffer was not written");
        f.Release();
        Assert.That(pool.Outstanding, Is.Zero, "the queue released its reference after the last byte");
    }

    [Test]
    public void TheTfdtOffsetIsWhereTheWriterPutsTheDecodeTime()
    {
        var buffer = new byte[FragmentWriter.HeaderSize + 4];
        FragmentWriter.WriteHeader(buffer, 7, 0x0102030405060708, 3000, true, 4);
        Assert.That(FragmentWriter.HasTfdt(buffer), Is.True);
        Assert.That(BinaryPrimitives.ReadUInt64BigEndian(buffer.AsSpan(FragmentWriter.TfdtValueOffset)), Is.EqualTo(0x0102030405060708UL));
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(7)]
    [TestCase(8)]
    [TestCase(61)]
    public void SendsSplitAtAnyByteCarryTheSameBytes(int bytesPerSend)
    {
        var pool = new FragmentPool(SystemClock.Instance, initialCapacity: 1024);
        using var pair = new SocketPair();
        var head = "HTTP/1.1 200 OK\r\n\r\n"u8.ToArray();
        var fragments = new[] { Fragment(pool, 1, SharedTfdt, 50), Fragment(pool, 2, SharedTfdt + 3000, 20, false), Fragment(pool, 3, SharedTfdt + 6000, 90, false) };
        var queue = new SendQueue(8) { MaxBytesPerSend = bytesPerSend };
        queue.EnqueuePlain(head, 0, head.Length);
        foreach (var f in fragments) queue.TryEnqueue(f, 0, f.Length, rebase: true, Origin);
        var expected = new List<byte>(head);
        foreach (var f in fragments) expected.AddRange(Rebased(f, Origin));
        FlushAll(queue, pair);
        Assert.That(queue.IsEmpty, Is.True);
        Assert.That(queue.FragmentsSent, Is.EqualTo(3));
        Assert.That(pair.Read(expected.Count), Is.EqualTo(expected.ToArray()));
        foreach (var f in fragments) f.Release();
        Assert.That(pool.Outstanding, Is.Zero);
    }

    [Test]
    public void ByteRangesOfARebasedFragmentJoinUpAtEveryCut()
    {
        var pool = new FragmentPool(SystemClock.Instance, initialCapacity: 1024);
        using var pair = new SocketPair();
        var f = Fragment(pool, 1, SharedTfdt, 40);
        var expected = Rebased(f, Origin);
        var queue = new SendQueue(8);
        for (int cut = 0; cut <= f.Length; cut++)
        {
            queue.TryEnqueue(f, 0, cut, rebase: true, Origin);
            queue.TryEnqueue(f, cut, f.Length, rebase: true, Origin);
            Assert.That(queue.QueuedBytes, Is.EqualTo(f.Length));
            FlushAll(queue, pair);
            Assert.That(pair.Read(f.Length), Is.EqualTo(expected), "cut at " + cut);
        }
        // One range inside the tfdt value.
        queue.TryEnqueue(f, FragmentWriter.TfdtValueOffset + 2, FragmentWriter.TfdtValueOffset + 5, rebase: true, Origin);
        FlushAll(queue, pair);
        Assert.That(pair.Read(3), Is.EqualTo(expected.AsSpan(FragmentWriter.TfdtValueOffset + 2, 3).ToArray()));
        f.Release();
        Assert.That(pool.Outstanding, Is.Zero);
    }

    [Test]
    public void BytesThatAreNotTheWritersFragmentGoOutUnchanged()
    {
        var pool = new FragmentPool(SystemClock.Instance, initialCapacity: 1024);
        using var pair = new SocketPair();
        var f = pool.Rent(200);
        for (int i = 0; i < 200; i++) f.Buffer[i] = (byte)i;
        f.Length = 200;
        var queue = new SendQueue(8);
        queue.TryEnqueue(f, 0, f.Length, rebase: true, Origin);
        FlushAll(queue, pair);
        Assert.That(pair.Read(200), Is.EqualTo(f.Span.ToArray()));
        f.Release();
    }

    /// <summary>
    /// A slow client overflows while a fragment is half sent: only the fragments that have not started are dropped,
    /// so what it receives is still whole fragments (the half-sent one finishes, then the next key frame follows).
    /// </summary>
    [Test]
    public void DroppingForASlowClientKeepsTheHalfSentFragment()
    {
        var pool = new FragmentPool(SystemClock.Instance, initialCapacity: 1024);
        using var pair = new SocketPair(bufferBytes: 4096);
        var first = Fragment(pool, 1, SharedTfdt, 400_000);
        var second = Fragment(pool, 2, SharedTfdt + 3000, 1000, false);
        var third = Fragment(pool, 3, SharedTfdt + 6000, 1000, false);
        var queue = new SendQueue(8);
        foreach (var f in new[] { first, second, third }) queue.TryEnqueue(f, 0, f.Length, rebase: true, Origin);
        Assert.That(queue.Flush(pair.Fd, out long sent, out _), Is.EqualTo(FlushResult.WouldBlock));
        Assert.That(sent, Is.GreaterThan(0).And.LessThan(first.Length), "the first fragment is half sent");

        Assert.That(queue.DropUnstarted(), Is.EqualTo(2), "only the two that had not started");
        Assert.That(queue.QueuedBytes, Is.EqualTo(first.Length - sent));
        var key = Fragment(pool, 4, SharedTfdt + 9000, 500);
        queue.TryEnqueue(key, 0, key.Length, rebase: true, Origin);

        var expected = new List<byte>(Rebased(first, Origin));
        expected.AddRange(Rebased(key, Origin));
        var reader = Task.Run(() => pair.Read(expected.Count));
        var end = DateTime.UtcNow.AddSeconds(10);
        while (!queue.IsEmpty && DateTime.UtcNow < end)
        {
            if (queue.Flush(pair.Fd, out _, out _) == FlushResult.WouldBlock) Thread.Sleep(1);
        }
        Assert.That(reader.Wait(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(reader.Result, Is.EqualTo(expected.ToArray()), "whole fragments: the half-sent one, then the key frame");
        foreach (var f in new[] { first, second, third, key }) f.Release();
        Assert.That(pool.Outstanding, Is.Zero);
    }

    [Test]
    public void ClearReleasesEveryReference()
    {
        var pool = new FragmentPool(SystemClock.Instance, initialCapacity: 1024);
        var queue = new SendQueue(4);
        var fragments = new[] { Fragment(pool, 1, 0, 10), Fragment(pool, 2, 3000, 10), Fragment(pool, 3, 6000, 10), Fragment(pool, 4, 9000, 10), Fragment(pool, 5, 12000, 10) };
        int queued = 0;
        foreach (var f in fragments) if (queue.TryEnqueue(f)) queued++;
        Assert.That(queued, Is.EqualTo(4), "the ring holds four");
        Assert.That(queue.IsFragmentRingFull, Is.True);
        queue.Clear();
        foreach (var f in fragments) f.Release();
        Assert.That(pool.Outstanding, Is.Zero);
        Assert.That(queue.IsEmpty, Is.True);
    }
}
