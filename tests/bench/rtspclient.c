// RTSP load client for the benchmark: N sessions to one camera, RTP over the RTSP connection (tcp) or over UDP
// (udp), all read by one epoll loop. Each session does SETUP and PLAY, then counts RTP packets and the packets it
// missed from the sequence numbers, until SECONDS have passed. Prints one JSON line.
// usage: rtspclient HOST PORT PATH N SECONDS tcp|udp
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

typedef struct {
  int tcp, udp;              // the RTSP connection; the RTP socket (udp mode)
  int playing;               // PLAY answered
  char reply[4096]; int reply_len;
  uint8_t frame[70000]; int frame_have; int frame_need; // interleaved: '$' ch len16 payload
  int have_seq; uint16_t seq;
  long packets, lost, frames; // frames: packets with the marker bit
} session;

static const char *host, *path;
static int port, udp_mode;
static double now_s(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static void rtp(session *s, const uint8_t *p, int n) {
  if (n < 12) return;
  uint16_t seq = (uint16_t)(p[2] << 8 | p[3]);
  if (s->have_seq) { uint16_t gap = (uint16_t)(seq - s->seq - 1); if (gap < 30000) s->lost += gap; }
  s->have_seq = 1; s->seq = seq; s->packets++;
  if (p[1] & 0x80) s->frames++;
}

static void send_request(session *s, int cseq, const char *session_id, int client_port) {
  char req[1024];
  int len;
  if (cseq == 1) {
    char transport[128];
    if (udp_mode) snprintf(transport, sizeof transport, "RTP/AVP;unicast;client_port=%d-%d", client_port, client_port + 1);
    else snprintf(transport, sizeof transport, "RTP/AVP/TCP;unicast;interleaved=0-1");
    len = snprintf(req, sizeof req, "SETUP rtsp://%s:%d%s/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: %s\r\n\r\n",
                   host, port, path, transport);
  } else {
    len = snprintf(req, sizeof req, "PLAY rtsp://%s:%d%s RTSP/1.0\r\nCSeq: 2\r\nSession: %s\r\nRange: npt=0.000-\r\n\r\n",
                   host, port, path, session_id);
  }
  if (write(s->tcp, req, len) != len) { perror("write"); exit(1); }
}

// Reads RTSP replies (text) until PLAY is answered, then interleaved frames.
static void on_tcp(session *s) {
  uint8_t buf[65536];
  ssize_t n = read(s->tcp, buf, sizeof buf);
  if (n <= 0) { if (n < 0 && errno == EAGAIN) return; fprintf(stderr, "connection closed\n"); exit(1); }
  uint8_t *p = buf;
  while (n > 0) {
    if (!s->playing) {
      int k = n < (ssize_t)(sizeof s->reply - 1 - s->reply_len) ? (int)n : (int)(sizeof s->reply - 1 - s->reply_len);
      memcpy(s->reply + s->reply_len, p, k); s->reply_len += k; s->reply[s->reply_len] = 0; p += k; n -= k;
      char *end = strstr(s->reply, "\r\n\r\n");
      if (!end) continue;
      int used = (int)(end + 4 - s->reply);
      if (strncmp(s->reply, "RTSP/1.0 200", 12) != 0) { fprintf(stderr, "refused: %.60s\n", s->reply); exit(1); }
      char *cseq = strstr(s->reply, "CSeq: ");
      if (cseq && atoi(cseq + 6) == 1) {
        char *id = strstr(s->reply, "Session: ");
        if (!id) { fprintf(stderr, "no session\n"); exit(1); }
        char sid[64]; int i = 0; id += 9;
        while (id[i] && id[i] != ';' && id[i] != '\r' && i < 63) { sid[i] = id[i]; i++; }
        sid[i] = 0;
        send_request(s, 2, sid, 0);
      } else {
        s->playing = 1;
      }
      // Bytes after the reply came with this read (the end was not there before it): step back to them.
      int rest = s->reply_len - used;
      p -= rest; n += rest; s->reply_len = 0;
      continue;
    }
    if (s->frame_have < 4) {
      int k = 4 - s->frame_have; if (k > n) k = (int)n;
      memcpy(s->frame + s->frame_have, p, k); s->frame_have += k; p += k; n -= k;
      if (s->frame_have == 4) {
        if (s->frame[0] != '$') { fprintf(stderr, "lost interleave framing\n"); exit(1); }
        s->frame_need = 4 + (s->frame[2] << 8 | s->frame[3]);
      }
      continue;
    }
    int k = s->frame_need - s->frame_have; if (k > n) k = (int)n;
    memcpy(s->frame + s->frame_have, p, k); s->frame_have += k; p += k; n -= k;
    if (s->frame_have == s->frame_need) {
      if (s->frame[1] == 0) rtp(s, s->frame + 4, s->frame_need - 4);
      s->frame_have = 0;
    }
  }
}

static void on_udp(session *s) {
  uint8_t buf[2048];
  for (;;) {
    ssize_t n = recv(s->udp, buf, sizeof buf, 0);
    if (n < 0) return;
    rtp(s, buf, (int)n);
  }
}

int main(int argc, char **argv) {
  if (argc != 7) { fprintf(stderr, "usage: %s HOST PORT PATH N SECONDS tcp|udp\n", argv[0]); return 2; }
  host = argv[1]; port = atoi(argv[2]); path = argv[3];
  int count = atoi(argv[4]); double seconds = atof(argv[5]); udp_mode = strcmp(argv[6], "udp") == 0;
  session *sessions = calloc(count, sizeof *sessions);
  int ep = epoll_create1(0);
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
  inet_pton(AF_INET, host, &to.sin_addr);
  for (int i = 0; i < count; i++) {
    session *s = &sessions[i];
    int client_port = 0;
    if (udp_mode) {
      // An even port for RTP; RTCP's odd port is left unbound (receiver reports are not the point here).
      for (int p = 40000 + 2 * i; ; p += 2 * count) {
        s->udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        int big = 4 << 20; setsockopt(s->udp, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(p), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        if (bind(s->udp, (struct sockaddr *)&a, sizeof a) == 0) { client_port = p; break; }
        close(s->udp);
      }
      struct epoll_event e = { .events = EPOLLIN, .data.u64 = (uint64_t)i << 1 | 1 };
      epoll_ctl(ep, EPOLL_CTL_ADD, s->udp, &e);
    }
    s->tcp = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(s->tcp, (struct sockaddr *)&to, sizeof to) != 0) { perror("connect"); return 1; }
    send_request(s, 1, NULL, client_port);
    fcntl(s->tcp, F_SETFL, O_NONBLOCK);
    struct epoll_event e = { .events = EPOLLIN, .data.u64 = (uint64_t)i << 1 };
    epoll_ctl(ep, EPOLL_CTL_ADD, s->tcp, &e);
  }
  struct epoll_event events[256];
  double end = now_s() + seconds;
  while (now_s() < end) {
    int n = epoll_wait(ep, events, 256, 100);
    for (int i = 0; i < n; i++) {
      session *s = &sessions[events[i].data.u64 >> 1];
      if (events[i].data.u64 & 1) on_udp(s); else on_tcp(s);
    }
  }
  long packets = 0, lost = 0, min_frames = -1, max_frames = 0; int playing = 0;
  for (int i = 0; i < count; i++) {
    session *s = &sessions[i];
    packets += s->packets; lost += s->lost; playing += s->playing;
    if (min_frames < 0 || s->frames < min_frames) min_frames = s->frames;
    if (s->frames > max_frames) max_frames = s->frames;
  }
  printf("{\"sessions\":%d,\"playing\":%d,\"packets\":%ld,\"lost\":%ld,\"min_frames\":%ld,\"max_frames\":%ld}\n",
         count, playing, packets, lost, min_frames, max_frames);
  return 0;
}
