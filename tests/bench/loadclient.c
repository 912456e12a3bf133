// Load client for the fan-out benchmark: N HTTP clients on one epoll loop, each reading /stream.mp4 as fast as
// the kernel delivers it. Per client it walks the top-level MP4 boxes and reads every moof's mfhd sequence
// number, so a frame the server skipped for that client shows as a gap. Costs little itself: one process,
// one thread, no per-client process.
// usage: loadclient HOST PORT PATH CLIENTS SECONDS   -> one JSON line on stdout
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "httpclients.h"

typedef struct {
  int fd, in_body, hdr_len;
  char hdr[4096];
  uint8_t box[24];        // the start of the current top-level box
  int box_have;           // bytes of box[] filled
  uint64_t box_left;      // bytes of the current box still to skip after box[]
  uint64_t frames, gaps, bytes;
  uint32_t last_seq;
  int have_seq, closed;
} client;

static double now_s(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static void on_box_start(client *c) {
  uint32_t size = (uint32_t)c->box[0] << 24 | c->box[1] << 16 | c->box[2] << 8 | c->box[3];
  if (memcmp(c->box + 4, "moof", 4) == 0 && memcmp(c->box + 12, "mfhd", 4) == 0) {
    uint32_t seq = (uint32_t)c->box[20] << 24 | c->box[21] << 16 | c->box[22] << 8 | c->box[23];
    if (c->have_seq && seq != c->last_seq + 1) c->gaps += seq - c->last_seq - 1;
    c->last_seq = seq; c->have_seq = 1; c->frames++;
  }
  c->box_left = size > sizeof c->box ? size - sizeof c->box : 0;
  if (size < sizeof c->box) { // a small box (ftyp): the bytes after it already sit in box[]; replay them
    uint8_t rest[24]; int n = sizeof c->box - size; memcpy(rest, c->box + size, n); c->box_have = 0;
    for (int i = 0; i < n; i++) { c->box[c->box_have++] = rest[i]; }
    if (c->box_have == sizeof c->box) on_box_start(c);
    return;
  }
  c->box_have = 0;
}

static void consume(client *c, const uint8_t *p, size_t n) {
  c->bytes += n;
  while (n > 0) {
    if (c->box_left > 0) { size_t k = n < c->box_left ? n : c->box_left; c->box_left -= k; p += k; n -= k; continue; }
    size_t k = sizeof c->box - c->box_have; if (k > n) k = n;
    memcpy(c->box + c->box_have, p, k); c->box_have += k; p += k; n -= k;
    if (c->box_have == sizeof c->box) on_box_start(c);
  }
}

int main(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage: loadclient HOST PORT PATH CLIENTS SECONDS\n"); return 2; }
  int nclients = atoi(argv[4]); double seconds = atof(argv[5]);
  client *cs = calloc(nclients, sizeof *cs);
  int *fds = calloc(nclients, sizeof *fds), connected;
  int ep = connect_clients(argv[1], atoi(argv[2]), argv[3], nclients, fds, &connected);
  for (int i = 0; i < nclients; i++) {
    cs[i].fd = fds[i];
    if (fds[i] < 0) cs[i].closed = 1;
  }
  free(fds);
  static uint8_t buf[1 << 20];
  struct epoll_event evs[256];
  double start = now_s(), end = start + seconds;
  uint64_t frames_at_window_start = 0; int closed_by_server = 0;
  while (now_s() < end) {
    int n = epoll_wait(ep, evs, 256, 100);
    for (int e = 0; e < n; e++) {
      client *c = &cs[evs[e].data.u32];
      for (;;) {
        ssize_t r = read(c->fd, buf, sizeof buf);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) break;
        if (r <= 0) { epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); close(c->fd); c->closed = 1; closed_by_server++; break; }
        size_t off = 0;
        while (!c->in_body && off < (size_t)r) { // skip the response head
          if (c->hdr_len < (int)sizeof c->hdr) c->hdr[c->hdr_len++] = buf[off];
          off++;
          if (c->hdr_len >= 4 && memcmp(c->hdr + c->hdr_len - 4, "\r\n\r\n", 4) == 0) c->in_body = 1;
        }
        if (off < (size_t)r) consume(c, buf + off, r - off);
      }
    }
  }
  (void)frames_at_window_start;
  uint64_t minf = UINT64_MAX, maxf = 0, gaps = 0, bytes = 0;
  for (int i = 0; i < nclients; i++) {
    if (cs[i].frames < minf) minf = cs[i].frames;
    if (cs[i].frames > maxf) maxf = cs[i].frames;
    gaps += cs[i].gaps; bytes += cs[i].bytes;
  }
  printf("{\"clients\":%d,\"connected\":%d,\"closed_by_server\":%d,\"min_frames\":%llu,\"max_frames\":%llu,"
         "\"gaps\":%llu,\"bytes\":%llu,\"seconds\":%.2f}\n", nclients, connected, closed_by_server,
         (unsigned long long)minf, (unsigned long long)maxf, (unsigned long long)gaps, (unsigned long long)bytes,
         now_s() - start);
  return 0;
}
