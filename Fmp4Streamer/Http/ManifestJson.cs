using System.Text;

namespace Fmp4Streamer.Http;

/// <summary>The web app manifest (compatibility §3, without its trailing comma so it is valid JSON).</summary>
public static class ManifestJson
{
    public static readonly byte[] Bytes = Encoding.UTF8.GetBytes($$"""
        {
          "name": "Fmp4streamer",
          "short_name": "Fmp4streamer",
          "icons": [
            { "src": "logo.png", "sizes": "{{Icons.LogoSize}}x{{Icons.LogoSize}}", "type": "image/png" },
            { "src": "apple-touch-icon.png", "sizes": "{{Icons.AppleTouchSize}}x{{Icons.AppleTouchSize}}", "type": "image/png" },
            { "src": "icon-192.png", "sizes": "{{Icons.HomeScreenSize}}x{{Icons.HomeScreenSize}}", "type": "image/png", "purpose": "any" },
            { "src": "icon-512.png", "sizes": "{{Icons.SplashSize}}x{{Icons.SplashSize}}", "type": "image/png", "purpose": "any" }
          ],
          "start_url": ".",
          "display": "standalone",
          "background_color": "#303030",
          "theme_color": "#303030"
        }

        """);
}
