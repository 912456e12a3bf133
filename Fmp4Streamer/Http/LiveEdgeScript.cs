namespace Fmp4Streamer.Http;

/// <summary>
/// The script both pages end with: it keeps every &lt;video&gt; on the page near the live edge. Without JavaScript
/// or Media Source Extensions the videos' own &lt;source&gt; elements play as before.
/// </summary>
/// <remarks>
/// Chromium's progressive player starts ~2 s behind the newest data, plays at exactly 1.0x so the delay stays for
/// good, and its network reader holds about 16 KB before the demuxer sees it: 0.7 s of a quiet low-bitrate picture
/// (platform-notes §3). Where Media Source Extensions exist, the script therefore feeds each video's first
/// &lt;source&gt; (its stream.mp4) through fetch() into a SourceBuffer, chunk by chunk as it arrives, and keeps
/// playback ~0.1-0.3 s behind the newest frame (a jump when far behind, a slightly faster rate when a little
/// behind). A stream that ends (the daemon restarting) is fetched anew once the server answers again, for that
/// video alone: one camera restarting does not interrupt the other tiles.
/// </remarks>
public static class LiveEdgeScript
{
    public const string Element = """
        <script>

        """ + UnmuteButton.Script + """
        (function () {
          if (!window.MediaSource || !window.ReadableStream) return;
          Array.prototype.forEach.call(document.querySelectorAll('video'), function (v) {
            var source = v.querySelector('source');
            if (source && MediaSource.isTypeSupported(source.type)) follow(v, source.src, source.type);
          });

          // With B-frames the buffered end runs ahead of the frames that can be shown (an anchor arrives before the
          // frames it follows): once trun shows composition offsets, each time frames are dropped for lateness, stay
          // a little further behind. Streams without B-frames keep the closest edge.
          function hasCompositionOffset(d) {
            for (var i = 0; i + 32 <= d.length; i++) {
              if (d[i] !== 0x74 || d[i + 1] !== 0x72 || d[i + 2] !== 0x75 || d[i + 3] !== 0x6e) continue;
              if ((d[i + 6] & 0x08) && (d[i + 28] | d[i + 29] | d[i + 30] | d[i + 31])) return true;
            }
            return false;
          }

          function follow(v, url, type) {
            var margin = 0, dropped = 0, reordered = false;
            start();
            setInterval(function () {
              var b = v.buffered;
              if (!b.length) return;
              var q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality().droppedVideoFrames : 0;
              if (q > dropped && reordered && v.currentTime > 1) margin = Math.min(margin + 0.04, 0.3);
              dropped = q;
              var end = b.end(b.length - 1), lag = end - v.currentTime - margin;
              if (v.currentTime < b.start(0) || lag > 1.5) v.currentTime = end - 0.1 - margin;
              else v.playbackRate = lag > 0.3 ? 1.2 : lag < 0.12 ? 1 : v.playbackRate;
              if (v.paused && v.autoplay) v.play().catch(function () {});
            }, 250);

            function start() {
              var ms = new MediaSource(), queue = [], sb = null, reader = null, stopped = false;
              v.src = URL.createObjectURL(ms);
              ms.addEventListener('sourceopen', function () {
                sb = ms.addSourceBuffer(type);
                sb.addEventListener('updateend', pump);
                fetch(url).then(function (r) {
                  reader = r.body.getReader();
                  (function read() {
                    reader.read().then(function (c) {
                      if (c.done) return stop();
                      queue.push(c.value); pump(); read();
                    }, stop);
                  })();
                }, stop);
              });
              function stop() {
                if (stopped) return;
                stopped = true;
                if (reader) reader.cancel().catch(function () {});
                probe();
              }
              function pump() {
                if (stopped || !sb || sb.updating || !queue.length) return;
                var b = v.buffered;
                if (b.length && b.start(0) < v.currentTime - 30) { sb.remove(0, v.currentTime - 10); return; }
                var n = 0, i, all;
                for (i = 0; i < queue.length; i++) n += queue[i].length;
                all = new Uint8Array(n); n = 0;
                for (i = 0; i < queue.length; i++) { all.set(queue[i], n); n += queue[i].length; }
                queue = [];
                if (!reordered) reordered = hasCompositionOffset(all);
                try { sb.appendBuffer(all); } catch (e) { stop(); }
              }
            }
            function probe() {
              // Start again only once the server answers, so a restarting daemon never leaves a dead video.
              setTimeout(function () {
                fetch(location.href, { method: 'HEAD', cache: 'no-store' }).then(function (r) {
                  if (r.ok) start(); else probe();
                }, probe);
              }, 1000);
            }
          }
        })();
        </script>

        """;
}
