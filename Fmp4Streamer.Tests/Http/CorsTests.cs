using Fmp4Streamer.Http;

namespace Fmp4Streamer.Tests.Http;

/// <summary>Players on another origin (a dashboard, Home Assistant) may load pages, playlists, segments and streams.</summary>
public class CorsTests
{
    [TestCase("/index.html")]
    [TestCase("/manifest.json")]
    [TestCase("/logo.png")]
    [TestCase("/init.mp4")]
    public void AnswersAllowAnyOriginAndExposeTheLengths(string path)
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        var r = c.Get(path, "Origin: https://dashboard.example\r\n");
        Assert.That(r.Status, Is.EqualTo(200));
        Assert.That(r.Header("Access-Control-Allow-Origin"), Is.EqualTo("*"));
        Assert.That(r.Header("Access-Control-Expose-Headers"), Is.EqualTo("Content-Length, Content-Range"));
        Assert.That(r.Header("Vary"), Is.Null, "'*' does not depend on the origin");
    }

    [Test]
    public void TheStreamAllowsAnyOrigin()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("GET /stream.mp4 HTTP/1.1\r\nHost: a\r\nOrigin: https://dashboard.example\r\n\r\n");
        Assert.That(c.ReadResponse(headOnly: true).Header("Access-Control-Allow-Origin"), Is.EqualTo("*"));
    }

    [Test]
    public void APreflightIsAnsweredAndTheConnectionStaysOpen()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("OPTIONS /stream.m3u8 HTTP/1.1\r\nHost: a\r\nOrigin: https://dashboard.example\r\n"
            + "Access-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: range, x-player\r\n\r\n");
        var r = c.ReadResponse(headOnly: true);
        Assert.That(r.Status, Is.EqualTo(204));
        Assert.That(r.Header("Access-Control-Allow-Origin"), Is.EqualTo("*"));
        Assert.That(r.Header("Access-Control-Allow-Methods"), Is.EqualTo("GET, HEAD, OPTIONS"));
        Assert.That(r.Header("Access-Control-Allow-Headers"), Is.EqualTo("range, x-player"), "the asked headers, echoed");
        Assert.That(int.Parse(r.Header("Access-Control-Max-Age")!), Is.GreaterThan(0));
        Assert.That(r.Header("Content-Length"), Is.Null, "a 204 has no Content-Length (RFC 9110 8.6)");
        Assert.That(f.LoopThread.Invoke(() => f.Stream.SubscribeCalls), Is.Zero, "a preflight wakes nothing");
        Assert.That(c.Get("/manifest.json").Status, Is.EqualTo(200), "keep-alive after the preflight");
    }

    [Test]
    public void APreflightAskingForOddHeadersGetsTheFixedList()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("OPTIONS /seg1.m4s HTTP/1.1\r\nHost: a\r\nAccess-Control-Request-Headers: a;b\r\n\r\n");
        var r = c.ReadResponse(headOnly: true);
        Assert.That(r.Status, Is.EqualTo(204));
        Assert.That(r.Header("Access-Control-Allow-Headers"), Does.Contain("Range"));
    }

    [Test]
    public void OptionsAsteriskListsTheServersMethods()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");
        var r = c.ReadResponse(headOnly: true);
        Assert.That(r.Status, Is.EqualTo(204));
        Assert.That(r.Header("Allow"), Is.EqualTo("GET, HEAD, OPTIONS"));
    }

    [Test]
    public void OptionsOnAnUnknownPathIs404()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        c.Send("OPTIONS /nothing HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(c.ReadResponse().Status, Is.EqualTo(404));
    }

    [Test]
    public void OneConfiguredOriginVariesByOrigin()
    {
        using var f = new ServerFixture(new HttpServerOptions { CorsOrigin = "https://ha.example:8123" });
        using var c = f.Connect();
        var r = c.Get("/index.html");
        Assert.That(r.Header("Access-Control-Allow-Origin"), Is.EqualTo("https://ha.example:8123"));
        Assert.That(r.Header("Vary"), Is.EqualTo("Origin"));
    }

    [Test]
    public void AnEmptyOriginTurnsCorsOff()
    {
        using var f = new ServerFixture(new HttpServerOptions { CorsOrigin = "" });
        using var c = f.Connect();
        var r = c.Get("/index.html");
        Assert.That(r.Header("Access-Control-Allow-Origin"), Is.Null);
        c.Send("OPTIONS /index.html HTTP/1.1\r\nHost: a\r\n\r\n");
        var preflight = c.ReadResponse(headOnly: true);
        Assert.That(preflight.Status, Is.EqualTo(204));
        Assert.That(preflight.Header("Access-Control-Allow-Methods"), Is.Null);
    }
}
