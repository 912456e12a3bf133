namespace Fmp4Streamer.Http;

/// <summary>
/// The icons, drawn in code at first use (no side files): a light "play" triangle with a red recording dot on
/// the page's #303030 background.
/// </summary>
public static class Icons
{
    public const int LogoSize = 128;
    public const int AppleTouchSize = 180;
    public const int FaviconSize = 32;
    /// <summary>The sizes Android's "Add to Home Screen" and install prompts ask a web app manifest for.</summary>
    public const int HomeScreenSize = 192;
    public const int SplashSize = 512;

    private static byte[]? s_logo, s_appleTouch, s_favicon, s_homeScreen, s_splash;

    public static byte[] Logo => s_logo ??= Draw(LogoSize);
    public static byte[] AppleTouch => s_appleTouch ??= Draw(AppleTouchSize);
    public static byte[] Favicon => s_favicon ??= Draw(FaviconSize);
    public static byte[] HomeScreen => s_homeScreen ??= Draw(HomeScreenSize);
    public static byte[] Splash => s_splash ??= Draw(SplashSize);

    private static ReadOnlySpan<byte> Palette => [0x30, 0x30, 0x30, 0xf0, 0xf0, 0xf0, 0xe0, 0x40, 0x40];

    public static byte[] Draw(int size)
    {
        var pixels = new byte[size * size];
        double s = size;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                double px = (x + 0.5) / s, py = (y + 0.5) / s;
                // Triangle pointing right: left edge at 0.32, apex at 0.76, height 0.25..0.75.
                double half = 0.25 * (0.76 - px) / (0.76 - 0.32);
                bool inTriangle = px >= 0.32 && px <= 0.76 && Math.Abs(py - 0.5) <= half;
                double dx = px - 0.80, dy = py - 0.22;
                bool inDot = dx * dx + dy * dy <= 0.09 * 0.09;
                pixels[y * size + x] = inDot ? (byte)2 : inTriangle ? (byte)1 : (byte)0;
            }
        }
        return PngWriter.Encode(size, size, pixels, Palette);
    }
}
