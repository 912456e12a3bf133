namespace Fmp4Streamer.Http;

/// <summary>
/// The script both pages carry for streams with sound: browsers only autoplay muted videos, so every video starts
/// muted, and one whose stream has an audio track (its first &lt;source&gt;'s codecs name mp4a) gets an "Unmute"
/// button over its top-left corner; a click unmutes it and the button goes. Videos without sound get nothing.
/// Without JavaScript the video's own controls unmute it.
/// </summary>
public static class UnmuteButton
{
    /// <summary>Its style, for the page's head or body.</summary>
    public const string Style = """
        <style>
        .unmute{position:absolute;top:8px;left:8px;z-index:1;padding:6px 12px;font:16px sans-serif;border:0;border-radius:4px;background:#000a;color:#fff;cursor:pointer}
        </style>

        """;

    /// <summary>Its code, run first inside the pages' one script (<see cref="LiveEdgeScript"/>).</summary>
    public const string Script = """
        (function () {
          Array.prototype.forEach.call(document.querySelectorAll('video'), function (v) {
            var source = v.querySelector('source');
            if (!source || source.type.indexOf('mp4a') < 0) return;
            var b = document.createElement('button');
            b.className = 'unmute';
            b.type = 'button';
            b.textContent = '\uD83D\uDD07 Unmute';
            b.onclick = function () { v.muted = false; v.play(); b.remove(); };
            v.addEventListener('volumechange', function () { if (!v.muted) b.remove(); });
            v.parentNode.insertBefore(b, v);
          });
        })();

        """;
}
