using System.Text;

namespace Fmp4Streamer.Http;

/// <summary>
/// The player page (compatibility §3) with relative links only, so it works behind a reverse proxy under a
/// sub-path. Its script (<see cref="LiveEdgeScript"/>) only trims latency: without JavaScript the plain &lt;video&gt;
/// still plays.
/// </summary>
public static class IndexPage
{
    /// <summary>Used until the stream has seen its first SPS (Constrained Baseline 3.0: every H264 decoder takes it).</summary>
    public const string FallbackCodecs = "avc1.42e01e";

    private const string Template = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width,initial-scale=1.0">
        <title>{{TITLE}}</title>

        """ + PageHead.HomeScreen + """
        <style>
        body{margin:0;padding:0;background:#303030}
        #stream{max-height:100%;max-width:100%;margin:auto;position:absolute;top:0;left:0;bottom:0;right:0}
        #pictures{position:fixed;right:8px;bottom:4px;font:12px sans-serif}
        #pictures a{color:#aaa}
        </style>
        </head>
        <body>
        {{VIEW}}
        <nav id="pictures"><a href="snapshot.jpg">snapshot</a> <a href="stream.mjpg">MJPEG</a></nav>

        """ + UnmuteButton.Style + LiveEdgeScript.Element + Settings.SettingsPanel.Element + """
        </body>
        </html>

        """;

    private const string Video = """
        <video controls autoplay muted playsinline id="stream" width="{{WIDTH}}" height="{{HEIGHT}}">
        <source src="stream.mp4" type='video/mp4; codecs="{{CODECS}}"'>
        <source src="stream.m3u8" type="application/vnd.apple.mpegurl">
        </video>
        """;

    // A pictures-only camera has no video: its MJPEG stream in an <img>, which every browser shows.
    private const string Mjpeg = """
        <img id="stream" src="stream.mjpg" alt="MJPEG stream" width="{{WIDTH}}" height="{{HEIGHT}}">
        """;

    public static byte[] Render(string title, string codecs, int width, int height, bool picturesOnly = false)
    {
        var html = Template
            .Replace("{{VIEW}}", picturesOnly ? Mjpeg : Video)
            .Replace("{{TITLE}}", HtmlEscape(title))
            .Replace("{{CODECS}}", HtmlEscape(codecs))
            .Replace("{{WIDTH}}", width.ToString())
            .Replace("{{HEIGHT}}", height.ToString());
        return Encoding.UTF8.GetBytes(html);
    }

    private static string HtmlEscape(string s) =>
        s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");
}
