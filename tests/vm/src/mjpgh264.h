// Shared by the rig's static helpers (h264feed, uvcgadget): H264 access units cut at AUDs, and their MJPG
// wrapping the way a UVC 1.5 camera muxes H.264 into MJPG (SOI, APP4 segments with the UVC H.264 payload header,
// EOI; no picture). Header-only: setup.sh compiles each src/*.c on its own.
#ifndef RIG_MJPGH264_H
#define RIG_MJPGH264_H
#include <string.h>

enum { PayloadHeaderLength = 22, MaxSegmentData = 65533 };

static void put16le(unsigned char *p, unsigned v) { p[0] = v; p[1] = v >> 8; }
static void put32le(unsigned char *p, unsigned long v) { put16le(p, v & 0xffff); put16le(p + 2, v >> 16); }

// Wraps one access unit into out (room for len + len / (seg - 4) * 4 + 64 bytes); returns the frame's length
// and the number of APP4 segments in *segments.
static long wrap_mjpg(unsigned char *out, const unsigned char *au, long len, int seg, int w, int h, long fps,
                      unsigned long pts, int *segments) {
  unsigned char hdr[PayloadHeaderLength + 4];
  put16le(hdr, 0x0100);                   // wVersion 1.0
  put16le(hdr + 2, PayloadHeaderLength);  // wHeaderLength
  put32le(hdr + 4, 1);                    // dwStreamType
  put16le(hdr + 8, w);
  put16le(hdr + 10, h);
  put32le(hdr + 12, 10000000L / fps);     // dwFrameInterval, 100 ns units
  put16le(hdr + 16, 0);                   // wDelay
  put32le(hdr + 18, pts);                 // dwPresentationTime
  put32le(hdr + PayloadHeaderLength, len);
  long o = 0, taken = 0;
  out[o++] = 0xff; out[o++] = 0xd8;       // SOI
  *segments = 0;
  do {
    long head = *segments == 0 ? (long)sizeof hdr : 0;
    long n = len - taken < seg - head ? len - taken : seg - head;
    out[o++] = 0xff; out[o++] = 0xe4;     // APP4, big-endian length that counts itself
    out[o++] = (head + n + 2) >> 8; out[o++] = head + n + 2;
    memcpy(out + o, hdr, head); o += head;
    memcpy(out + o, au + taken, n); o += n;
    taken += n;
    (*segments)++;
  } while (taken < len);
  out[o++] = 0xff; out[o++] = 0xd9;       // EOI
  return o;
}

static int is_aud(const unsigned char *b, long i, long n) {
  return i + 4 < n && b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 0 && b[i + 3] == 1 && (b[i + 4] & 0x1f) == 9;
}

#endif
