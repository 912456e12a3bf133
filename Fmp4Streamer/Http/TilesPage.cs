using System.Text;

namespace Fmp4Streamer.Http;

/// <summary>
/// "/" when several cameras are served: one tile per camera, each a plain &lt;video&gt; on the camera's own
/// stream.mp4 (HLS as the fallback source for iOS) with a link to the camera's full page, kept near the live edge
/// by the camera page's own script (<see cref="LiveEdgeScript"/>, once for every tile). Relative links only.
/// </summary>
public static class TilesPage
{
    /// <summary>One camera as a tile shows it.</summary>
    public readonly record struct Tile(string Name, string Codecs, int Width, int Height, bool PicturesOnly = false);

    private const string Head = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width,initial-scale=1.0">
        <title>fmp4streamer</title>

        """ + PageHead.HomeScreen + """
        <style>
        body{margin:0;padding:4px;background:#303030;font-family:sans-serif}
        #tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:4px}
        figure{margin:0;position:relative}
        video,img{width:100%;height:auto;display:block;background:#000}
        figcaption{position:absolute;top:4px;left:6px}
        figcaption a{color:#f0f0f0;text-decoration:none;text-shadow:0 0 3px #000}
        </style>
        </head>
        <body>
        <div id="tiles">

        """;

    private const string Foot = """
        </div>

        """ + UnmuteButton.Style + LiveEdgeScript.Element + """
        </body>
        </html>

        """;

    public static byte[] Render(ReadOnlySpan<Tile> tiles)
    {
        var html = new StringBuilder(Head);
        foreach (var t in tiles)
        {
            string name = Escape(t.Name);
            if (t.PicturesOnly)
            {
                // No video from a pictures-only camera: its MJPEG stream.
                html.Append("<figure><img src=\"").Append(name).Append("/stream.mjpg\" alt=\"").Append(name).Append("\" width=\"")
                    .Append(t.Width).Append("\" height=\"").Append(t.Height).Append("\">")
                    .Append("<figcaption><a href=\"").Append(name).Append("/\">").Append(name).Append("</a></figcaption></figure>\n");
                continue;
            }
            html.Append("<figure><video controls autoplay muted playsinline width=\"").Append(t.Width)
                .Append("\" height=\"").Append(t.Height).Append("\">")
                .Append("<source src=\"").Append(name).Append("/stream.mp4\" type='video/mp4; codecs=\"").Append(Escape(t.Codecs)).Append("\"'>")
                .Append("<source src=\"").Append(name).Append("/stream.m3u8\" type=\"application/vnd.apple.mpegurl\">")
                .Append("</video><figcaption><a href=\"").Append(name).Append("/\">").Append(name).Append("</a></figcaption></figure>\n");
        }
        html.Append(Foot);
        return Encoding.UTF8.GetBytes(html.ToString());
    }

    private static string Escape(string s) =>
        s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");
}
