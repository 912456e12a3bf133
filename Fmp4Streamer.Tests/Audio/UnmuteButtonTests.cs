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
}
