using Fmp4Streamer.Http;

namespace Fmp4Streamer.Tests.Http;

public class IconsTests
{
    private static IEnumerable<TestCaseData> AllIcons()
    {
        yield return new TestCaseData(Icons.Logo, Icons.LogoSize).SetName("Logo");
        yield return new TestCaseData(Icons.AppleTouch, Icons.AppleTouchSize).SetName("AppleTouchIcon");
        yield return new TestCaseData(Icons.Favicon, Icons.FaviconSize).SetName("Favicon");
        yield return new TestCaseData(Icons.HomeScreen, Icons.HomeScreenSize).SetName("HomeScreen192");
        yield return new TestCaseData(Icons.Splash, Icons.SplashSize).SetName("Splash512");
    }

    [TestCaseSource(nameof(AllIcons))]
    public void IconIsAValidPngWithTheDrawing(byte[] png, int size)
    {
        Assert.That(PngCheck.Validate(png), Is.EqualTo((size, size)));
        Assert.That(PngCheck.PaletteRgb(png, 0, 0), Is.EqualTo(((byte)0x30, (byte)0x30, (byte)0x30)), "page background");
        Assert.That(PngCheck.PaletteRgb(png, size * 45 / 100, size / 2), Is.EqualTo(((byte)0xf0, (byte)0xf0, (byte)0xf0)), "play triangle");
        Assert.That(PngCheck.PaletteRgb(png, size * 80 / 100, size * 22 / 100), Is.EqualTo(((byte)0xe0, (byte)0x40, (byte)0x40)), "red dot");
        Assert.That(png.Length, Is.LessThan(size * (size / 4 + 1) + 200), "2 bits per pixel");
    }
}
