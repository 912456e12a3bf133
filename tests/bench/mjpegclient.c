// Load client for the pictures benchmark: N HTTP clients on one epoll loop, each reading an MJPEG stream
// (multipart/x-mixed-replace) as fast as the kernel delivers it. Per client it walks the parts by their
// Content-Length and counts the pictures, and the ones that do not start with a JPEG start marker (FF D8).
// usage: mjpegclient HOST PORT PATH CLIENTS SECONDS   -> one JSON line on stdout
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
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
  int fd, in_body, hdr_len, head_len, closed;
  char hdr[4096];         // the response head
  char head[1024];        // the current part's head
  uint64_t body_left, body_seen;
  uint8_t first[2];
  uint64_t frames, bad, bytes;
} client;

static double now_s(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static void consume(client *c, const uint8_t *p, size_t n) {
  c->bytes += n;
  while (n > 0) {
    if (c->body_left > 0) {
      size_t k = n < c->body_left ? n : c->body_left;
      for (size_t i = 0; i < k && c->body_seen + i < 2; i++) c->first[c->body_seen + i] = p[i];
      c->body_seen += k; c->body_left -= k; p += k; n -= k;
      if (c->body_left == 0) { c->frames++; if (c->first[0] != 0xFF || c->first[1] != 0xD8) c->bad++; }
      continue;
    }
    if (c->head_len < (int)sizeof c->head - 1) c->head[c->head_len++] = *p;
    p++; n--;
    if (c->head_len >= 4 && memcmp(c->head + c->head_len - 4, "\r\n\r\n", 4) == 0) {
      c->head[c->head_len] = 0;
      char *cl = strcasestr(c->head, "Content-Length:");
      if (cl != NULL && strstr(c->head, "--")) { c->body_left = strtoull(cl + 15, NULL, 10); c->body_seen = 0; }
      c->head_len = 0;
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage: mjpegclient HOST PORT PATH CLIENTS SECONDS\n"); return 2; }
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
  int closed_by_server = 0;
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
  uint64_t minf = UINT64_MAX, maxf = 0, bad = 0, bytes = 0;
  for (int i = 0; i < nclients; i++) {
    if (cs[i].frames < minf) minf = cs[i].frames;
    if (cs[i].frames > maxf) maxf = cs[i].frames;
    bad += cs[i].bad; bytes += cs[i].bytes;
  }
  printf("{\"clients\":%d,\"connected\":%d,\"closed_by_server\":%d,\"min_frames\":%llu,\"max_frames\":%llu,"
         "\"bad\":%llu,\"bytes\":%llu,\"seconds\":%.2f}\n", nclients, connected, closed_by_server,
         (unsigned long long)minf, (unsigned long long)maxf, (unsigned long long)bad, (unsigned long long)bytes,
         now_s() - start);
  return 0;
}
