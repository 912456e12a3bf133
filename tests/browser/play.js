// Plays a page in Debian's headless Chromium and reports what a viewer would see, as one JSON line.
// Usage: node play.js URL SECONDS [--strip] [--shot FILE] [--no-script] [--hlsjs] [--all]
//   --strip  read the test pattern's strip (frame number, wall-clock ms) from the displayed frame every 250 ms
//            and report the glass-to-glass latency (Date.now() - strip time) over time.
//   --no-script  remove the page's own <script> elements before Chromium sees them: what a browser without
//            JavaScript (or a user who disabled it) gets.
//   --hlsjs  URL is an HLS playlist: open a bare page on the same origin (served by page.route, not the daemon)
//            and play the playlist with hls.js from node_modules, called directly: Chromium's own HLS player
//            would take over a plain <video src> (platform-notes §3). Fatal hls.js errors are media errors.
//   --all    every <video> on the page must play (the multi-camera tiles); each sample lists them in `videos`.
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
    let target = url;
    if (flag('--hlsjs')) {
      target = new URL('hlsjs-player.html', url).href;
      await page.route(u => u.href === target, route => route.fulfill({
        contentType: 'text/html', body: '<!doctype html><html><body><video muted autoplay playsinline></video></body></html>' }));
    }
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
    await page.evaluate(readStripSource());
    const t0 = Date.now();
    let first = null;
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
          r.videos = Array.from(document.querySelectorAll('video'), e => ({ t: e.currentTime, w: e.videoWidth, h: e.videoHeight,
            decoded: e.getVideoPlaybackQuality().totalVideoFrames }));
          const bad = Array.from(document.querySelectorAll('video')).find(e => e.error);
          if (bad) r.err = bad.error.code + ' ' + bad.error.message;
        }
        if (window.hls) {
          r.hlsLatency = window.hls.latency; r.hlsErrors = window.hlsErrors;
          const details = window.hls.levels[0] && window.hls.levels[0].details;
          r.hlsParts = details && details.partList ? details.partList.length : 0; // LL-HLS parts hls.js knows
          if (window.hlsFatal.length) r.err = 'hls.js fatal: ' + window.hlsFatal.join(', ');
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
      if (first && s.now - first.now >= seconds * 1000) break;
      await page.waitForTimeout(250);
    }
    const last = out.samples[out.samples.length - 1];
    out.first = first; out.last = last;
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
