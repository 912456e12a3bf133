namespace Fmp4Streamer.Tests.Http;

public class TilesPageTests
{
    [Test]
    public void RootShowsOneTilePerCameraWithRelativeLinks()
    {
        using var f = new ServerFixture(null, new FakeLiveStream("video0"), new FakeLiveStream("cam2"));
        using var c = f.Connect();
        var r = c.Get("/");
        Assert.That(r.Status, Is.EqualTo(200));
        Assert.That(r.Header("Content-Type"), Is.EqualTo("text/html; charset=utf-8"));
        string html = r.Text;
        foreach (var name in new[] { "video0", "cam2" })
        {
            Assert.That(html, Does.Contain($"<source src=\"{name}/stream.mp4\" type='video/mp4; codecs=\"avc1.64001f\"'>"));
            Assert.That(html, Does.Contain($"<source src=\"{name}/stream.m3u8\" type=\"application/vnd.apple.mpegurl\">"));
            Assert.That(html, Does.Contain($"<a href=\"{name}/\">{name}</a>"));
        }
        Assert.That(html.Split("<video ").Length - 1, Is.EqualTo(2));
        Assert.That(html, Does.Not.Contain("\"/"), "relative links only");
        Assert.That(html, Does.Contain("<link rel=\"manifest\" href=\"manifest.json\" crossorigin=\"use-credentials\">"));
        Assert.That(c.Get("/video0/").Text, Does.Contain("fmp4streamer video0"), "each camera keeps its page");
        Assert.That(c.Get("/video0/").Text.Split("<video ").Length - 1, Is.EqualTo(1));
    }

    [Test]
    public void TheTilesShareTheCameraPagesLiveEdgeScriptOnce()
    {
        using var f = new ServerFixture(null, new FakeLiveStream("video0"), new FakeLiveStream("cam2"));
        using var c = f.Connect();
        string tiles = c.Get("/").Text, single = c.Get("/video0/").Text;
        string script = single[single.IndexOf("<script>")..(single.IndexOf("</script>") + "</script>".Length)];
        Assert.That(script, Does.Contain("MediaSource"));
        Assert.That(tiles.Split("<script>").Length - 1, Is.EqualTo(1), "one script drives every tile");
        Assert.That(tiles, Does.Contain(script), "the same live-edge script as the camera's own page");
        Assert.That(tiles.IndexOf("<script>"), Is.GreaterThan(tiles.LastIndexOf("</video>")), "it runs once the videos exist");
    }

    [Test]
    public void OneCameraKeepsItsPageAtTheRoot()
    {
        using var f = new ServerFixture();
        using var c = f.Connect();
        string html = c.Get("/").Text;
        Assert.That(html, Does.Contain("<video controls autoplay muted playsinline id=\"stream\""));
        Assert.That(html, Does.Not.Contain("id=\"tiles\""));
    }
}
