using Fmp4Streamer.Http;
using Fmp4Streamer.Streaming.Hls;

namespace Fmp4Streamer.Tests.Http;

/// <summary>What each answer tells browsers and caches, and conditional requests answered 304 (RFC 9110 13.2.2).</summary>
public class CacheHeadersTests
{
    private static HlsOptions OneSegmentStart => new() { StartSegments = 1 };

    /// <summary>One segment and the first part of the next: the playlist request answered, the newest numbers known.</summary>
    private static long StartHls(ServerFixture f, TestClient c)
    {
        c.Send("GET /streaminf.m3u8 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 1), Is.True);
        f.LoopThread.Invoke(() => { for (int i = 0; i < 38; i++) f.Stream.Publish(f.Stream.Sequence % 30 == 0, 200); });
        var playlist = c.ReadResponse().Text;
        var m = System.Text.RegularExpressions.Regex.Match(playlist, @"^seg(\d+)\.m4s$", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.That(m.Success, Is.True, playlist);
        return long.Parse(m.Groups[1].Value);
    }

    [Test]
    public void EachKindOfAnswerSaysHowItMayBeCached()
    {
        using var f = new ServerFixture(null, OneSegmentStart);
        using var c = f.Connect();
        long segment = StartHls(f, c);

        var page = c.Get("/");
        Assert.That((page.Header("Cache-Control"), page.Header("ETag")), Is.EqualTo(("no-cache", page.Header("ETag"))));
        Assert.That(page.Header("ETag"), Does.Match("^\"[0-9a-f]{16}\"$"));
        var manifest = c.Get("/manifest.json");
        Assert.That(manifest.Header("Cache-Control"), Is.EqualTo("no-cache"));
        Assert.That(manifest.Header("ETag"), Is.Not.Null.And.Not.EqualTo(page.Header("ETag")));
        var icon = c.Get("/icon-192.png");
        Assert.That(icon.Header("Cache-Control"), Is.EqualTo("public, max-age=86400"));
        Assert.That(icon.Header("Last-Modified"), Does.EndWith(" GMT"));
        var init = c.Get("/init.mp4");
        Assert.That(init.Header("Cache-Control"), Is.EqualTo("public, max-age=10"));
        Assert.That(init.Header("ETag"), Does.Match("^\"[0-9a-f]{16}\"$"));

        var whole = c.Get($"/seg{segment}.m4s");
        Assert.That(whole.Status, Is.EqualTo(200));
        Assert.That(whole.Header("Cache-Control"), Is.EqualTo("public, max-age=600, immutable"));
        Assert.That(whole.Header("ETag"), Does.Match($"^\"[0-9a-f]{{8}}-{segment}\"$"));
        var part = c.Get($"/seg{segment}.0.m4s");
        Assert.That(part.Header("Cache-Control"), Is.EqualTo("public, max-age=600, immutable"));
        Assert.That(part.Header("ETag"), Is.EqualTo(whole.Header("ETag")!.TrimEnd('"') + ".0\""));

        Assert.That(c.Get("/streaminf.m3u8").Header("Cache-Control"), Is.EqualTo("public, max-age=0, s-maxage=1"));
        Assert.That(c.Get("/metrics").Status, Is.EqualTo(404), "the fixture serves no metrics");

        foreach (var endless in new[] { "/stream.mp4", "/stream.h264" })
        {
            using var s = f.Connect();
            s.Send($"GET {endless} HTTP/1.1\r\nHost: a\r\n\r\n");
            var head = s.ReadResponse(headOnly: true);
            Assert.That((head.Header("Cache-Control"), head.Header("X-Accel-Buffering"), head.Header("ETag")),
                Is.EqualTo(("no-store", "no", (string?)null)), endless);
        }
    }

    [TestCase("{0}")]
    [TestCase("W/{0}")]
    [TestCase("\"0000000000000000\", {0}")]
    [TestCase("*")]
    public void AMatchingIfNoneMatchIs304WithTheSameValidatorsAndNoBody(string format)
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var full = c.Get("/index.html");
        string etag = full.Header("ETag")!;
        c.Send($"GET /index.html HTTP/1.1\r\nHost: a\r\nIf-None-Match: {string.Format(format, etag)}\r\n\r\n");
        var r = c.ReadResponse(headOnly: true);
        Assert.That(r.Status, Is.EqualTo(304));
        Assert.That((r.Header("ETag"), r.Header("Cache-Control"), r.Header("Content-Length")), Is.EqualTo((etag, "no-cache", (string?)null)));
        // Keep-alive goes on: nothing followed the head, and the next answer is whole.
        var next = c.Get("/index.html", "If-None-Match: \"0123456789abcdef\"\r\n");
        Assert.That((next.Status, next.Body.Length), Is.EqualTo((200, full.Body.Length)));
        Assert.That(f.LoopThread.Invoke(() => f.Server.Stats.NotModified.Value), Is.EqualTo(1));
    }

    [Test]
    public void IfModifiedSinceCountsOnlyWithoutIfNoneMatch()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var icon = c.Get("/logo.png");
        string modified = icon.Header("Last-Modified")!;
        c.Send($"GET /logo.png HTTP/1.1\r\nHost: a\r\nIf-Modified-Since: {modified}\r\n\r\n");
        Assert.That(c.ReadResponse(headOnly: true).Status, Is.EqualTo(304));
        string dayBefore = DateTime.Parse(modified).ToUniversalTime().AddDays(-1).ToString("r");
        Assert.That(c.Get("/logo.png", $"If-Modified-Since: {dayBefore}\r\n").Status, Is.EqualTo(200), "changed since");
        Assert.That(c.Get("/logo.png", "If-Modified-Since: yesterday\r\n").Status, Is.EqualTo(200), "not a date: ignored");
        // RFC 9110 13.1.3: If-None-Match wins; a tag that does not match means the full answer.
        Assert.That(c.Get("/logo.png", $"If-None-Match: \"0\"\r\nIf-Modified-Since: {modified}\r\n").Status, Is.EqualTo(200));
        // The page has no date: If-Modified-Since alone never makes it 304.
        Assert.That(c.Get("/", $"If-Modified-Since: {DateTime.UtcNow.AddYears(1):r}\r\n").Status, Is.EqualTo(200));
    }

