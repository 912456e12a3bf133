using System.Text;
using Fmp4Streamer.Http;

namespace Fmp4Streamer.Tests.Audio;

/// <summary>The pages start muted and offer an unmute button only for streams whose codecs include sound.</summary>
public class UnmuteButtonTests
{
    [Test]
    public void ThePageStartsMutedAndCarriesTheButtonScriptKeyedOnMp4a()
    {
        string page = Encoding.UTF8.GetString(IndexPage.Render("t", "avc1.42c01e,mp4a.40.2", 320, 240));
        Assert.That(page, Does.Contain("<video controls autoplay muted playsinline"));
        Assert.That(page, Does.Contain("codecs=\"avc1.42c01e,mp4a.40.2\""));
        Assert.That(page, Does.Contain("source.type.indexOf('mp4a') < 0) return;"));
        Assert.That(page.IndexOf("class=\"unmute\"" , StringComparison.Ordinal) < 0 && page.Contains("b.className = 'unmute'"), Is.True,
            "the button is made by the script, so a page without JavaScript shows none");
    }

    [Test]
    public void TheTilesPageCarriesItToo()
    {
        string page = Encoding.UTF8.GetString(TilesPage.Render([new TilesPage.Tile("a", "avc1.42c01e,mp4a.40.2", 320, 240),
            new TilesPage.Tile("b", "avc1.42c01e", 320, 240)]));
        Assert.That(page, Does.Contain("b.className = 'unmute'"));
        Assert.That(page, Does.Contain("<figure><video controls autoplay muted playsinline"));
    }

    [Test]
    public void APageServedWhileAStreamWithSoundSleepsNamesTheSound()
    {
        // Before the first frame there is no init segment: the page's codecs must still list mp4a, or the page's
        // MediaSource is opened for video alone and rejects the first fragment (and no button is offered).
        var sleeping = new Fmp4Streamer.Tests.Http.FakeLiveStream(withInit: false) { AudioCodecs = "mp4a.40.2" };
        var silent = new Fmp4Streamer.Tests.Http.FakeLiveStream("b", withInit: false);
        var pages = new Pages([sleeping, silent]);
        Assert.That(Encoding.UTF8.GetString(pages.Page(0)), Does.Contain("codecs=\"avc1.42e01e,mp4a.40.2\""));
        Assert.That(Encoding.UTF8.GetString(pages.Page(1)), Does.Contain("codecs=\"avc1.42e01e\"'"));
        string tiles = Encoding.UTF8.GetString(pages.Tiles());
        Assert.That(tiles, Does.Contain("video0/stream.mp4\" type='video/mp4; codecs=\"avc1.42e01e,mp4a.40.2\"'"));
        Assert.That(tiles, Does.Contain("b/stream.mp4\" type='video/mp4; codecs=\"avc1.42e01e\"'"));
    }
}
