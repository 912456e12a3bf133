using Fmp4Streamer.Config;

namespace Fmp4Streamer.Tests.Http;

/// <summary>A stream name equal to one of the server's file names is a config error at its line.</summary>
public class StreamNameShadowTests
{
    [TestCase("stream.mp4")]
    [TestCase("index.html")]
    [TestCase("init.mp4")]
    [TestCase("init2.mp4")]
    [TestCase("stream.m3u8")]
    [TestCase("streaminf.m3u8")]
    [TestCase("manifest.json")]
    [TestCase("favicon.ico")]
    [TestCase("icon-192.png")]
    [TestCase("seg12.m4s")]
    [TestCase("seg12.3.m4s")]
    public void ANameThatIsAFileNameIsAnErrorNamingTheLine(string name)
    {
        var config = ConfigLoader.Parse($"[server]\nport = 8000\n\n[cam]\ntest_pattern = yes\nname = {name}\n", "c.conf");
        var e = Assert.Throws<ConfigException>(() => Streamer.CheckStreamNames(config));
        Assert.That(e!.Message, Is.EqualTo(
            $"c.conf:6: name: stream name '{name}' of [cam] is also a file name of the server (/{name}); choose another name"));
    }

    [Test]
    public void ADerivedNameIsCheckedAtTheSection()
    {
        var config = ConfigLoader.Parse("[stream.mp4]\ntest_pattern = yes\n", "c.conf");
        var e = Assert.Throws<ConfigException>(() => Streamer.CheckStreamNames(config));
        Assert.That(e!.Message, Does.StartWith("c.conf:1: name: stream name 'stream.mp4'"));
    }

    [TestCase("video0")]
    [TestCase("stream")]
    [TestCase("seg")]
    [TestCase("init0.mp4x")]
    public void OtherNamesPass(string name)
    {
        var config = ConfigLoader.Parse($"[cam]\ntest_pattern = yes\nname = {name}\n", "c.conf");
        Assert.DoesNotThrow(() => Streamer.CheckStreamNames(config));
    }
}
