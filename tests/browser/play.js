// Plays a page in Debian's headless Chromium and reports what a viewer would see, as one JSON line.
// Usage: node play.js URL SECONDS [--strip] [--shot FILE] [--no-script] [--hlsjs|--shaka|--videojs] [--all]
//   --strip  read the test pattern's strip (frame number, wall-clock ms) from the displayed frame every 250 ms
//            and report the glass-to-glass latency (Date.now() - strip time) over time.
//   --no-script  remove the page's own <script> elements before Chromium sees them: what a browser without
//            JavaScript (or a user who disabled it) gets.
//   --hlsjs  URL is an HLS playlist: open a bare page on the same origin (served by page.route, not the daemon)
//            and play the playlist with hls.js from node_modules, called directly: Chromium's own HLS player
//            would take over a plain <video src> (platform-notes §3). Fatal hls.js errors are media errors.
//   --shaka  as --hlsjs with Shaka Player (npm shaka-player); its error events are media errors.
//   --videojs  as --hlsjs with video.js, whose VHS plays HLS through MSE (told to, not Chromium's own HLS);
//            its error events are media errors.
//   --all    every <video> on the page must play (the multi-camera tiles); each sample lists them in `videos`
//            (with --strip, each with its own latencyMs).
// The report also lists the media elements' `waiting` events after their first `playing` event (stalls once
// playback started) in `waitingAfterStart`, and the milliseconds from navigation to the first decoded frame
// (sampled every 250 ms) in `firstFrameMs`.
// Exit code 0 when the video played: currentTime advanced, frames decoded, size known, no media error.
const { chromium } = require('playwright-core');
const fs = require('fs'), os = require('os'), path = require('path');
const { readStripSource } = require('./strip.js');

