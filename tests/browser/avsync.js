// Plays the daemon's page with sound in Debian's headless Chromium and measures how far each tone burst of the test
// pattern's sound is from the frame that flashes with it, as one JSON line.
// Usage: node avsync.js URL SECONDS
// The Unmute button is clicked as a user would (the click is the gesture that lets the page's audio and an
// AudioContext start). The video element's audio then goes through Web Audio (createMediaElementSource) into an
// AudioWorklet that finds burst onsets to the sample (loud after at least 100 ms of quiet) and passes the sound on to
// the output. The pictures are read with requestVideoFrameCallback: each frame's mediaTime, its expected display
// time, and whether its flash area (the counter row right of the digits) is white.
// Two offsets per burst, audio minus video, positive when the sound is late:
//   mediaMs: on the media timeline: the onset's media time is the element's currentTime when the worklet's report
//            arrives, less the context time since the onset (at the playback rate), against the flash's mediaTime;
//   outputMs: on the wall clock: when the onset leaves the audio output (AudioContext.getOutputTimestamp) against
//            when the flashing frame is shown (expectedDisplayTime): what a viewer sees and hears.
// Exit code 0 when the video played unmuted with sound through the graph; the caller judges the offsets.
const { chromium } = require('playwright-core');
const fs = require('fs'), os = require('os'), path = require('path');

const url = process.argv[2], seconds = Number(process.argv[3] || 8);

// The worklet: passes its input on, and reports the first loud sample after 100 ms of quiet by its context frame.
const worklet = `
class OnsetFinder extends AudioWorkletProcessor {
  constructor() { super(); this.quiet = 0; this.peak = 0; }
  process(inputs, outputs) {
    const input = inputs[0], output = outputs[0];
    if (!input.length) return true;
    const x = input[0], need = sampleRate / 10;
    for (let c = 0; c < output.length; c++) output[c].set(input[Math.min(c, input.length - 1)]);
    for (let i = 0; i < x.length; i++) {
      const s = Math.abs(x[i]);
      if (s > this.peak) this.peak = s;
      if (s > 0.06 && this.quiet >= need) this.port.postMessage({ frame: currentFrame + i });
      this.quiet = s <= 0.06 ? this.quiet + 1 : 0;
    }
    if (currentFrame % (sampleRate / 2) < x.length) { this.port.postMessage({ peak: this.peak }); this.peak = 0; }
    return true;
  }
}
registerProcessor('onset-finder', OnsetFinder);`;

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fmp4-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, viewport: { width: 800, height: 600 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const out = { url, ok: false, errors: [] };
  try {
    const page = await ctx.newPage();
    page.on('pageerror', e => out.errors.push(e.message));
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => { const v = document.querySelector('video'); return v && v.readyState >= 2 && v.currentTime > 0; },
      null, { timeout: 15000 });
    await page.click('button.unmute');
    out.setup = await page.evaluate(async (code) => {
      const v = document.querySelector('video');
      const ac = new AudioContext();
      await ac.audioWorklet.addModule(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
      const finder = new AudioWorkletNode(ac, 'onset-finder');
      ac.createMediaElementSource(v).connect(finder);
      finder.connect(ac.destination);
      await ac.resume();
      const av = window.__av = { onsets: [], flashes: [], frames: 0, peaks: [] };
      finder.port.onmessage = e => {
        if (e.data.peak !== undefined) { av.peaks.push(e.data.peak); return; }
        const t = e.data.frame / ac.sampleRate, stamp = ac.getOutputTimestamp();
        av.onsets.push({
          media: v.currentTime - (ac.currentTime - t) * v.playbackRate,
          perf: stamp.performanceTime + (t - stamp.contextTime) * 1000, rate: v.playbackRate,
        });
      };
      // The flash area: right of the frame counter's digits (one 16-pixel cell each, at most 8), in the macroblock
      // row below the strip (96 cells of 8 pixels, 16 from 640 wide, rounded up to whole macroblock rows).
      const c = document.createElement('canvas'), g = c.getContext('2d', { willReadFrequently: true });
      const onFrame = (now, meta) => {
        const w = v.videoWidth, h = v.videoHeight;
        const cell = w >= 640 ? 16 : 8, stripRows = Math.ceil(Math.ceil(96 / Math.floor(w / cell)) * cell / 16);
        const x = Math.min(8, Math.floor(w / 16)) * 16 + 8, y = stripRows * 16 + 8;
        if (c.width !== w) { c.width = w; c.height = h; }
        g.drawImage(v, 0, 0, w, h);
        av.frames++;
        if (g.getImageData(x, y, 1, 1).data[1] > 128) av.flashes.push({ media: meta.mediaTime, perf: meta.expectedDisplayTime });
        v.requestVideoFrameCallback(onFrame);
      };
      v.requestVideoFrameCallback(onFrame);
      return { sampleRate: ac.sampleRate, baseLatency: ac.baseLatency, outputLatency: ac.outputLatency, state: ac.state };
    }, worklet);
    await page.waitForTimeout(seconds * 1000);
    const r = await page.evaluate(() => {
      const v = document.querySelector('video'), av = window.__av;
      return { muted: v.muted, paused: v.paused, currentTime: v.currentTime, error: v.error && v.error.message,
               onsets: av.onsets, flashes: av.flashes, frames: av.frames, peaks: av.peaks,
               unmuteLeft: !!document.querySelector('button.unmute') };
    });
    Object.assign(out, r);
    // Each onset against the nearest flash within half a second, on both timelines.
    out.offsets = [];
    for (const o of r.onsets) {
      let best = null;
      for (const f of r.flashes) if (!best || Math.abs(f.media - o.media) < Math.abs(best.media - o.media)) best = f;
      if (best && Math.abs(best.media - o.media) < 0.5)
        out.offsets.push({ at: +best.media.toFixed(3), rate: o.rate, mediaMs: +((o.media - best.media) * 1000).toFixed(1),
                           outputMs: +(o.perf - best.perf).toFixed(1) });
    }
    out.ok = !r.muted && !r.paused && !r.error && r.frames > 0 && r.peaks.some(p => p > 0.1);
  } catch (e) {
    out.errors.push(String(e));
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(JSON.stringify(out));
  process.exit(out.ok ? 0 : 1);
})();
