// Logs in to the daemon's page with Basic credentials (Playwright's httpCredentials answer the 401), then opens the
// page again in a second browser context that has only the cookie the first login set: the page's own requests
// (fetch, an <img>, hls.js, the page's <video>) must all work without a password. One JSON line on stdout.
// Usage: node login.js URL USER PASSWORD
const { chromium } = require('playwright-core');
const fs = require('fs'), os = require('os'), path = require('path');

const [url, username, password] = process.argv.slice(2);
const launch = (extra) => chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'fmp4-login-')), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  ...extra,
});

(async () => {
  const out = { ok: false, errors: [] };
  const login = await launch({ httpCredentials: { username, password } });
  let cookies;
  try {
    const page = await login.newPage();
    const resp = await page.goto(url, { waitUntil: 'domcontentloaded' });
    out.loginStatus = resp.status();
    out.setCookie = (await resp.allHeaders())['set-cookie'] || null;
    cookies = await login.cookies();
    out.cookies = cookies.map(c => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite, path: c.path }));
  } finally {
    await login.close();
  }

  const viewer = await launch({});
  try {
    await viewer.addCookies(cookies);
    const page = await viewer.newPage();
    const unauthorized = [];
    page.on('response', r => { if (r.status() === 401) unauthorized.push(r.url()); });
    page.on('pageerror', e => out.errors.push(e.message));
    const resp = await page.goto(url, { waitUntil: 'domcontentloaded' });
    out.pageStatus = resp.status();
    out.fetchStatus = await page.evaluate(() => fetch('manifest.json').then(r => r.status));
    out.imgLoaded = await page.evaluate(() => new Promise(done => {
      const img = new Image();
      img.onload = () => done(img.naturalWidth > 0);
      img.onerror = () => done(false);
      img.src = 'logo.png?' + Date.now();
    }));
    await page.addScriptTag({ path: require.resolve('hls.js/dist/hls.min.js') });
    await page.evaluate(() => {
      window.hlsFatal = [];
      const v = document.createElement('video');
      v.muted = true; v.id = 'hlsjs';
      document.body.appendChild(v);
      const hls = new Hls();
      hls.on(Hls.Events.ERROR, (e, d) => { if (d.fatal) window.hlsFatal.push(d.type + ' ' + d.details); });
      hls.loadSource('stream.m3u8');
      hls.attachMedia(v);
      v.play().catch(() => {});
    });
    const t0 = Date.now();
    let state = {};
    while (Date.now() - t0 < 20000) {
      state = await page.evaluate(() => {
        const h = document.getElementById('hlsjs'), p = document.querySelector('video:not(#hlsjs)');
        return { hlsTime: h.currentTime, hlsFatal: window.hlsFatal, pageVideoTime: p ? p.currentTime : null };
      });
      if (state.hlsTime > 1 && (state.pageVideoTime === null || state.pageVideoTime > 1) || state.hlsFatal.length) break;
      await new Promise(r => setTimeout(r, 250));
    }
    Object.assign(out, state);
    out.unauthorized = unauthorized;
    out.ok = out.pageStatus === 200 && out.fetchStatus === 200 && out.imgLoaded && state.hlsTime > 1
      && !state.hlsFatal.length && unauthorized.length === 0;
  } catch (e) {
    out.errors.push(String(e));
  } finally {
    await viewer.close();
  }
  console.log(JSON.stringify(out));
  process.exit(out.ok ? 0 : 1);
})();
