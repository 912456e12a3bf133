using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Fmp4Streamer.Http;
using Fmp4Streamer.Streaming.Hls;

namespace Fmp4Streamer.Tests.Http;

/// <summary>HLS over the real server and sockets, with a fake stream whose fragments carry their sequence number.</summary>
public class HlsHttpTests
{
    private const string PlaylistType = "application/vnd.apple.mpegurl";

    private static void PublishSeconds(ServerFixture f, int seconds, int gop = 30, int size = 200)
    {
        f.LoopThread.Invoke(() =>
        {
            for (int i = 0; i < seconds * 30; i++) f.Stream.Publish(f.Stream.Sequence % gop == 0, size);
            // The next segment's first part (7 frames, closed by the 8th): what players need to start.
            for (int i = 0; i < 8; i++) f.Stream.Publish(f.Stream.Sequence % gop == 0, size);
        });
    }

    /// <summary>Answers once one segment exists (players want three: <see cref="HlsOptions.StartSegments"/>), so tests stay short.</summary>
    private static HlsOptions OneSegmentStart => new() { StartSegments = 1 };

    private static List<long> Segments(string playlist)
    {
        var list = new List<long>();
        foreach (Match m in Regex.Matches(playlist, @"^seg(\d+)\.m4s$", RegexOptions.Multiline)) list.Add(long.Parse(m.Groups[1].Value));
        return list;
    }

