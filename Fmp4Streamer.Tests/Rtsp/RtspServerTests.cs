using System.Net;
using System.Net.Sockets;
using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Rtsp;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.Http;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Rtsp;

/// <summary>The RTSP server in process over real sockets, fed test-pattern access units by hand.</summary>
public class RtspServerTests
{
    private LoopThread _loop = null!;
    private ManualVideoSource _source = null!;
    private StreamHub _hub = null!;
    private RtspServer _server = null!;
    private TestPatternEncoder _encoder = null!;
    private byte[] _frame = null!;
    private long _n;

    private void Start(int queueBytes = 4 << 20)
    {
        _loop = new LoopThread();
        _source = new ManualVideoSource();
        _encoder = new TestPatternEncoder(320, 240, 30);
        _frame = new byte[_encoder.MaxFrameSize + 300_000];
        int udpFirst = 40000 + Random.Shared.Next(0, 100) * 100;
        _loop.Invoke(() =>
        {
            _hub = new StreamHub(_loop.Loop, _source, new StreamHubOptions { Name = "cam", AutoSleep = false });
            _hub.Open();
            _server = new RtspServer(_loop.Loop, new RtspServerOptions
            {
                Listen = "127.0.0.1", Port = 0, UdpPortFirst = udpFirst, UdpPortLast = udpFirst + 99,
                ClientQueueBytes = queueBytes,
            }, new[] { _hub }, new[] { 30 });
            _server.Start();
            // The hub knows its parameter sets before anyone asks.
            Push(key: true);
        });
    }

    [TearDown]
    public void Stop()
    {
        _loop.Invoke(() =>
        {
            _server.Dispose();
            _hub.Close();
        });
        _loop.Dispose();
    }

    /// <summary>One access unit on the loop thread; <paramref name="filler"/> bytes of an SEI NAL make it large.</summary>
    private void Push(bool key, int filler = 0)
    {
        int length = _encoder.EncodeFrame(_n, 1_700_000_000_000 + _n * 33, key, _frame);
        if (filler > 0)
        {
            _frame[length++] = 0; _frame[length++] = 0; _frame[length++] = 0; _frame[length++] = 1;
            _frame[length++] = 6; // SEI: kept in the sample, ignored here
            _frame.AsSpan(length, filler).Fill(0x55);
            length += filler;
            _frame[length++] = 0x80;
        }
        _source.Sink!.OnAccessUnit(_frame.AsSpan(0, length), 1_000_000 + _n * 33_333);
        _n++;
    }

    private RtspTestClient Play(string transport, out string session, int receiveBuffer = 0)
    {
        var client = new RtspTestClient(_loop.Invoke(() => _server.Port), receiveBuffer);
        string url = $"rtsp://127.0.0.1:{_server.Port}/cam";
        var describe = client.Request("DESCRIBE", url);
        Assert.That(describe.Status, Is.EqualTo(200), describe.Head);
        Assert.That(describe.Body, Does.Contain("packetization-mode=1").And.Contain("sprop-parameter-sets=").And.Contain("a=framerate:30"));
        var setup = client.Request("SETUP", url + "/trackID=0", "Transport: " + transport);
        Assert.That(setup.Status, Is.EqualTo(200), setup.Head);
        session = RtspTestClient.HeaderValue(setup.Head, "Session");
        Assert.That(session, Does.EndWith(";timeout=60"));
        session = session.Split(';')[0];
        var play = client.Request("PLAY", url, "Session: " + session);
        Assert.That(play.Status, Is.EqualTo(200), play.Head);
        Assert.That(RtspTestClient.HeaderValue(play.Head, "RTP-Info"), Does.Contain("seq=").And.Contain("rtptime="));
        return client;
    }

