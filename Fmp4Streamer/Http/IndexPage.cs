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

    // Chromium's progressive player starts ~2 s behind the newest data, plays at exactly 1.0x so the delay stays
    // for good (clients.md section 4), and its network reader holds about 16 KB before the demuxer sees it: 0.7 s
    // of a quiet low-bitrate picture. Where Media Source Extensions exist, the script therefore feeds the same
    // stream.mp4 through fetch() into a SourceBuffer, chunk by chunk as it arrives, and keeps playback ~0.1-0.3 s
    // behind the newest frame (a jump when far behind, a slightly faster rate when a little behind). Without
    // JavaScript or MSE the <source> elements play as before.
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
        </style>
        </head>
        <body>
        <video controls autoplay muted playsinline id="stream" width="{{WIDTH}}" height="{{HEIGHT}}">
        <source src="stream.mp4" type='video/mp4; codecs="{{CODECS}}"'>
        <source src="stream.m3u8" type="application/vnd.apple.mpegurl">
        </video>
        <script>
        (function () {
          var v = document.getElementById('stream'), type = v.querySelector('source').type, queue = [], sb = null;
          if (!window.MediaSource || !MediaSource.isTypeSupported(type) || !window.ReadableStream) return;
          var ms = new MediaSource();
          v.src = URL.createObjectURL(ms);
          ms.addEventListener('sourceopen', function () {
            sb = ms.addSourceBuffer(type);
            sb.addEventListener('updateend', pump);
            fetch('stream.mp4').then(function (r) {
              var reader = r.body.getReader();
              (function read() {
                reader.read().then(function (c) {
                  if (c.done) return restart();
                  queue.push(c.value); pump(); read();
                }, restart);
              })();
            }, restart);
          });
          var restarting = false;
          function restart() {
            // Reload only once the server answers again, so a restarting daemon never leaves an error page.
            if (restarting) return;
            restarting = true;
            (function probe() {
              setTimeout(function () {
                fetch(location.href, { method: 'HEAD', cache: 'no-store' }).then(function (r) {
                  if (r.ok) location.reload(); else probe();
                }, probe);
              }, 1000);
            })();
          }
          function pump() {
            if (!sb || sb.updating || !queue.length) return;
            var b = v.buffered;
            if (b.length && b.start(0) < v.currentTime - 30) { sb.remove(0, v.currentTime - 10); return; }
            var n = 0, i, all;
            for (i = 0; i < queue.length; i++) n += queue[i].length;
            all = new Uint8Array(n); n = 0;
            for (i = 0; i < queue.length; i++) { all.set(queue[i], n); n += queue[i].length; }
            queue = [];
            try { sb.appendBuffer(all); } catch (e) { restart(); }
          }
          // With B-frames the buffered end runs ahead of the frames that can be shown (an anchor arrives before the
          // frames it follows): each time frames are dropped for lateness, stay a little further behind.
          var margin = 0, dropped = 0;
          setInterval(function () {
            var b = v.buffered;
            if (!b.length) return;
            var q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality().droppedVideoFrames : 0;
            if (q > dropped && v.currentTime > 1) margin = Math.min(margin + 0.04, 0.3);
            dropped = q;
            var end = b.end(b.length - 1), lag = end - v.currentTime - margin;
            if (v.currentTime < b.start(0) || lag > 1.5) v.currentTime = end - 0.1 - margin;
            else v.playbackRate = lag > 0.3 ? 1.2 : lag < 0.12 ? 1 : v.playbackRate;
            if (v.paused && v.autoplay) v.play().catch(function () {});
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
