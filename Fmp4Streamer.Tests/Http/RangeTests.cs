using Fmp4Streamer.Streaming.Hls;
using System.Text.RegularExpressions;
using Fmp4Streamer.Http;

namespace Fmp4Streamer.Tests.Http;

/// <summary>Fixed-length answers serve one byte range (RFC 9110 14): 206, or 416 past the end; the stream ignores ranges.</summary>
public class RangeTests
{
    [TestCase("bytes=0-9", 0, 10)]
    [TestCase("bytes=10-", 10, -1)]
    [TestCase("bytes=-20", -20, -1)]
    [TestCase("bytes=5-99999999", 5, -1)]
    public void AnIconAnswersARange(string range, int start, int end)
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var whole = c.Get("/logo.png").Body;
        Assert.That(c.Get("/logo.png").Header("Accept-Ranges"), Is.EqualTo("bytes"));
        int from = start < 0 ? whole.Length + start : start;
        int to = end < 0 ? whole.Length : end;
        var r = c.Get("/logo.png", "Range: " + range + "\r\n");
        Assert.That(r.Status, Is.EqualTo(206));
        Assert.That(r.Header("Content-Range"), Is.EqualTo($"bytes {from}-{to - 1}/{whole.Length}"));
        Assert.That(r.Body, Is.EqualTo(whole[from..to]));
    }

    [TestCase("bytes=0-1,5-6")]
    [TestCase("bytes=9-3")]
    [TestCase("items=0-3")]
    [TestCase("bytes=x-")]
    public void OtherRangesGetTheWholeBody(string range)
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var r = c.Get("/manifest.json", "Range: " + range + "\r\n");
        Assert.That(r.Status, Is.EqualTo(200));
        Assert.That(r.Body.Length, Is.EqualTo(ManifestJson.Bytes.Length));
    }

    [TestCase("bytes=100000-")]
    [TestCase("bytes=-0")]
    public void ARangePastTheEndIs416(string range)
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var r = c.Get("/manifest.json", "Range: " + range + "\r\n");
        Assert.That(r.Status, Is.EqualTo(416));
        Assert.That(r.Header("Content-Range"), Is.EqualTo("bytes */" + ManifestJson.Bytes.Length));
        Assert.That(c.Get("/manifest.json").Status, Is.EqualTo(200), "the connection stays usable");
    }

    [Test]
    public void HeadWithARangeSendsTheHeadOnly()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("HEAD /index.html HTTP/1.1\r\nHost: a\r\nRange: bytes=0-99\r\n\r\n");
        var r = c.ReadResponse(headOnly: true);
        Assert.That(r.Status, Is.EqualTo(206));
        Assert.That(r.Header("Content-Length"), Is.EqualTo("100"));
        Assert.That(c.Get("/manifest.json").Status, Is.EqualTo(200), "no body bytes followed the head");
    }

    [Test]
    public void TheStreamIgnoresARange()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("GET /stream.mp4 HTTP/1.1\r\nHost: a\r\nRange: bytes=100-\r\n\r\n");
        Assert.That(c.ReadResponse(headOnly: true).Status, Is.EqualTo(200));
    }

    [TestCase(0, 5999)]
    [TestCase(150, 449)]
    [TestCase(199, 200)]
    [TestCase(5990, 5999)]
    [TestCase(4000, 9000)]
    public void ASegmentRangeSkipsIntoItsFragments(int first, int last)
    {
        using var f = new ServerFixture(null, new HlsOptions { StartSegments = 1 });
        using var c = f.Connect();
        c.Send("GET /streaminf.m3u8 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 1), Is.True);
        // One whole segment and a part of the next: enough for the first answer with StartSegments 1.
        f.LoopThread.Invoke(() => { for (int i = 0; i <= 40; i++) f.Stream.Publish(i % 30 == 0, 200); });
        string playlist = c.ReadResponse().Text;
        string segment = "/" + Regex.Match(playlist, @"^seg\d+\.m4s$", RegexOptions.Multiline).Value;
        var whole = c.Get(segment).Body;
        Assert.That(whole.Length, Is.EqualTo(6000));
        var r = c.Get(segment, $"Range: bytes={first}-{last}\r\n");
        int end = Math.Min(last, whole.Length - 1);
        Assert.That(r.Status, Is.EqualTo(206));
        Assert.That(r.Header("Content-Range"), Is.EqualTo($"bytes {first}-{end}/6000"));
        Assert.That(r.Body, Is.EqualTo(whole[first..(end + 1)]));
        var past = c.Get(segment, "Range: bytes=6000-\r\n");
        Assert.That(past.Status, Is.EqualTo(416));
        Assert.That(past.Header("Content-Range"), Is.EqualTo("bytes */6000"));
        Assert.That(c.Get("/manifest.json").Status, Is.EqualTo(200));
    }
}
