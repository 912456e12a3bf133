// The userspace half of the rig's emulated UVC camera (usb_f_uvc on dummy_hcd, see setup-uvc.sh): answers the
// UVC class requests the host's uvcvideo sends through ep0, and optionally streams MJPG frames.
// usage: uvcgadget DEV [H264_FILE FPS SEGMENT [paused]]
//   DEV: the gadget side's V4L2 output node (f_uvc's). f_uvc connects the gadget to the bus only once a program
//   opens it, so the host enumerates the camera after this starts.
//   Control requests (UVC_EVENT_SETUP, answered with UVCIOC_SEND_RESPONSE): probe/commit of the one format and
//   frame, and the camera terminal's and processing unit's controls, each with its own state (SET_CUR arrives
//   as UVC_EVENT_DATA and is read back by GET_CUR). Anything else is stalled.
//   With usb_f_uvc's rig_h264_xu=1 the camera also has a UVC H.264 extension unit (id 4): VIDEO_CONFIG_PROBE/COMMIT
//   (46 bytes, the UVC H.264 payload spec's UVCX_VIDEO_CONFIG; GET_MAX offers muxing H.264 into MJPG) and PICTURE_TYPE_CONTROL,
//   whose IDR request makes the next frame the file's next key frame (SPS, PPS, IDR).
//   With H264_FILE: on every commit (the host starting to stream) the video restarts; each access unit of the
//   file (cut at AUDs) goes out as one MJPG frame carrying it in APP4 segments of at most SEGMENT bytes
//   (mjpgh264.h), FPS frames a second (absolute deadlines), looping. A frame waits while all buffers are queued.
//   `paused`: the host's commits start nothing (it streams but gets no frame) until SIGUSR1.
// Stops on SIGTERM/SIGINT and prints what it did on stderr.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/usb/ch9.h>
#include <linux/usb/g_uvc.h>
#include <linux/usb/video.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mjpgh264.h"

enum { Width = 640, Height = 480, FrameSize = Width * Height * 2, PayloadSize = 16384, BufferCount = 4,
       CameraTerminal = 1, ProcessingUnit = 2, H264Unit = 4,
       XuProbe = 1, XuCommit = 2, XuPictureType = 9, XuConfigLength = 46, XuPictureLength = 4,
       ProbeLength = sizeof(struct uvc_streaming_control) };  // UVC 1.1 (configfs' default bcdUVC): 34 bytes

static volatile sig_atomic_t s_stop, s_resume;
static void on_signal(int sig) { (void)sig; s_stop = 1; }
static void on_resume(int sig) { (void)sig; s_resume = 1; }

struct control {
  unsigned char entity, selector, length, is_signed;
  const char *name;
  long min, max, res, def, cur;
};

// Must agree with the bmControls the patch sets (patches/f_uvc-bulk.patch). The auto-exposure mode's RES is the
// bitmap of supported modes (manual 1, aperture priority 8), as UVC 1.5 4.2.2.1.2 defines.
static struct control s_controls[] = {
  {CameraTerminal, UVC_CT_AE_MODE_CONTROL, 1, 0, "auto-exposure mode", 0, 0, 0x09, 8, 8},
  {CameraTerminal, UVC_CT_EXPOSURE_TIME_ABSOLUTE_CONTROL, 4, 0, "exposure time", 3, 2047, 1, 250, 250},
  {ProcessingUnit, UVC_PU_BRIGHTNESS_CONTROL, 2, 1, "brightness", -64, 64, 1, 0, 0},
  {ProcessingUnit, UVC_PU_CONTRAST_CONTROL, 2, 0, "contrast", 0, 95, 1, 32, 32},
  {ProcessingUnit, UVC_PU_POWER_LINE_FREQUENCY_CONTROL, 1, 0, "power line frequency", 0, 2, 1, 1, 1},
  {ProcessingUnit, UVC_PU_SATURATION_CONTROL, 2, 0, "saturation", 0, 100, 1, 64, 64},
  {ProcessingUnit, UVC_PU_SHARPNESS_CONTROL, 2, 0, "sharpness", 0, 7, 1, 3, 3},
};
enum { ControlCount = sizeof s_controls / sizeof s_controls[0] };