const argv = process.argv.slice(2);
const url = argv[0], seconds = Number(argv[1] || 6);
const flag = n => argv.includes(n);
const shot = argv.includes('--shot') ? argv[argv.indexOf('--shot') + 1] : null;

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fmp4-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, viewport: { width: 800, height: 600 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const out = { url, ok: false, samples: [], errors: [] };
  try {
    const page = await ctx.newPage();
    page.on('pageerror', e => out.errors.push(e.message));
    if (flag('--no-script')) {
      await page.route(u => u.href === url, async route => {
        const response = await route.fetch();
        const body = (await response.text()).replace(/<script[\s\S]*?<\/script>/g, '');
        out.scriptRemoved = true;
        await route.fulfill({ response, body });
      });
    }
    // Stalls after the start, from every media element (media events do not bubble: listen while capturing).
    await page.addInitScript(() => {
      window.__media = { started: 0, waiting: [] };
      document.addEventListener('playing', () => { if (!window.__media.started) window.__media.started = Date.now(); }, true);
      document.addEventListener('waiting', e => {
        if (window.__media.started) window.__media.waiting.push({ now: Date.now(), t: e.target.currentTime });
      }, true);
    });
    const player = flag('--hlsjs') ? 'hlsjs' : flag('--shaka') ? 'shaka' : flag('--videojs') ? 'videojs' : null;
    let target = url;
    if (player) {
      target = new URL(player + '-player.html', url).href;
      await page.route(u => u.href === target, route => route.fulfill({
        contentType: 'text/html', body: '<!doctype html><html><body><video muted autoplay playsinline></video></body></html>' }));
    }
    const navigated = Date.now();
    const resp = await page.goto(target, { waitUntil: 'domcontentloaded' });
    out.status = resp && resp.status();
    if (flag('--hlsjs')) {
      await page.addScriptTag({ path: require.resolve('hls.js/dist/hls.min.js') });
      out.hlsjs = await page.evaluate((src) => {
        window.hlsFatal = []; window.hlsErrors = 0;
        if (!window.Hls || !Hls.isSupported()) return 'unsupported';
        const v = document.querySelector('video'), hls = new Hls();
        hls.on(Hls.Events.ERROR, (e, d) => { window.hlsErrors++; if (d.fatal) window.hlsFatal.push(d.type + ' ' + d.details); });
        hls.loadSource(src);
        hls.attachMedia(v);
        window.hls = hls;
        v.play().catch(() => {});
        return Hls.version;
      }, url);
    }
    if (flag('--shaka')) {
      await page.addScriptTag({ path: require.resolve('shaka-player/dist/shaka-player.compiled.js') });
      out.shaka = await page.evaluate(async (src) => {
        window.playerFatal = [];
        shaka.polyfill.installAll();
        if (!shaka.Player.isBrowserSupported()) return 'unsupported';
        const v = document.querySelector('video'), player = new shaka.Player();
        player.addEventListener('error', e => window.playerFatal.push('shaka error ' + e.detail.code));
        await player.attach(v);
        window.player = player;
        player.load(src).then(() => v.play().catch(() => {}),
          e => window.playerFatal.push('shaka load failed: ' + (e.code ? 'code ' + e.code + ' ' + JSON.stringify(e.data || []).slice(0, 300) : String(e))));
        return shaka.Player.version;
      }, url);
    }
    if (flag('--videojs')) {
      await page.addStyleTag({ path: require.resolve('video.js/dist/video-js.min.css') });
      await page.addScriptTag({ path: require.resolve('video.js/dist/video.min.js') });
      out.videojs = await page.evaluate((src) => {
        window.playerFatal = [];
        const player = videojs(document.querySelector('video'), {
          autoplay: true, muted: true, html5: { vhs: { overrideNative: true }, nativeAudioTracks: false, nativeVideoTracks: false } });
        player.on('error', () => window.playerFatal.push('video.js error ' + JSON.stringify(player.error())));
        player.src({ src, type: 'application/x-mpegURL' });
        window.player = player;
        return videojs.VERSION;
      }, url);
    }
    await page.evaluate(readStripSource());
    const t0 = Date.now();
    let first = null, firstFrameAt = 0;
    while (Date.now() - t0 < (seconds + 15) * 1000) {
      // A page that reloads itself (the player recovering from a restarted server) destroys the context
      // mid-call: record the gap and keep sampling.
      const s = await page.evaluate(([withStrip, all]) => {
        const v = document.querySelector('video');
        if (!v) return { missing: 'no video element', now: Date.now() };
        const q = v.getVideoPlaybackQuality();
        const r = { t: v.currentTime, paused: v.paused, w: v.videoWidth, h: v.videoHeight, decoded: q.totalVideoFrames,
                    dropped: q.droppedVideoFrames, err: v.error && (v.error.code + ' ' + v.error.message), now: Date.now(),
                    buffered: v.buffered.length ? v.buffered.end(v.buffered.length - 1) : null };
        if (all) {
          r.videos = Array.from(document.querySelectorAll('video'), e => {
            const tile = { t: e.currentTime, w: e.videoWidth, h: e.videoHeight, decoded: e.getVideoPlaybackQuality().totalVideoFrames,
              buffered: e.buffered.length ? e.buffered.end(e.buffered.length - 1) : null };
            const strip = withStrip && e.videoWidth && window.readStrip && window.readStrip(e);
            if (strip) tile.latencyMs = r.now - strip.wallMs;
            return tile;
          });
          const bad = Array.from(document.querySelectorAll('video')).find(e => e.error);
          if (bad) r.err = bad.error.code + ' ' + bad.error.message;
        }
        if (window.hls) {
          r.hlsLatency = window.hls.latency; r.hlsErrors = window.hlsErrors;
          const details = window.hls.levels[0] && window.hls.levels[0].details;
          r.hlsParts = details && details.partList ? details.partList.length : 0; // LL-HLS parts hls.js knows
          if (window.hlsFatal.length) r.err = 'hls.js fatal: ' + window.hlsFatal.join(', ');
        }
        if (window.playerFatal && window.playerFatal.length) r.err = window.playerFatal.join(', ');
        if (window.player && window.player.tech) {
          const tech = window.player.tech({ IWillNotUseThisInPlugins: true });
          r.vhs = !!(tech && tech.vhs); // video.js plays through its own HLS engine, not Chromium's
        }
        if (withStrip && v.videoWidth && window.readStrip) {
          const strip = window.readStrip(v);
          if (strip) { r.frame = strip.frame; r.latencyMs = r.now - strip.wallMs; }
        }
        return r;
      }, [flag('--strip'), flag('--all')]).catch(e => ({ missing: String(e).split('\n')[0], now: Date.now() }));
      out.samples.push(s);
      if (s.err) { out.errors.push(s.err); break; }
      if (!first && s.t > 0 && !s.paused) first = s;
      if (!firstFrameAt && s.w > 0 && s.decoded > 0) firstFrameAt = s.now;
      if (first && s.now - first.now >= seconds * 1000) break;
      await page.waitForTimeout(250);
    }
    const last = out.samples[out.samples.length - 1];
    out.first = first; out.last = last;
    const media = await page.evaluate(() => window.__media).catch(() => null);
    if (media) { out.playingAt = media.started || null; out.waitingAfterStart = media.waiting; }
    if (firstFrameAt) out.firstFrameMs = firstFrameAt - navigated;
    out.ok = !!first && !last.err && last.t - first.t >= Math.min(seconds, 2) * 0.8 && last.decoded > first.decoded && last.w > 0;
    if (flag('--all') && out.ok) {
      out.ok = last.videos.length > 0 && last.videos.every((v, i) => first.videos[i] && v.w > 0 &&
        v.t - first.videos[i].t >= Math.min(seconds, 2) * 0.8 && v.decoded > first.videos[i].decoded);
    }
    if (shot) await page.locator('video').first().screenshot({ path: shot });
  } catch (e) {
    out.errors.push(String(e));
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(JSON.stringify(out));
  process.exit(out.ok ? 0 : 1);
})();