    [Test]
    public void A_tcp_client_that_stops_reading_skips_to_a_key_frame_while_a_reading_client_gets_every_frame()
    {
        Start(queueBytes: 256 * 1024);
        using var stalled = Play("RTP/AVP/TCP;unicast;interleaved=0-1", out _, receiveBuffer: 4096);
        using var reader = Play("RTP/AVP/TCP;unicast;interleaved=0-1", out _);
        int markers = 0;
        var reading = Task.Run(() =>
        {
            while (reader.ReadInterleaved() is { } p)
                if (p.Channel == 0 && (p.Payload[1] & 0x80) != 0) Interlocked.Increment(ref markers);
        });
        const int frames = 100;
        for (int i = 0; i < frames; i++)
        {
            _loop.Invoke(() => Push(key: i % 10 == 0, filler: 200_000));
            Thread.Sleep(5);
        }
        Assert.That(SpinWait.SpinUntil(() => Volatile.Read(ref markers) >= frames, 10_000), Is.True, $"reader got {markers} of {frames} frames");
        var (stalledSkipped, readerSkipped, connections) = _loop.Invoke(() =>
        {
            var sessions = _server.Connections.Select(c => c.Sessions[0]).ToArray();
            return (sessions[0].FramesSkipped, sessions[1].FramesSkipped, _server.Connections.Count);
        });
        Assert.That(stalledSkipped, Is.GreaterThan(0));
        Assert.That(readerSkipped, Is.EqualTo(0));
        Assert.That(connections, Is.EqualTo(2));

        // Reading again, it resumes: every gap in its sequence numbers is followed by a key frame's SPS.
        int gaps = 0, afterGapNotSps = 0;
        stalled.Socket.ReceiveTimeout = 1000; // the reading below ends after a second without data
        var resumed = Task.Run(() =>
        {
            int? previous = null;
            bool afterGap = false;
            while (stalled.ReadInterleaved() is { } p)
            {
                if (p.Channel != 0) continue;
                int seq = RtspTestClient.Sequence(p.Payload);
                if (previous is not null && (ushort)(previous.Value + 1) != seq)
                {
                    gaps++;
                    afterGap = true;
                }
                else if (afterGap)
                {
                    afterGap = false;
                }
                if (afterGap && (p.Payload[12] & 0x1F) != 7) afterGapNotSps++;
                afterGap = false;
                previous = seq;
            }
        });
        for (int i = 0; i < 30; i++)
        {
            _loop.Invoke(() => Push(key: i % 10 == 5, filler: 1000)); // not a key frame first
            Thread.Sleep(5);
        }
        Assert.That(resumed.Wait(20_000), Is.True, "the stalled client never caught up");
        Assert.That(gaps, Is.GreaterThan(0));
        Assert.That(afterGapNotSps, Is.EqualTo(0), "a gap not followed by a key frame");
        reader.Socket.Shutdown(SocketShutdown.Both);
        reading.Wait(5000);
    }

    [Test]
    public void A_pictures_only_camera_is_not_found_at_once()
    {
        Start();
        _source.PicturesOnly = true;
        using var client = new RtspTestClient(_loop.Invoke(() => _server.Port));
        string url = $"rtsp://127.0.0.1:{_server.Port}/cam";
        Assert.That(client.Request("DESCRIBE", url, "Accept: application/sdp").Status, Is.EqualTo(404));
        Assert.That(client.Request("SETUP", url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1").Status, Is.EqualTo(404));
    }

    [Test]
    public void Fan_out_to_tcp_and_udp_clients_allocates_nothing_per_frame()
    {
        Start();
        var udp = new List<UdpClient>();
        var clients = new List<RtspTestClient>();
        var readers = new List<Task>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var c = Play("RTP/AVP/TCP;unicast;interleaved=0-1", out _);
                clients.Add(c);
                readers.Add(Task.Run(() => { while (c.ReadInterleaved() is not null) { } }));
            }
            for (int i = 0; i < 2; i++)
            {
                var rtp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
                udp.Add(rtp);
                int port = ((IPEndPoint)rtp.Client.LocalEndPoint!).Port;
                clients.Add(Play($"RTP/AVP;unicast;client_port={port}-{port + 1}", out _));
                readers.Add(Task.Run(() => { try { while (true) rtp.Receive(ref Sink.Any); } catch (Exception) { } }));
            }
            void Frames()
            {
                for (int i = 0; i < 30; i++) Push(key: i == 0);
            }
            _loop.Invoke(Frames); // warm-up: pools and queues reach their size
            Thread.Sleep(200);
            long bytes = _loop.Invoke(() => AllocationProbe.MinimumBytes(3, Frames));
            Assert.That(bytes, Is.EqualTo(0));
            var sent = _loop.Invoke(() => _server.Connections.Select(c => c.Sessions[0].FramesSent).ToArray());
            Assert.That(sent, Has.All.GreaterThanOrEqualTo(100));
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
            foreach (var u in udp) u.Dispose();
        }
    }

    private static class Sink
    {
        public static IPEndPoint? Any;
    }
}
