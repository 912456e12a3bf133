// Reads the test pattern's machine-readable strip from a <video> element in the page (layout in
// Fmp4Streamer/H264/TestPattern/TestPatternStrip.cs): 96 cells, MSB first, left to right then top to bottom;
// byte 0 sync 0xB5, bytes 1-4 frame number, bytes 5-10 wall-clock ms, byte 11 CRC-8 (poly 0x07) of bytes 1-10.
// readStripSource() returns code that defines window.readStrip(video) -> {frame, wallMs} or null.
function readStripSource() {
  return `window.readStrip = function (v) {
    const w = v.videoWidth, h = v.videoHeight;
    if (!w) return null;
    const cell = w >= 640 ? 16 : 8, perRow = Math.floor(w / cell), rows = Math.ceil(96 / perRow);
    const c = window.__stripCanvas || (window.__stripCanvas = document.createElement('canvas'));
    c.width = w; c.height = rows * cell;
    const g = c.getContext('2d', { willReadFrequently: true });
    g.drawImage(v, 0, 0, w, h, 0, 0, w, h);
    const px = g.getImageData(0, 0, w, rows * cell).data;
    const bytes = new Array(12).fill(0);
    for (let i = 0; i < 96; i++) {
      const x = (i % perRow) * cell + cell / 2, y = Math.floor(i / perRow) * cell + cell / 2;
      if (px[(y * w + x) * 4 + 1] >= 128) bytes[i >> 3] |= 0x80 >> (i & 7);
    }
    if (bytes[0] !== 0xB5) return null;
    let crc = 0;
    for (let i = 1; i <= 10; i++) {
      crc ^= bytes[i];
      for (let b = 0; b < 8; b++) crc = (crc & 0x80) ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
    }
    if (crc !== bytes[11]) return null;
    const frame = ((bytes[1] << 24) >>> 0) + (bytes[2] << 16) + (bytes[3] << 8) + bytes[4];
    let wallMs = 0;
    for (let i = 5; i <= 10; i++) wallMs = wallMs * 256 + bytes[i];
    return { frame, wallMs };
  };`;
}
module.exports = { readStripSource };