    [Test]
    public void PlaylistRequestWaitsForTheFirstSegmentThenPipelinedRequestsFollow()
    {
        using var f = new ServerFixture(null, OneSegmentStart);
        using var c = f.Connect();
        c.Send("GET /stream.m3u8 HTTP/1.1\r\nHost: a\r\n\r\nGET /streaminf.m3u8 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 1), Is.True, "the request wakes the stream");
        Thread.Sleep(100);
        Assert.That(c.Socket.Available, Is.Zero, "held until a segment exists");
        PublishSeconds(f, 1);

        var master = c.ReadResponse();
        Assert.That(master.Status, Is.EqualTo(200));
        Assert.That(master.Header("Content-Type"), Is.EqualTo(PlaylistType));
        // Browsers ask again every time; a shared cache answers every viewer from one copy for a second.
        Assert.That(master.Header("Cache-Control"), Is.EqualTo("public, max-age=0, s-maxage=1"));
        Assert.That(master.Text, Does.Match(@"#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,CODECS=""avc1.64001f"",RESOLUTION=640x480,FRAME-RATE=30.000\nstreaminf.m3u8\n$"));
        var media = c.ReadResponse();
        Assert.That(media.Status, Is.EqualTo(200));
        Assert.That(media.Header("Content-Type"), Is.EqualTo(PlaylistType));
        Assert.That(media.Text, Does.StartWith("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n"));
        Assert.That(media.Text, Does.Contain("#EXT-X-MAP:URI=\"init.mp4\""));
        Assert.That(Segments(media.Text), Has.Count.EqualTo(1));
        Assert.That(c.Get("/manifest.json").Status, Is.EqualTo(200), "keep-alive after a held answer");
    }

    [Test]
    public void NoSegmentInTimeIs503()
    {
        using var f = new ServerFixture(null, new HlsOptions { StartSegments = 1, FirstSegmentTimeout = TimeSpan.FromMilliseconds(300) });
        using var c = f.Connect();
        var r = c.Get("/streaminf.m3u8");
        Assert.That(r.Status, Is.EqualTo(503));
        Assert.That(c.WaitForClose(TimeSpan.FromSeconds(3)), Is.True);
    }

    [Test]
    public void SegmentsAreTheSharedFragmentsAndLeaveTheWindow()
    {
        using var f = new ServerFixture(null, new HlsOptions { StartSegments = 1, WindowSegments = 3 });
        using var c = f.Connect();
        c.Send("GET /video0/streaminf.m3u8 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 1), Is.True);
        PublishSeconds(f, 2);
        var playlist = c.ReadResponse().Text;
        long first = Segments(playlist)[0];

        var init = c.Get("/init.mp4");
        Assert.That(init.Status, Is.EqualTo(200));
        Assert.That(init.Header("Content-Type"), Is.EqualTo("video/mp4"));
        Assert.That(init.Body, Is.EqualTo(f.Stream.Init!.Bytes));

        var seg = c.Get($"/seg{first}.m4s");
        Assert.That(seg.Status, Is.EqualTo(200));
        Assert.That(seg.Header("Content-Type"), Is.EqualTo("video/mp4"));
        Assert.That(seg.Header("Cache-Control"), Does.Contain("max-age="));
        Assert.That(seg.Body.Length, Is.EqualTo(30 * 200));
        for (int i = 0; i < 30; i++)
        {
            var fragment = seg.Body.AsSpan(i * 200, 200);
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(fragment[8..]), Is.EqualTo((uint)i), "fragments in order");
            Assert.That(fragment[12], Is.EqualTo(i == 0 ? 1 : 0), "starts with the key frame");
        }
        c.Send($"HEAD /seg{first}.m4s HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = c.ReadResponse(headOnly: true);
        Assert.That(head.Header("Content-Length"), Is.EqualTo("6000"));

        PublishSeconds(f, 3);
        var later = c.Get("/streaminf.m3u8").Text;
        Assert.That(Segments(later), Is.EqualTo(new[] { first + 2, first + 3, first + 4 }));
        Assert.That(later, Does.Contain($"#EXT-X-MEDIA-SEQUENCE:{first + 2}\n"));
        using var c2 = f.Connect();
        Assert.That(c2.Get($"/seg{first}.m4s").Status, Is.EqualTo(404), "left the window");
        using var c3 = f.Connect();
        Assert.That(c3.Get($"/seg{first + 5}.m4s").Status, Is.EqualTo(404), "not cut yet");
        using var c4 = f.Connect();
        Assert.That(c4.Get("/init7.mp4").Status, Is.EqualTo(404));
    }

    [Test]
    public void SegmentLongerThanTheSendRingArrivesWhole()
    {
        // A 10 s GOP: 300 fragments, more than a connection's ring of 256, sent through a small receive buffer.
        using var f = new ServerFixture(null, OneSegmentStart);
        using var c = f.Connect(receiveBufferBytes: 4096);
        c.Send("GET /streaminf.m3u8 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 1), Is.True);
        PublishSeconds(f, 10, gop: 300, size: 1000);
        string playlist = c.ReadResponse().Text;
        Assert.That(playlist, Does.Contain("#EXT-X-TARGETDURATION:10\n"));
        var seg = c.Get($"/seg{Segments(playlist)[0]}.m4s");
        Assert.That(seg.Body.Length, Is.EqualTo(300 * 1000));
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(seg.Body.AsSpan(299 * 1000 + 8)), Is.EqualTo(299u));
        Assert.That(c.Get("/manifest.json").Status, Is.EqualTo(200));
    }

    private static long HintedSequence(string playlist)
    {
        var m = Regex.Match(playlist, @"#EXT-X-PRELOAD-HINT:TYPE=PART,URI=""seg(\d+)\.(\d+)\.m4s""\n$");
        Assert.That(m.Success, Is.True, playlist);
        Assert.That(m.Groups[2].Value, Is.EqualTo("1"), "the open segment's first part is listed");
        return long.Parse(m.Groups[1].Value);
    }

    private static void PublishFrames(ServerFixture f, int frames) =>
        f.LoopThread.Invoke(() => { for (int i = 0; i < frames; i++) f.Stream.Publish(f.Stream.Sequence % 30 == 0); });

    [Test]
    public void BlockingReloadAndPreloadHintAreHeldUntilThePartExists()
    {
        using var f = new ServerFixture(null, OneSegmentStart);
        using var c = f.Connect();
        c.Send("GET /streaminf.m3u8 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 1), Is.True);
        PublishSeconds(f, 1); // one segment, and the next one open with its first part
        var first = c.ReadResponse();
        Assert.That(first.Text, Does.Contain("#EXT-X-PART:DURATION=0.23333,URI=\"seg"), "the first answer lists a part of the open segment");
        Assert.That(first.Header("Cache-Control"), Is.EqualTo("public, max-age=0, s-maxage=1"));
        long open = HintedSequence(first.Text);

        using var reload = f.Connect();
        reload.Send($"GET /streaminf.m3u8?_HLS_msn={open}&_HLS_part=1 HTTP/1.1\r\nHost: a\r\n\r\n");
        using var part = f.Connect();
        part.Send($"GET /seg{open}.1.m4s HTTP/1.1\r\nHost: a\r\n\r\n");
        PublishFrames(f, 6);
        Thread.Sleep(100);
        Assert.That(reload.Socket.Available + part.Socket.Available, Is.Zero, "7 frames make a part: still waiting");
        PublishFrames(f, 1); // this frame would pass the 250 ms part target: part 1 ends before it

        var playlist = reload.ReadResponse();
        Assert.That(playlist.Status, Is.EqualTo(200));
        Assert.That(playlist.Text, Does.Contain($"#EXT-X-PART:DURATION=0.23333,URI=\"seg{open}.1.m4s\"\n"));
        Assert.That(playlist.Text, Does.EndWith($"#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg{open}.2.m4s\"\n"));
        // A blocking reload's answer always lists what was asked for: a CDN may collapse them for about a segment.
        Assert.That(playlist.Header("Cache-Control"), Is.EqualTo("public, max-age=1"));
        var body = part.ReadResponse();
        Assert.That(body.Status, Is.EqualTo(200));
        Assert.That(body.Header("Content-Type"), Is.EqualTo("video/mp4"));
        Assert.That(body.Body.Length, Is.EqualTo(7 * 200));
        Assert.That(body.Body[12], Is.EqualTo(0), "the second part does not start with a key frame");
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(body.Body.AsSpan(8)), Is.EqualTo(37u));

        Assert.That(reload.Get($"/streaminf.m3u8?_HLS_msn={open}&_HLS_part=1").Status, Is.EqualTo(200), "satisfied at once now");
        using var ahead = f.Connect();
        Assert.That(ahead.Get($"/streaminf.m3u8?_HLS_msn={open + 3}").Status, Is.EqualTo(400), "more than two segments ahead");
        using var far = f.Connect();
        Assert.That(far.Get($"/seg{open + 5}.0.m4s").Status, Is.EqualTo(404));
    }

    // RFC 8216bis 6.2.5.2: malformed delivery directives are client errors, answered at once.
    [TestCase("_HLS_part=0")]
    [TestCase("_HLS_msn=abc")]
    [TestCase("_HLS_msn=-1")]
    [TestCase("_HLS_msn=5&_HLS_part=x")]
    public void MalformedDirectivesAre400(string query)
    {
        using var f = new ServerFixture(null, OneSegmentStart);
        using var c = f.Connect();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(c.Get("/streaminf.m3u8?" + query).Status, Is.EqualTo(400));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "not held");
    }

    [Test]
    public void PartsFurtherAheadThanTheHintAre404AtOnce()
    {
        using var f = new ServerFixture(null, OneSegmentStart);
        using var c = f.Connect();
        c.Send("GET /streaminf.m3u8 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 1), Is.True);
        PublishSeconds(f, 1);
        long open = HintedSequence(c.ReadResponse().Text);
        foreach (string uri in new[] { $"/seg{open + 2}.0.m4s", $"/seg{open + 1}.1.m4s", $"/seg{open}.3.m4s" })
        {
            using var ahead = f.Connect();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.That(ahead.Get(uri).Status, Is.EqualTo(404), uri);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(500)), uri + " answered at once");
        }
    }

    [Test]
    public void ClientGoneWhileWaitingIsForgotten()
    {
        using var f = new ServerFixture(null, OneSegmentStart);
        var c = f.Connect();
        c.Send("GET /stream.m3u8 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 1), Is.True);
        c.Dispose();
        // A FIN may be a half-close (answered, see HttpHolesTests): the held answer's send finds the client gone.
        PublishSeconds(f, 1);
        Assert.That(f.WaitFor(() => f.Server.ClientCount == 0), Is.True);
        Assert.That(f.LoopThread.Invoke(() => f.Stream.HlsIfCreated!.SegmentCount), Is.EqualTo(1));
    }
}
