using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Fmp4Streamer.Audio;
using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Rtsp;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.Audio;
using Fmp4Streamer.Tests.Http;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Rtsp;

/// <summary>
/// The RTSP server in process with a stream that has sound: test-pattern frames at 30 fps and 10 ms PCM periods
/// handed over by hand in capture order, encoded by a stand-in encoder whose units carry their own number.
/// </summary>
public class RtspAudioServerTests
{
    private const int Rate = 48000, PeriodFrames = 480;

    // Capture times start at the loop's clock, which the sender reports read: the RTP distances stay short.
    private long _startUs;

    /// <summary>Units of 100-300 bytes whose first four bytes count the units made so far.</summary>
    private sealed class NumberingEncoder : IAudioEncoder
    {
        private int _units;
        public int FrameSamples => 1024;
        public int DelaySamples => 0;
        public ReadOnlySpan<byte> AudioSpecificConfig => new byte[] { 0x11, 0x88 };
        public string Codecs => "mp4a.40.2";
        public int MaxUnitBytes => 400;

        public int Encode(ReadOnlySpan<short> pcm, Span<byte> output)
        {
            int size = 100 + _units % 200;
            output[..size].Fill(0x5A);
            BinaryPrimitives.WriteInt32BigEndian(output, _units++);
            return size;
        }
    }

    private LoopThread _loop = null!;
    private ManualVideoSource _source = null!;
    private ManualPcmSource _pcm = null!;
    private StreamHub _hub = null!;
    private RtspServer _server = null!;
    private TestPatternEncoder _encoder = null!;
    private byte[] _frame = null!;
    private long _frames, _periods;

