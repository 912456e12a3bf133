using System.Text;

namespace Fmp4Streamer.Http;

/// <summary>
/// The player page (seed spec 3.1) with relative links only, so it works behind a reverse proxy under a
/// sub-path. The script only trims latency: without JavaScript the plain &lt;video&gt; still plays.
/// </summary>
public static class IndexPage
{
    /// <summary>Used until the stream has seen its first SPS (Constrained Baseline 3.0: every H264 decoder takes it).</summary>
    public const string FallbackCodecs = "avc1.42e01e";

    // Chromium's progressive player starts ~2 s behind the newest data and then plays at exactly 1.0x, so the
    // delay stays for good (clients.md section 4). Every 500 ms the script plays faster while behind. It seeks
    // only where the player allows it: for a streaming source Chromium reports seekable = [0, 0], and setting
    // currentTime would jump back to the start.
    private const string Template = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width,initial-scale=1.0">
        <title>{{TITLE}}</title>
        <link rel="manifest" href="manifest.json">
        <meta name="theme-color" content="#303030">
        <meta name="mobile-web-app-capable" content="yes">
        <meta name="apple-mobile-web-app-capable" content="yes">
        <meta name="apple-mobile-web-app-status-bar-style" content="default">
        <meta name="apple-mobile-web-app-title" content="Fmp4streamer">
        <link rel="apple-touch-icon" href="apple-touch-icon.png">
        <link rel="icon" type="image/png" href="logo.png">
        <style>
        body{margin:0;padding:0;background:#303030}
        #stream{max-height:100%;max-width:100%;margin:auto;position:absolute;top:0;left:0;bottom:0;right:0}
        </style>
        </head>
        <body>
        <video controls autoplay muted playsinline id="stream" width="{{WIDTH}}" height="{{HEIGHT}}">
        <source src="stream.mp4" type='video/mp4; codecs="{{CODECS}}"'>
        <source src="stream.m3u8" type="application/vnd.apple.mpegurl">
        </video>
        <script>
        (function () {
          var v = document.getElementById('stream');
          setInterval(function () {
            if (v.paused || v.seeking || !v.buffered.length) return;
            var end = v.buffered.end(v.buffered.length - 1), lag = end - v.currentTime;
            var s = v.seekable;
            if (lag > 3 && s.length && s.start(s.length - 1) <= end - 0.1 && s.end(s.length - 1) >= end - 0.1) v.currentTime = end - 0.1;
            else if (lag > 1) v.playbackRate = 1.5;
            else if (lag > 0.3) v.playbackRate = 1.2;
            else if (lag < 0.15) v.playbackRate = 1;
          }, 250);
        })();
        </script>
        </body>
        </html>

        """;

    public static byte[] Render(string title, string codecs, int width, int height)
    {
        var html = Template
            .Replace("{{TITLE}}", HtmlEscape(title))
            .Replace("{{CODECS}}", HtmlEscape(codecs))
            .Replace("{{WIDTH}}", width.ToString())
            .Replace("{{HEIGHT}}", height.ToString());
        return Encoding.UTF8.GetBytes(html);
    }

    private static string HtmlEscape(string s) =>
        s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");
}
