// Shows the daemon's MJPEG stream in a plain <img src="?action=stream"> in headless Chromium, as Mainsail's and
// Fluidd's mjpegstreamer does, and counts how often the picture changes, read from the test pattern's strip through
// a canvas every 20 ms. Usage: node mjpeg.js BASE_URL SECONDS. Prints one JSON line:
// { ok, width, height, pictures (distinct frame numbers seen), seconds, fps, firstPictureMs, errors }.
const { chromium } = require('playwright-core');
const fs = require('fs'), os = require('os'), path = require('path');
const { readStripSource } = require('./strip.js');

const base = process.argv[2].replace(/\/?$/, '/'), seconds = Number(process.argv[3] || 5);

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fmp4-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, viewport: { width: 800, height: 600 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  const out = { ok: false, errors: [] };
  try {
    const page = await ctx.newPage();
    page.on('pageerror', e => out.errors.push(e.message));
    // The page is served on the daemon's origin (so the canvas may read the picture); "?action=stream" resolves
    // against "/" to the daemon's mjpg-streamer URL, which the route leaves alone.
    await page.route(u => u.href === base, route => route.fulfill({ contentType: 'text/html',
      body: '<!doctype html><html><body style="margin:0"><img id="cam" src="?action=stream"></body></html>' }));
    await page.goto(base);
    // strip.js reads a <video>; an <img> has natural sizes instead.
    await page.evaluate(readStripSource().replace(/videoWidth/g, 'naturalWidth').replace(/videoHeight/g, 'naturalHeight'));
    const report = await page.evaluate(async (seconds) => {
      const img = document.getElementById('cam'), start = performance.now(), seen = new Set();
      let first = -1, firstSeen = 0, last = 0;
      while (performance.now() - start < seconds * 1000) {
        const s = img.naturalWidth ? window.readStrip(img) : null;
        if (s && !seen.has(s.frame)) {
          if (first < 0) { first = Math.round(performance.now() - start); firstSeen = performance.now(); }
          seen.add(s.frame);
          last = performance.now();
        }
        await new Promise(r => setTimeout(r, 20));
      }
      const span = (last - firstSeen) / 1000;
      return { width: img.naturalWidth, height: img.naturalHeight, pictures: seen.size, firstPictureMs: first,
               fps: span > 0 ? Math.round((seen.size - 1) / span * 10) / 10 : 0 };
    }, seconds);
    Object.assign(out, report, { seconds, ok: report.pictures > 1 });
  } catch (e) {
    out.errors.push(String(e));
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(JSON.stringify(out));
  process.exit(out.ok ? 0 : 1);
})();
