// Drives a camera page's settings panel in Debian's headless Chromium at a phone's size, as a user would:
// opens the panel, moves a slider, flips a switch, picks a menu item, presses a button; prints one JSON line.
// Usage: node settings.js URL '{"slider":"key","value":N,"switch":"key","menu":"key","item":"label","button":"key"}'
// ("button" is optional); the report carries the POST bodies ("posts") and the daemon's answers ("answers").
// With only the URL it reports whether the panel's button is shown (a client that may not change settings).
const { chromium } = require('playwright-core');
const fs = require('fs'), os = require('os'), path = require('path');

const url = process.argv[2];
const plan = process.argv[3] ? JSON.parse(process.argv[3]) : null;

// The slider may send more than once while it moves: waits until at least one answer per control has come, up to 5 s.
async function waitForAnswers(page, out, controls) {
  for (let i = 0; i < 50 && out.answers.length < controls; i++) await page.waitForTimeout(100);
}

(async () => {
  const t0 = Date.now();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fmp4-settings-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  const out = { ok: false, errors: [], posts: [] };
  try {
    out.launchMs = Date.now() - t0;
    const page = await ctx.newPage();
    page.on('pageerror', e => out.errors.push(e.message));
    page.on('request', r => { if (r.method() === 'POST') out.posts.push(r.postData()); });
    out.answers = [];
    page.on('response', async r => {
      if (r.request().method() !== 'POST') return;
      try { out.answers.push(JSON.parse(await r.text())); } catch (e) { out.answers.push(String(e)); }
    });
    const described = page.waitForResponse(r => r.url().endsWith('/controls.json'), { timeout: 10000 });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await described;
    const open = page.locator('#settings-open');
    await page.waitForTimeout(200);
    out.buttonShown = await open.isVisible();
    if (plan && out.buttonShown) {
      await open.tap();
      await page.locator('#settings').waitFor({ state: 'visible', timeout: 5000 });
      out.panelWidth = await page.locator('#settings').evaluate(e => e.getBoundingClientRect().width);
      out.sliders = await page.locator('#settings input[type=range]').count();
      out.switches = await page.locator('#settings input[type=checkbox]').count();
      out.menus = await page.locator('#settings select').count();
      out.buttons = await page.locator('#settings .row button').count();
      out.headings = await page.locator('#settings h3').allTextContents();
      await page.locator('#control-' + plan.slider).fill(String(plan.value));
      await page.waitForTimeout(400);
      await page.locator('#control-' + plan.switch).tap();
      await page.waitForTimeout(400);
      await page.locator('#control-' + plan.menu).selectOption({ label: plan.item });
      await page.waitForTimeout(400);
      if (plan.button) {
        await page.locator('#control-' + plan.button).tap();
        await page.waitForTimeout(800);
      }
      await waitForAnswers(page, out, plan.button ? 4 : 3);
      out.sliderShown = await page.locator('#control-' + plan.slider).inputValue();
      out.status = await page.locator('#settings-status').textContent();
    }
    out.totalMs = Date.now() - t0;
    out.ok = out.errors.length === 0;
  } catch (e) {
    out.errors.push(String(e && e.stack || e));
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(JSON.stringify(out));
  process.exit(out.ok ? 0 : 1);
})();
