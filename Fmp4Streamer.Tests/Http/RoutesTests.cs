using System.Text.Json;
using System.Text.RegularExpressions;
using Fmp4Streamer.Http;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Tests.Http;

public class RoutesTests
{
    [Test]
    public void RootServesThePage()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var r = c.Get("/");
        Assert.That(r.Status, Is.EqualTo(200));
        Assert.That(r.Header("Content-Type"), Does.StartWith("text/html"));
        Assert.That(r.Text, Does.Contain("<video controls autoplay muted playsinline"));
    }

    [TestCase(0, "640", "480")]
    [TestCase(90, "480", "640")]
    [TestCase(270, "480", "640")]
    public void ThePlayerIsSizedAsTheRotatedPictureShows(int rotation, string width, string height)
    {
        using var f = new ServerFixture();
        var init = FakeLiveStream.MakeInit("avc1.64001f");
        f.Stream.Init = new InitSegment(init.Bytes, init.Codecs, 640, 480, 90000, rotation);
        using var c = f.Connect();
        string page = c.Get("/").Text;
        Assert.That(page, Does.Contain($"id=\"stream\" width=\"{width}\" height=\"{height}\""));
    }

    [Test]
    public void IndexHasTheCodecsTheMetasAndOnlyRelativeLinks()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var r = c.Get("/index.html");
        Assert.That(r.Status, Is.EqualTo(200));
        // Stored but revalidated every time: its ETag makes that a 304.
        Assert.That(r.Header("Cache-Control"), Is.EqualTo("no-cache"));
        Assert.That(r.Header("ETag"), Does.Match("^\"[0-9a-f]{16}\"$"));
        Assert.That(int.Parse(r.Header("Content-Length")!), Is.EqualTo(r.Body.Length));
        string html = r.Text;
        Assert.That(html, Does.Contain("<source src=\"stream.mp4\" type='video/mp4; codecs=\"avc1.64001f\"'>"));
        Assert.That(html, Does.Contain("<source src=\"stream.m3u8\" type=\"application/vnd.apple.mpegurl\">"));
        Assert.That(html, Does.Contain("name=\"viewport\""));
        Assert.That(html, Does.Contain("<link rel=\"manifest\" href=\"manifest.json\" crossorigin=\"use-credentials\">"));
        Assert.That(html, Does.Contain("<meta name=\"theme-color\" content=\"#303030\">"));
        Assert.That(html, Does.Contain("apple-mobile-web-app-capable"));
        Assert.That(html, Does.Contain("<link rel=\"apple-touch-icon\" href=\"apple-touch-icon.png\">"));
        Assert.That(html, Does.Contain("<script>"), "live-edge script");
        var links = Regex.Matches(html, "(?:src|href)=[\"']([^\"']*)[\"']");
        Assert.That(links, Is.Not.Empty);
        foreach (Match m in links)
        {
            string url = m.Groups[1].Value;
            Assert.That(url, Does.Not.StartWith("/"), "absolute path breaks a reverse proxy under a sub-path");
            Assert.That(url, Does.Not.Contain("://"));
        }
    }

    [Test]
    public void IndexUsesTheFallbackCodecsBeforeTheFirstSps()
    {
        using var f = new ServerFixture(null, new FakeLiveStream(withInit: false));
        using var c = f.Connect();
        Assert.That(c.Get("/index.html").Text, Does.Contain("codecs=\"avc1.42e01e\""));
        f.LoopThread.Invoke(() => f.Stream.Init = FakeLiveStream.MakeInit("avc1.640028"));
        Assert.That(c.Get("/index.html").Text, Does.Contain("codecs=\"avc1.640028\""), "page follows a new init segment");
    }

    [Test]
    public void ManifestIsValidJson()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var r = c.Get("/manifest.json");
        Assert.That(r.Status, Is.EqualTo(200));
        Assert.That(r.Header("Content-Type"), Is.EqualTo("application/json"));
        using var doc = JsonDocument.Parse(r.Body);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("name").GetString(), Is.EqualTo("Fmp4streamer"));
        Assert.That(root.GetProperty("short_name").GetString(), Is.EqualTo("Fmp4streamer"));
        Assert.That(root.GetProperty("start_url").GetString(), Is.EqualTo("."));
        Assert.That(root.GetProperty("display").GetString(), Is.EqualTo("standalone"));
        Assert.That(root.GetProperty("background_color").GetString(), Is.EqualTo("#303030"));
        Assert.That(root.GetProperty("theme_color").GetString(), Is.EqualTo("#303030"));
        var icons = root.GetProperty("icons");
        Assert.That(icons.GetArrayLength(), Is.GreaterThan(0));
        foreach (var icon in icons.EnumerateArray())
        {
            string src = icon.GetProperty("src").GetString()!;
            Assert.That(src, Does.Not.StartWith("/"));
            var png = c.Get("/" + src);
            Assert.That(png.Status, Is.EqualTo(200), src);
            var (w, h) = PngCheck.Validate(png.Body);
            Assert.That($"{w}x{h}", Is.EqualTo(icon.GetProperty("sizes").GetString()), src);
        }
    }

    [TestCase("/logo.png", 128)]
    [TestCase("/apple-touch-icon.png", 180)]
    [TestCase("/favicon.ico", 32)]
    [TestCase("/icon-192.png", 192)]
    [TestCase("/icon-512.png", 512)]
    public void IconsAreValidPngs(string path, int size)
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var r = c.Get(path);
        Assert.That(r.Status, Is.EqualTo(200));
        Assert.That(r.Header("Content-Type"), Is.EqualTo("image/png"));
        Assert.That(PngCheck.Validate(r.Body), Is.EqualTo((size, size)));
    }

    [TestCase("/nothing")]
    [TestCase("/index.htm")]
    [TestCase("/seg12x.m4s")]
    [TestCase("/init0.mp4")]
    [TestCase("/video1/stream.mp4")]
    public void UnknownPathsAre404AndClose(string path)
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var r = c.Get(path);
        Assert.That(r.Status, Is.EqualTo(404));
        Assert.That(r.Header("Connection"), Is.EqualTo("close"));
        Assert.That(int.Parse(r.Header("Content-Length")!), Is.EqualTo(r.Body.Length));
        Assert.That(c.WaitForClose(TimeSpan.FromSeconds(3)), Is.True);
    }

    [Test]
    public void PostIs405WithAllow()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("POST /index.html HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
        var r = c.ReadResponse();
        Assert.That(r.Status, Is.EqualTo(405));
        Assert.That(r.Header("Allow"), Is.EqualTo("GET, HEAD, OPTIONS"));
        Assert.That(c.WaitForClose(TimeSpan.FromSeconds(3)), Is.True);
    }

    [Test]
    public void HeadOnIndexSendsHeadersOnly()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("HEAD /index.html HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = c.ReadResponse(headOnly: true);
        Assert.That(head.Status, Is.EqualTo(200));
        Assert.That(int.Parse(head.Header("Content-Length")!), Is.GreaterThan(500));
        // The next response on the same connection follows directly: no body bytes were sent after the head.
        var get = c.Get("/manifest.json");
        Assert.That(get.Status, Is.EqualTo(200));
    }

    [Test]
    public void HeadOnStreamSendsHeadersAndDoesNotSubscribe()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("HEAD /stream.mp4 HTTP/1.1\r\nHost: a\r\n\r\n");
        var r = c.ReadResponse(headOnly: true);
        Assert.That(r.Status, Is.EqualTo(200));
        Assert.That(r.Header("Content-Type"), Is.EqualTo("video/mp4"));
        Assert.That(r.Header("Content-Length"), Is.Null);
        Assert.That(r.Header("Connection"), Is.EqualTo("close"));
        Assert.That(c.ReadToEnd(), Is.Empty);
        Assert.That(f.LoopThread.Invoke(() => f.Stream.SubscribeCalls), Is.EqualTo(0));
    }

    [Test]
    public void NamedStreamsHaveTheirOwnPagesAndStreams()
    {
        using var f = new ServerFixture(null, new FakeLiveStream("video0"), new FakeLiveStream("cam2"));
        using var c = f.Connect();
        var redirect = c.Get("/cam2");
        Assert.That(redirect.Status, Is.EqualTo(301));
        Assert.That(redirect.Header("Location"), Is.EqualTo("cam2/"), "relative, for reverse proxies");
        Assert.That(c.Get("/cam2/").Text, Does.Contain("fmp4streamer cam2"));
        Assert.That(c.Get("/cam2/manifest.json").Status, Is.EqualTo(200));
        using var s = f.Connect();
        s.Send("GET /cam2/stream.mp4 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(s.ReadResponse(headOnly: true).Status, Is.EqualTo(200));
        Assert.That(f.WaitFor(() => f.Streams[1].SubscriberCount == 1 && f.Streams[0].SubscriberCount == 0), Is.True);
    }

    [Test]
    public void RoutesResolvePathsWithoutTheQuery()
    {
        var routes = new RouteTable([new FakeLiveStream("video0")]);
        Assert.That(routes.Resolve("/stream.mp4"u8).Route?.Name, Is.EqualTo("stream"));
        Assert.That(routes.Resolve("/"u8).Route?.Name, Is.EqualTo("page"));
        var named = routes.Resolve("/video0/stream.mp4"u8);
        Assert.That((named.Route?.Name, named.StreamIndex, named.Named), Is.EqualTo(("stream", 0, true)));
        Assert.That(routes.Resolve("/video0"u8).Route?.Name, Is.EqualTo("add-slash"));
        Assert.That(routes.Resolve("/stream.mp4x"u8).Route, Is.Null);
        Assert.That(routes.Resolve(""u8).Route, Is.Null);
    }
}