    [SetUp]
    public void Start()
    {
        _loop = new LoopThread();
        _source = new ManualVideoSource();
        _pcm = new ManualPcmSource(Rate, 1);
        _encoder = new TestPatternEncoder(320, 240, 30);
        _frame = new byte[_encoder.MaxFrameSize];
        int udpFirst = 40000 + Random.Shared.Next(0, 100) * 100;
        _loop.Invoke(() =>
        {
            _startUs = _loop.Loop.NowUs;
            _hub = new StreamHub(_loop.Loop, _source, new StreamHubOptions { Name = "cam", AutoSleep = false },
                new AudioTrack(_pcm, new NumberingEncoder(), "cam"));
            _hub.Open();
            _server = new RtspServer(_loop.Loop, new RtspServerOptions
            {
                Listen = "127.0.0.1", Port = 0, UdpPortFirst = udpFirst, UdpPortLast = udpFirst + 99,
            }, new[] { _hub }, new[] { 30 });
            _server.Start();
            Run(1, keyFrames: true);
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

    private long FrameUs(long n) => _startUs + n * 1_000_000 / 30;
    private long PeriodEndUs(long p) => _startUs + (p + 1) * PeriodFrames * 1_000_000 / Rate;

    /// <summary>Hands over <paramref name="count"/> more frames and the PCM captured by then, on the loop thread.</summary>
    private void Run(int count, bool keyFrames = false)
    {
        for (long end = _frames + count; _frames < end;)
        {
            if (PeriodEndUs(_periods) <= FrameUs(_frames))
            {
                _pcm.Push(PeriodFrames, PeriodEndUs(_periods) - PeriodFrames * 1_000_000L / Rate);
                _periods++;
                continue;
            }
            int length = _encoder.EncodeFrame(_frames, 0, keyFrames || _frames % 30 == 0, _frame);
            _source.Sink!.OnAccessUnit(_frame.AsSpan(0, length), FrameUs(_frames));
            _frames++;
        }
    }

    private string Url => $"rtsp://127.0.0.1:{_server.Port}/cam";

    private RtspTestClient Connect() => new(_loop.Invoke(() => _server.Port));

    private static string Setup(RtspTestClient client, string url, string transport, string? session, out string transportReply)
    {
        var setup = session is null
            ? client.Request("SETUP", url, "Transport: " + transport)
            : client.Request("SETUP", url, "Transport: " + transport, "Session: " + session);
        Assert.That(setup.Status, Is.EqualTo(200), setup.Head);
        transportReply = RtspTestClient.HeaderValue(setup.Head, "Transport");
        return RtspTestClient.HeaderValue(setup.Head, "Session").Split(';')[0];
    }

    [Test]
    public void Describe_offers_the_aac_track_and_setup_takes_both_tracks_in_one_session()
    {
        using var client = Connect();
        var describe = client.Request("DESCRIBE", Url);
        Assert.That(describe.Body, Does.Contain("m=audio 0 RTP/AVP 97\r\na=rtpmap:97 mpeg4-generic/48000/1\r\n")
            .And.Contain("config=1188;").And.Contain("a=control:trackID=1"));
        string session = Setup(client, Url + "/trackID=0", "RTP/AVP/TCP;unicast;interleaved=0-1", null, out var video);
        Assert.That(video, Does.Contain("interleaved=0-1"));
        Assert.That(Setup(client, Url + "/trackID=1", "RTP/AVP/TCP;unicast;interleaved=2-3", session, out var audio), Is.EqualTo(session));
        Assert.That(audio, Does.Contain("interleaved=2-3"));
        var again = client.Request("SETUP", Url + "/trackID=1", "Transport: RTP/AVP/TCP;unicast", "Session: " + session);
        Assert.That(again.Status, Is.EqualTo(459), "the same track twice");
        var play = client.Request("PLAY", Url, "Session: " + session);
        Assert.That(play.Status, Is.EqualTo(200), play.Head);
        string rtpInfo = RtspTestClient.HeaderValue(play.Head, "RTP-Info");
        Assert.That(rtpInfo, Does.Match($@"^url={Url}/trackID=0;seq=\d+;rtptime=\d+,url={Url}/trackID=1;seq=\d+;rtptime=\d+$"));
        Assert.That(_loop.Invoke(() => _server.SessionCount), Is.EqualTo(1));
    }

    [Test]
    public void The_audio_track_of_a_stream_without_sound_is_not_found_and_a_video_client_gets_no_audio()
    {
        using var client = Connect();
        // A video-only session on a stream with sound sees only channels 0 and 1.
        string session = Setup(client, Url + "/trackID=0", "RTP/AVP/TCP;unicast;interleaved=0-1", null, out _);
        Assert.That(client.Request("PLAY", Url, "Session: " + session).Status, Is.EqualTo(200));
        _loop.Invoke(() => Run(90));
        var channels = new HashSet<int>();
        for (int i = 0; i < 50; i++) channels.Add(client.ReadInterleaved()!.Value.Channel);
        Assert.That(channels, Is.SubsetOf(new[] { 0, 1 }));
        Assert.That(channels, Does.Contain(0));
        Assert.That(_loop.Invoke(() => _server.Streams[0].Audio), Is.Not.Null);
    }

    [Test]
    public void Audio_and_video_rtp_times_map_through_their_sender_reports_to_their_capture_times()
    {
        using var client = Connect();
        string session = Setup(client, Url + "/trackID=0", "RTP/AVP/TCP;unicast", null, out _);
        Setup(client, Url + "/trackID=1", "RTP/AVP/TCP;unicast", session, out _);
        Assert.That(client.Request("PLAY", Url, "Session: " + session).Status, Is.EqualTo(200));
        long firstFrame = _loop.Invoke(() => _frames);
        _loop.Invoke(() => Run(90)); // fragments flow from the key frame at 30 on
        uint? videoSr = null, audioSr = null, firstVideo = null;
        var audio = new List<(uint Ts, int Unit, bool Marker, int AuSize, int Length)>();
        while (audio.Count < 40)
        {
            var (channel, p) = client.ReadInterleaved()!.Value;
            if (channel == 1 && p[1] == 200) videoSr ??= BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(16));
            else if (channel == 3 && p[1] == 200) audioSr ??= BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(16));
            else if (channel == 0) firstVideo ??= BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(4));
            else if (channel == 2)
            {
                Assert.That(p[1] & 0x7F, Is.EqualTo(97));
                Assert.That(BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(12)), Is.EqualTo(16), "AU-headers-length");
                audio.Add((BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(4)), BinaryPrimitives.ReadInt32BigEndian(p.AsSpan(16)),
                    (p[1] & 0x80) != 0, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(14)) >> 3, p.Length - 16));
            }
        }
        Assert.That((videoSr, audioSr, firstVideo), Has.No.Null, "sender reports of both tracks came before the packets");
        Assert.That(audio.All(a => a.Marker && a.AuSize == a.Length));
        for (int i = 1; i < audio.Count; i++)
            Assert.That(audio[i].Ts - audio[i - 1].Ts, Is.EqualTo(1024u * (uint)(audio[i].Unit - audio[i - 1].Unit)), "contiguous units");

        // Both reports pair one instant with each track's RTP time: relative to it, the first key frame after PLAY
        // (frame 30) was captured at FrameUs(30), and unit k's first sample at the start + k * 1024 / 48000 s.
        Assert.That(firstFrame, Is.LessThanOrEqualTo(30));
        double videoS = (int)(firstVideo!.Value - videoSr!.Value) / 90000.0;
        foreach (var a in audio)
        {
            double audioS = (int)(a.Ts - audioSr!.Value) / (double)Rate;
            double expected = (_startUs + a.Unit * 1024L * 1_000_000 / Rate - FrameUs(30)) / 1e6;
            Assert.That(audioS - videoS, Is.EqualTo(expected).Within(0.002), $"unit {a.Unit}");
        }
    }

    [Test]
    public void Udp_tracks_get_their_own_port_pairs()
    {
        using var client = Connect();
        using var videoRtp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var audioRtp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int vp = ((IPEndPoint)videoRtp.Client.LocalEndPoint!).Port, ap = ((IPEndPoint)audioRtp.Client.LocalEndPoint!).Port;
        string session = Setup(client, Url + "/trackID=0", $"RTP/AVP;unicast;client_port={vp}-{vp + 1}", null, out var video);
        Setup(client, Url + "/trackID=1", $"RTP/AVP;unicast;client_port={ap}-{ap + 1}", session, out var audio);
        Assert.That(video, Does.Contain("server_port="));
        Assert.That(audio, Does.Contain("server_port=").And.Not.Contain(video[video.IndexOf("server_port", StringComparison.Ordinal)..]));
        Assert.That(client.Request("PLAY", Url, "Session: " + session).Status, Is.EqualTo(200));
        _loop.Invoke(() => Run(45));
        audioRtp.Client.ReceiveTimeout = 5000;
        IPEndPoint? from = null;
        var packet = audioRtp.Receive(ref from);
        Assert.That(packet[1] & 0x7F, Is.EqualTo(97));
        var videoPacket = videoRtp.Receive(ref from);
        Assert.That(videoPacket[1] & 0x7F, Is.EqualTo(96));
    }

    [Test]
    public void Fan_out_with_sound_allocates_nothing_per_frame()
    {
        var clients = new List<RtspTestClient>();
        var readers = new List<Task>();
        using var udpVideo = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var udpAudio = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var c = Connect();
                clients.Add(c);
                string s = Setup(c, Url + "/trackID=0", "RTP/AVP/TCP;unicast", null, out _);
                Setup(c, Url + "/trackID=1", "RTP/AVP/TCP;unicast", s, out _);
                Assert.That(c.Request("PLAY", Url, "Session: " + s).Status, Is.EqualTo(200));
                readers.Add(Task.Run(() => { while (c.ReadInterleaved() is not null) { } }));
            }
            var u = Connect();
            clients.Add(u);
            int vp = ((IPEndPoint)udpVideo.Client.LocalEndPoint!).Port, ap = ((IPEndPoint)udpAudio.Client.LocalEndPoint!).Port;
            string us = Setup(u, Url + "/trackID=0", $"RTP/AVP;unicast;client_port={vp}-{vp + 1}", null, out _);
            Setup(u, Url + "/trackID=1", $"RTP/AVP;unicast;client_port={ap}-{ap + 1}", us, out _);
            Assert.That(u.Request("PLAY", Url, "Session: " + us).Status, Is.EqualTo(200));
            foreach (var udp in new[] { udpVideo, udpAudio })
                readers.Add(Task.Run(() => { try { IPEndPoint? any = null; while (true) udp.Receive(ref any); } catch (Exception) { } }));

            void Frames() => Run(30);
            _loop.Invoke(Frames); // warm-up: pools and queues reach their size
            Thread.Sleep(200);
            long bytes = _loop.Invoke(() => AllocationProbe.MinimumBytes(3, Frames));
            Assert.That(bytes, Is.EqualTo(0));
            var audioSent = _loop.Invoke(() => _server.Connections.Select(c => c.Sessions[0].Audio!.FramesSent).ToArray());
            Assert.That(audioSent, Has.All.GreaterThanOrEqualTo(80), "fragments with sound sent to each client");
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }
}
