// Usage: node playlistcheck.js BASE_URL [polls=6]
// Fetches the master and the media playlist a few times and parses each with hls-parser in strict mode (it throws
// on anything RFC 8216 forbids). Prints one JSON line per playlist with what it parsed; exit 1 on the first error.
const HLS = require('hls-parser');
HLS.setOptions({ strictMode: true });
(async () => {
  const base = process.argv[2];
  const polls = Number(process.argv[3] || 6);
  const out = [];
  for (let i = 0; i < polls; i++) {
    for (const path of ['stream.m3u8', 'streaminf.m3u8']) {
      const text = await (await fetch(base + '/' + path)).text();
      let p;
      try { p = HLS.parse(text); } catch (e) { console.log(JSON.stringify({ ok: false, path, error: e.message, text })); process.exit(1); }
      if (p.isMasterPlaylist) {
        const v = p.variants[0];
        out.push({ path, bandwidth: v.bandwidth, averageBandwidth: v.averageBandwidth, frameRate: v.frameRate, codecs: v.codecs });
      } else {
        out.push({ path, targetDuration: p.targetDuration, mediaSequence: p.mediaSequenceBase, segments: p.segments.length,
                   partTarget: p.partTargetDuration, partHoldBack: p.lowLatencyCompatibility && p.lowLatencyCompatibility.partHoldBack,
                   parts: p.segments.reduce((n, s) => n + (s.parts ? s.parts.length : 0), 0) + (p.prefetchSegments || []).length });
      }
    }
    await new Promise(r => setTimeout(r, 700));
  }
  console.log(JSON.stringify({ ok: true, playlists: out }));
})().catch(e => { console.log(JSON.stringify({ ok: false, error: e.message })); process.exit(2); });
