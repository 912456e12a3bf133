// Feeds an Annex-B H264 file into a v4l2loopback device, one access unit per write(), paced in real time.
// The input must carry access unit delimiters (x264 `aud=1`): an AU is cut at every AUD NAL (type 9).
// usage: h264feed DEV FILE WIDTH HEIGHT FPS [LOOPS [MJPG_SEGMENT]]   (LOOPS 0 = forever, default 1)
// MJPG_SEGMENT > 0: the device gets format MJPG instead and each access unit goes out wrapped the way a UVC 1.5
// camera muxes H.264 into MJPG (capture_format = MJPGH264): SOI, APP4 segments carrying the 22-byte UVC H.264
// payload header, the u32 payload size and the payload, at most MJPG_SEGMENT data bytes per segment (27..65533),
// then EOI. No picture: a MJPGH264 reader discards it.
// MJPG_SEGMENT "jpeg": FILE is a series of whole JPEGs (as `ffmpeg -f mjpeg` writes them, maybe stripped of their
// Huffman tables as UVC cameras send them); the device gets format MJPG and each JPEG, cut at its SOI, is one frame.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mjpgh264.h"

static volatile sig_atomic_t s_stop;
static void on_signal(int sig) { (void)sig; s_stop = 1; }

int main(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage: h264feed DEV FILE WIDTH HEIGHT FPS [LOOPS [MJPG_SEGMENT]]\n"); return 2; }
  int jpeg = argc > 7 && strcmp(argv[7], "jpeg") == 0;
  int seg = argc > 7 && !jpeg ? atoi(argv[7]) : 0;
  if (seg != 0 && (seg < PayloadHeaderLength + 5 || seg > MaxSegmentData)) {
    fprintf(stderr, "h264feed: MJPG_SEGMENT must be 0 or %d..%d\n", PayloadHeaderLength + 5, MaxSegmentData);
    return 2;
  }
  unsigned pixfmt = seg || jpeg ? V4L2_PIX_FMT_MJPEG : V4L2_PIX_FMT_H264;
  int fd = open(argv[1], O_RDWR);
  if (fd < 0) { perror("h264feed: open"); return 1; }
  // v4l2loopback 0.12.7 recomputes the node's device_caps only in QUERYCAP, and the core checks S_FMT's
  // buffer type against them: refresh them first (exclusive_caps=1 announces OUTPUT only while no writer is on).
  struct v4l2_capability cap;
  memset(&cap, 0, sizeof cap);
  ioctl(fd, VIDIOC_QUERYCAP, &cap);
  struct v4l2_format f;
  memset(&f, 0, sizeof f);
  f.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
  f.fmt.pix.width = atoi(argv[3]);
  f.fmt.pix.height = atoi(argv[4]);
  f.fmt.pix.pixelformat = pixfmt;
  f.fmt.pix.sizeimage = 1 << 20;  // v4l2loopback sizes its buffers from this: room for any access unit
  f.fmt.pix.field = V4L2_FIELD_NONE;
  // v4l2loopback 0.12.7 refuses S_FMT with EINVAL while another opener (a reader retrying after the
  // previous writer left) holds buffers of another size; they are freed when it closes: retry for 10 s.
  int tries = 0;
  while (ioctl(fd, VIDIOC_S_FMT, &f) < 0) {
    if (errno != EINVAL && errno != EBUSY) { perror("h264feed: VIDIOC_S_FMT"); return 1; }
    if (++tries == 100) { perror("h264feed: VIDIOC_S_FMT (10 s of retries)"); return 1; }
    f.fmt.pix.width = atoi(argv[3]);
    f.fmt.pix.height = atoi(argv[4]);
    f.fmt.pix.pixelformat = pixfmt;
    f.fmt.pix.sizeimage = 1 << 20;
    f.fmt.pix.field = V4L2_FIELD_NONE;
    struct timespec pause = {0, 100000000L};
    nanosleep(&pause, 0);
  }
  if (tries > 0) fprintf(stderr, "h264feed: VIDIOC_S_FMT succeeded after %d retries\n", tries);
  // STREAMON on OUTPUT makes this opener a WRITER for v4l2loopback: only then does its close() announce the
  // OUTPUT capability again. A write()-only writer leaves an exclusive_caps device with neither capability
  // once every reader has closed it too, and no later writer can set a format (EINVAL).
  int type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
  if (ioctl(fd, VIDIOC_STREAMON, &type) < 0) perror("h264feed: VIDIOC_STREAMON (ignored)");
  // v4l2loopback takes the frame rate the writer announces; readers see it in G_PARM.
  struct v4l2_streamparm p;
  memset(&p, 0, sizeof p);
  p.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
  p.parm.output.timeperframe.numerator = 1;
  p.parm.output.timeperframe.denominator = atoi(argv[5]);
  if (ioctl(fd, VIDIOC_S_PARM, &p) < 0) perror("h264feed: VIDIOC_S_PARM (ignored)");

  FILE *in = fopen(argv[2], "rb");
  if (!in) { perror("h264feed: input"); return 1; }
  struct stat st;
  fstat(fileno(in), &st);
  long n = st.st_size;
  unsigned char *b = malloc(n);
  if (!b || fread(b, 1, n, in) != (size_t)n) { fprintf(stderr, "h264feed: short read\n"); return 1; }
  fclose(in);
  unsigned char *frame = seg ? malloc(n + n / (seg - 4) * 4 + 64) : 0;
  if (seg && !frame) { fprintf(stderr, "h264feed: out of memory\n"); return 1; }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, 0);
  sigaction(SIGINT, &sa, 0);

  long fps = atol(argv[5]);
  int loops = argc > 6 ? atoi(argv[6]) : 1;
  long written = 0, split = 0, largest = 0;
  int most_segments = 0;
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  fprintf(stderr, "h264feed: %s %sx%s@%ld %s from %s (%ld bytes)\n", argv[1], argv[3], argv[4], fps,
          jpeg ? "MJPG (JPEG frames)" : seg ? "MJPG (H264 in APP4)" : "H264", argv[2], n);
  for (int l = 0; (loops == 0 || l < loops) && !s_stop; l++) {
    long start = 0;
    for (long i = 4; i <= n && !s_stop; i++) {
      // A JPEG starts at SOI right after the previous one's EOI (entropy-coded data never holds FF D8).
      int cut = jpeg ? i == n || (b[i] == 0xFF && i + 1 < n && b[i + 1] == 0xD8 && b[i - 2] == 0xFF && b[i - 1] == 0xD9)
                     : is_aud(b, i, n) || i == n;
      if (!cut) continue;
      const unsigned char *out = b + start;
      long len = i - start;
      if (seg) {
        int segments;
        len = wrap_mjpg(frame, out, len, seg, atoi(argv[3]), atoi(argv[4]), fps, written, &segments);
        out = frame;
        if (segments > 1) split++;
        if (segments > most_segments) most_segments = segments;
        if (len > largest) largest = len;
      }
      if (write(fd, out, len) < 0) { perror("h264feed: write"); return 1; }
      written++;
      start = i;
      // Absolute deadlines: the rate stays right however long write() took.
      next.tv_nsec += 1000000000L / fps;
      if (next.tv_nsec >= 1000000000L) { next.tv_sec++; next.tv_nsec -= 1000000000L; }
      while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, 0) == EINTR && !s_stop) {}
    }
  }
  fprintf(stderr, "h264feed: wrote %ld %s\n", written, jpeg ? "JPEG frames" : "access units");
  if (seg)
    fprintf(stderr, "h264feed: MJPG frames: %ld in several APP4 segments, up to %d segments, largest %ld bytes\n",
            split, most_segments, largest);
  close(fd);
  return 0;
}