    [Test]
    public void ACacheRevalidatingASegmentOrPartGets304ButNotWithAnotherRunsTag()
    {
        using var f = new ServerFixture(null, OneSegmentStart);
        using var c = f.Connect();
        long segment = StartHls(f, c);
        string segmentTag = c.Get($"/seg{segment}.m4s").Header("ETag")!;
        string partTag = c.Get($"/seg{segment}.0.m4s").Header("ETag")!;
        c.Send($"GET /seg{segment}.m4s HTTP/1.1\r\nHost: a\r\nIf-None-Match: {segmentTag}\r\n\r\n");
        var r = c.ReadResponse(headOnly: true);
        Assert.That((r.Status, r.Header("ETag"), r.Header("Cache-Control")), Is.EqualTo((304, segmentTag, "public, max-age=600, immutable")));
        c.Send($"HEAD /seg{segment}.0.m4s HTTP/1.1\r\nHost: a\r\nIf-None-Match: {partTag}\r\n\r\n");
        Assert.That(c.ReadResponse(headOnly: true).Status, Is.EqualTo(304));
        // The part's tag is not the segment's, and another run's number is another resource.
        Assert.That(c.Get($"/seg{segment}.m4s", $"If-None-Match: {partTag}\r\n").Status, Is.EqualTo(200));
        string otherRun = "\"" + (segmentTag[1] == '0' ? "1" : "0") + segmentTag[2..];
        Assert.That(c.Get($"/seg{segment}.m4s", $"If-None-Match: {otherRun}\r\n").Status, Is.EqualTo(200));
        string initTag = c.Get("/init.mp4").Header("ETag")!;
        c.Send($"GET /init.mp4 HTTP/1.1\r\nHost: a\r\nIf-None-Match: {initTag}\r\n\r\n");
        Assert.That(c.ReadResponse(headOnly: true).Status, Is.EqualTo(304));
    }

    [Test]
    public void RequestsAreCountedByRoute()
    {
        using var f = new ServerFixture(null, OneSegmentStart);
        using var c = f.Connect();
        long segment = StartHls(f, c);
        c.Get($"/seg{segment}.m4s");
        c.Get($"/video0/seg{segment}.m4s");
        c.Get($"/seg{segment}.0.m4s");
        c.Get("/nothing-here");
        long Count(string route) => f.LoopThread.Invoke(() => f.Server.Stats.RouteRequests[Array.IndexOf(RouteTable.Names, route)].Value);
        Assert.That((Count("segment"), Count("part"), Count("media-playlist"), Count("page")), Is.EqualTo((2, 1, 1, 0)));
    }
}