static struct uvc_streaming_control s_probe, s_commit;
static struct control *s_pending_control;  // the SET_CUR whose data phase comes next
static int s_pending_stream;                // 0, or the VS selector (probe/commit) of that SET_CUR
static long s_requests, s_stalls, s_sets, s_commits, s_frames, s_restarts;

// --- the H.264 extension unit -----------------------------------------------------------------------------------
static unsigned char s_xu_def[XuConfigLength], s_xu_min[XuConfigLength], s_xu_max[XuConfigLength],
    s_xu_probe[XuConfigLength], s_xu_commit[XuConfigLength], s_xu_picture[XuPictureLength];
static int s_pending_xu;           // 0, or the XU selector of the SET_CUR whose data phase comes next
static int s_jump_to_key_frame;    // an IDR was requested
static long s_xu_commits, s_idr_requests;

static void put_le(unsigned char *p, long v, int n) {
  for (int i = 0; i < n; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static void xu_config(unsigned char *c, long bitrate, int iframe_period, int mux, int leaky) {
  memset(c, 0, XuConfigLength);
  put_le(c + 0, 333333, 4);   // dwFrameInterval
  put_le(c + 4, bitrate, 4);  // dwBitRate
  put_le(c + 12, 640, 2);     // wWidth
  put_le(c + 14, 480, 2);     // wHeight
  put_le(c + 20, 0x4240, 2);  // wProfile: constrained baseline, as the test stream
  put_le(c + 22, iframe_period, 2);
  c[28] = 1;                  // bUsageType: realtime
  c[29] = 1;                  // bRateControlMode: CBR
  c[33] = mux;                // bStreamMuxOption
  put_le(c + 44, leaky, 2);   // wLeakyBucketSize
}

static void xu_init(void) {
  xu_config(s_xu_def, 3000000, 1000, 0, 1000);
  xu_config(s_xu_min, 100000, 0, 0, 0);
  xu_config(s_xu_max, 20000000, 10000, 0x03, 5000);  // bit 1: H.264 muxed into MJPG (APP4)
  memcpy(s_xu_probe, s_xu_def, XuConfigLength);
  memcpy(s_xu_commit, s_xu_def, XuConfigLength);
}

static unsigned get16(const unsigned char *p) { return p[0] | p[1] << 8; }
static unsigned long get32(const unsigned char *p) { return get16(p) | (unsigned long)get16(p + 2) << 16; }

static void setup_xu(int selector, const struct usb_ctrlrequest *req, struct uvc_request_data *r) {
  static const unsigned char zeros[XuConfigLength];
  int length = selector == XuPictureType ? XuPictureLength : XuConfigLength;
  const unsigned char *src = zeros;
  if (selector != XuProbe && selector != XuCommit && selector != XuPictureType) { r->length = -1; return; }
  switch (req->bRequest) {
  case UVC_SET_CUR: s_pending_xu = selector; r->length = req->wLength; return;
  case UVC_GET_CUR: src = selector == XuProbe ? s_xu_probe : selector == XuCommit ? s_xu_commit : s_xu_picture; break;
  case UVC_GET_MIN: if (selector != XuPictureType) src = s_xu_min; break;
  case UVC_GET_MAX: if (selector != XuPictureType) src = s_xu_max; break;
  case UVC_GET_DEF: if (selector != XuPictureType) src = s_xu_def; break;
  case UVC_GET_RES: break;
  case UVC_GET_INFO: r->data[0] = 0x03; r->length = 1; return;
  case UVC_GET_LEN: put_le(r->data, length, 2); r->length = 2; return;
  default: r->length = -1; return;
  }
  memcpy(r->data, src, length);
  r->length = length;
}

static void on_xu_data(int selector, const struct uvc_request_data *d) {
  if (selector == XuPictureType) {
    memcpy(s_xu_picture, d->data, XuPictureLength);
    unsigned type = get16(d->data + 2);
    if (type == 1) { s_idr_requests++; s_jump_to_key_frame = 1; }
    fprintf(stderr, "uvcgadget: XU PICTURE_TYPE_CONTROL SET_CUR wPicType=%u%s\n", type, type == 1 ? " (IDR)" : "");
    return;
  }
  unsigned char *c = selector == XuProbe ? s_xu_probe : s_xu_commit;
  memcpy(c, d->data, d->length < XuConfigLength ? d->length : XuConfigLength);
  // One resolution and frame rate: the device answers with those, whatever the host asked.
  put_le(c + 0, 333333, 4);
  put_le(c + 12, 640, 2);
  put_le(c + 14, 480, 2);
  c[33] &= 0x03;
  if (selector == XuCommit) {
    memcpy(s_xu_probe, c, XuConfigLength);
    s_xu_commits++;
  }
  fprintf(stderr, "uvcgadget: XU VIDEO_CONFIG_%s SET_CUR bmHints=0x%04x %ux%u bitrate=%lu profile=0x%04x "
          "i_frame_period=%u mux=0x%02x\n", selector == XuProbe ? "PROBE" : "COMMIT", get16(c + 8), get16(c + 12),
          get16(c + 14), get32(c + 4), get16(c + 20), get16(c + 22), c[33]);
}

static void default_probe(struct uvc_streaming_control *p) {
  memset(p, 0, sizeof *p);
  p->bmHint = 1;
  p->bFormatIndex = 1;
  p->bFrameIndex = 1;
  p->dwFrameInterval = 333333;
  p->dwMaxVideoFrameSize = FrameSize;
  // The patched f_uvc cuts the bulk stream into payloads of this size (RIG_BULK_PAYLOAD).
  p->dwMaxPayloadTransferSize = PayloadSize;
}

static struct control *find_control(int entity, int selector) {
  for (int i = 0; i < ControlCount; i++)
    if (s_controls[i].entity == entity && s_controls[i].selector == selector) return &s_controls[i];
  return 0;
}

static long get_le(const unsigned char *p, int n, int is_signed) {
  unsigned long v = 0;
  for (int i = 0; i < n; i++) v |= (unsigned long)p[i] << (8 * i);
  if (is_signed && n < 8 && (v & (1UL << (8 * n - 1)))) v |= ~0UL << (8 * n);
  return (long)v;
}

static void respond(int fd, struct uvc_request_data *r) {
  if (r->length < 0) s_stalls++;
  if (ioctl(fd, UVCIOC_SEND_RESPONSE, r) < 0) perror("uvcgadget: UVCIOC_SEND_RESPONSE");
}

static void setup_control(struct control *c, const struct usb_ctrlrequest *req, struct uvc_request_data *r) {
  long v;
  switch (req->bRequest) {
  case UVC_SET_CUR: s_pending_control = c; r->length = c->length; return;
  case UVC_GET_CUR: v = c->cur; break;
  case UVC_GET_MIN: v = c->min; break;
  case UVC_GET_MAX: v = c->max; break;
  case UVC_GET_RES: v = c->res; break;
  case UVC_GET_DEF: v = c->def; break;
  case UVC_GET_INFO: r->data[0] = 0x03; r->length = 1; return;  // supports GET and SET
  case UVC_GET_LEN: put_le(r->data, c->length, 2); r->length = 2; return;
  default: r->length = -1; return;
  }
  put_le(r->data, v, c->length);
  r->length = c->length;
}

static void setup_streaming(int selector, const struct usb_ctrlrequest *req, struct uvc_request_data *r) {
  struct uvc_streaming_control def;
  default_probe(&def);
  const struct uvc_streaming_control *src = &def;
  switch (req->bRequest) {
  case UVC_SET_CUR: s_pending_stream = selector; r->length = req->wLength; return;
  case UVC_GET_CUR: src = selector == UVC_VS_PROBE_CONTROL ? &s_probe : &s_commit; break;
  case UVC_GET_MIN: case UVC_GET_MAX: case UVC_GET_DEF: break;
  case UVC_GET_INFO: r->data[0] = 0x03; r->length = 1; return;
  case UVC_GET_LEN: put_le(r->data, ProbeLength, 2); r->length = 2; return;
  default: r->length = -1; return;
  }
  memcpy(r->data, src, ProbeLength);
  r->length = ProbeLength;  // on_setup cuts it to wLength (26 bytes for UVC 1.0 hosts' view)
}

static void on_setup(int fd, const struct usb_ctrlrequest *req) {
  struct uvc_request_data r;
  memset(&r, 0, sizeof r);
  r.length = -1;
  s_requests++;
  s_pending_control = 0;
  s_pending_stream = 0;
  s_pending_xu = 0;
  int entity = req->wIndex >> 8, interface = req->wIndex & 0xff, selector = req->wValue >> 8;
  if ((req->bRequestType & USB_TYPE_MASK) == USB_TYPE_CLASS) {
    if (entity == 0 && interface != 0 &&
        (selector == UVC_VS_PROBE_CONTROL || selector == UVC_VS_COMMIT_CONTROL)) {
      setup_streaming(selector, req, &r);
    } else if (entity == 0 && interface == 0 && selector == UVC_VC_REQUEST_ERROR_CODE_CONTROL &&
               req->bRequest == UVC_GET_CUR) {
      r.data[0] = 0;  // no error
      r.length = 1;
    } else if (entity == H264Unit) {
      setup_xu(selector, req, &r);
    } else {
      struct control *c = find_control(entity, selector);
      if (c) setup_control(c, req, &r);
    }
  }
  if (r.length < 0)
    fprintf(stderr, "uvcgadget: stall bRequest=0x%02x wValue=0x%04x wIndex=0x%04x\n", req->bRequest, req->wValue,
            req->wIndex);
  else if (r.length > req->wLength)
    r.length = req->wLength;
  respond(fd, &r);
}

// --- streaming ---------------------------------------------------------------------------------------------
static const unsigned char *s_h264;
static long s_h264_len, s_au_start, s_fps;
static int s_segment, s_streaming, s_paused, s_committed;
static unsigned char *s_buffers[BufferCount];
static int s_free[BufferCount], s_free_count;
static struct timespec s_next;

static int is_aud_at(long i) { return is_aud(s_h264, i, s_h264_len); }

static long au_end(long start) {
  long end = start + 4;
  while (end < s_h264_len && !is_aud_at(end)) end++;
  return end;
}

// Whether the access unit [start, end) carries an SPS (the test stream repeats SPS and PPS before every IDR).
static int has_sps(long start, long end) {
  for (long i = start; i + 3 < end; i++)
    if (s_h264[i] == 0 && s_h264[i + 1] == 0 && s_h264[i + 2] == 1 && (s_h264[i + 3] & 0x1f) == 7) return 1;
  return 0;
}

// The next access unit of the file (looping), wrapped as an MJPG frame into out.
static long next_frame(unsigned char *out) {
  long end = au_end(s_au_start);
  if (s_jump_to_key_frame) {
    s_jump_to_key_frame = 0;
    for (long n = 0; !has_sps(s_au_start, end) && n < s_h264_len; n++) {
      s_au_start = end < s_h264_len ? end : 0;
      end = au_end(s_au_start);
    }
  }
  int segments;
  long n = wrap_mjpg(out, s_h264 + s_au_start, end - s_au_start, s_segment, Width, Height, s_fps, s_frames,
                     &segments);
  s_au_start = end < s_h264_len ? end : 0;
  return n;
}

static void stream_off(int fd) {
  if (!s_streaming) return;
  int type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
  if (ioctl(fd, VIDIOC_STREAMOFF, &type) < 0) perror("uvcgadget: VIDIOC_STREAMOFF");
  s_streaming = 0;
  s_free_count = BufferCount;  // STREAMOFF hands every buffer back
  for (int i = 0; i < BufferCount; i++) s_free[i] = i;
}

static int stream_on(int fd) {
  static int s_ready;
  if (!s_ready) {
    struct v4l2_format f;
    memset(&f, 0, sizeof f);
    f.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
    f.fmt.pix.width = Width;
    f.fmt.pix.height = Height;
    f.fmt.pix.pixelformat = V4L2_PIX_FMT_MJPEG;
    f.fmt.pix.sizeimage = FrameSize;
    if (ioctl(fd, VIDIOC_S_FMT, &f) < 0) { perror("uvcgadget: VIDIOC_S_FMT"); return -1; }
    struct v4l2_requestbuffers rb;
    memset(&rb, 0, sizeof rb);
    rb.count = BufferCount;
    rb.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
    rb.memory = V4L2_MEMORY_MMAP;
    if (ioctl(fd, VIDIOC_REQBUFS, &rb) < 0 || rb.count != BufferCount) { perror("uvcgadget: VIDIOC_REQBUFS"); return -1; }
    for (int i = 0; i < BufferCount; i++) {
      struct v4l2_buffer b;
      memset(&b, 0, sizeof b);
      b.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
      b.memory = V4L2_MEMORY_MMAP;
      b.index = i;
      if (ioctl(fd, VIDIOC_QUERYBUF, &b) < 0) { perror("uvcgadget: VIDIOC_QUERYBUF"); return -1; }
      s_buffers[i] = mmap(0, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, b.m.offset);
      if (s_buffers[i] == MAP_FAILED) { perror("uvcgadget: mmap"); return -1; }
      if (b.length < FrameSize) { fprintf(stderr, "uvcgadget: buffer of %u bytes\n", b.length); return -1; }
    }
    s_free_count = BufferCount;
    for (int i = 0; i < BufferCount; i++) s_free[i] = i;
    s_ready = 1;
  }
  int type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
  if (ioctl(fd, VIDIOC_STREAMON, &type) < 0) { perror("uvcgadget: VIDIOC_STREAMON"); return -1; }
  s_streaming = 1;
  clock_gettime(CLOCK_MONOTONIC, &s_next);
  return 0;
}

static void on_commit(int fd) {
  s_commits++;
  s_committed = 1;
  if (!s_h264 || s_paused) return;
  // The host streams again (bulk: no SET_INTERFACE tells the gadget when it stopped): restart, dropping
  // whatever was queued for the previous run.
  if (s_streaming) { stream_off(fd); s_restarts++; }
  stream_on(fd);
}

static void on_data(int fd, const struct uvc_request_data *d) {
  if (s_pending_xu) {
    on_xu_data(s_pending_xu, d);
  } else if (s_pending_control) {
    struct control *c = s_pending_control;
    long v = get_le(d->data, c->length, c->is_signed);
    s_sets++;
    fprintf(stderr, "uvcgadget: SET_CUR %s = %ld\n", c->name, v);
    c->cur = v;
  } else if (s_pending_stream) {
    struct uvc_streaming_control p;
    default_probe(&p);
    // One format, one frame, one interval: the device's answer is always that, whatever the host asked.
    struct uvc_streaming_control *target = s_pending_stream == UVC_VS_PROBE_CONTROL ? &s_probe : &s_commit;
    *target = p;
    if (s_pending_stream == UVC_VS_COMMIT_CONTROL) on_commit(fd);
  }
  s_pending_control = 0;
  s_pending_stream = 0;
  s_pending_xu = 0;
}

static void reclaim(int fd) {
  for (;;) {
    struct v4l2_buffer b;
    memset(&b, 0, sizeof b);
    b.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
    b.memory = V4L2_MEMORY_MMAP;
    if (ioctl(fd, VIDIOC_DQBUF, &b) < 0) return;
    s_free[s_free_count++] = b.index;
  }
}

static void tick(int fd) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  if (now.tv_sec < s_next.tv_sec || (now.tv_sec == s_next.tv_sec && now.tv_nsec < s_next.tv_nsec)) return;
  s_next.tv_nsec += 1000000000L / s_fps;
  if (s_next.tv_nsec >= 1000000000L) { s_next.tv_sec++; s_next.tv_nsec -= 1000000000L; }
  reclaim(fd);
  if (s_free_count == 0) return;  // the host reads slower than FPS: the frame waits (no access unit is skipped)
  int i = s_free[--s_free_count];
  struct v4l2_buffer b;
  memset(&b, 0, sizeof b);
  b.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
  b.memory = V4L2_MEMORY_MMAP;
  b.index = i;
  b.bytesused = next_frame(s_buffers[i]);
  if (ioctl(fd, VIDIOC_QBUF, &b) < 0) { perror("uvcgadget: VIDIOC_QBUF"); s_free[s_free_count++] = i; return; }
  s_frames++;
}

static int poll_timeout_ms(void) {
  if (!s_streaming) return 1000;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  long ms = (s_next.tv_sec - now.tv_sec) * 1000 + (s_next.tv_nsec - now.tv_nsec) / 1000000;
  return ms < 0 ? 0 : ms > 1000 ? 1000 : (int)ms;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc == 3 || argc == 4 || argc > 6 || (argc == 6 && strcmp(argv[5], "paused") != 0)) {
    fprintf(stderr, "usage: uvcgadget DEV [H264_FILE FPS SEGMENT [paused]]\n");
    return 2;
  }
  s_paused = argc == 6;
  if (argc >= 5) {
    FILE *in = fopen(argv[2], "rb");
    struct stat st;
    if (!in || fstat(fileno(in), &st) < 0) { perror("uvcgadget: input"); return 1; }
    unsigned char *b = malloc(st.st_size);
    if (!b || fread(b, 1, st.st_size, in) != (size_t)st.st_size) { fprintf(stderr, "uvcgadget: short read\n"); return 1; }
    fclose(in);
    s_h264 = b;
    s_h264_len = st.st_size;
    s_fps = atol(argv[3]);
    s_segment = atoi(argv[4]);
    if (s_fps <= 0 || s_segment < PayloadHeaderLength + 5 || s_segment > MaxSegmentData) {
      fprintf(stderr, "uvcgadget: FPS must be > 0, SEGMENT %d..%d\n", PayloadHeaderLength + 5, MaxSegmentData);
      return 2;
    }
  }
  default_probe(&s_probe);
  default_probe(&s_commit);
  xu_init();
  int fd = open(argv[1], O_RDWR | O_NONBLOCK);
  if (fd < 0) { perror("uvcgadget: open"); return 1; }
  static const unsigned events[] = {UVC_EVENT_CONNECT, UVC_EVENT_DISCONNECT, UVC_EVENT_STREAMON,
                                    UVC_EVENT_STREAMOFF, UVC_EVENT_SETUP, UVC_EVENT_DATA};
  for (unsigned i = 0; i < sizeof events / sizeof events[0]; i++) {
    struct v4l2_event_subscription sub;
    memset(&sub, 0, sizeof sub);
    sub.type = events[i];
    if (ioctl(fd, VIDIOC_SUBSCRIBE_EVENT, &sub) < 0) { perror("uvcgadget: VIDIOC_SUBSCRIBE_EVENT"); return 1; }
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, 0);
  sigaction(SIGINT, &sa, 0);
  sa.sa_handler = on_resume;
  sigaction(SIGUSR1, &sa, 0);
  fprintf(stderr, "uvcgadget: serving %s%s%s\n", argv[1], s_h264 ? " with MJPG (H264 in APP4) frames" : ", no frames",
          s_paused ? ", paused until SIGUSR1" : "");

  while (!s_stop) {
    struct pollfd p = {fd, POLLPRI, 0};
    int n = poll(&p, 1, poll_timeout_ms());
    if (n < 0 && errno != EINTR) { perror("uvcgadget: poll"); break; }
    if (n > 0 && (p.revents & POLLPRI)) {
      struct v4l2_event e;
      while (ioctl(fd, VIDIOC_DQEVENT, &e) == 0) {
        struct uvc_event *u = (struct uvc_event *)&e.u.data;
        switch (e.type) {
        case UVC_EVENT_SETUP: on_setup(fd, &u->req); break;
        case UVC_EVENT_DATA: on_data(fd, &u->data); break;
        case UVC_EVENT_CONNECT: fprintf(stderr, "uvcgadget: connected\n"); break;
        case UVC_EVENT_DISCONNECT:
          fprintf(stderr, "uvcgadget: disconnected\n");
          stream_off(fd);
          s_committed = 0;
          break;
        default: break;
        }
      }
    }
    if (s_resume && s_paused) {
      s_paused = 0;
      fprintf(stderr, "uvcgadget: frames resumed after %ld commits\n", s_commits);
      if (s_committed && s_h264) stream_on(fd);  // the host is streaming already
    }
    if (s_streaming) tick(fd);
  }
  stream_off(fd);
  fprintf(stderr, "uvcgadget: %ld requests, %ld stalled, %ld SET_CUR of controls, %ld commits, %ld restarts, "
          "%ld frames queued\n", s_requests, s_stalls, s_sets, s_commits, s_restarts, s_frames);
  for (int i = 0; i < ControlCount; i++) fprintf(stderr, "uvcgadget: %s = %ld\n", s_controls[i].name, s_controls[i].cur);
  fprintf(stderr, "uvcgadget: H.264 unit: %ld commits, %ld IDR requests\n", s_xu_commits, s_idr_requests);
  close(fd);
  return 0;
}
