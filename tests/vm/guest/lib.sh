# Helpers for payloads: `. /rig/lib.sh`. Everything a payload prints goes to the serial console.
# Markers the host parses: `RIG-MARK name`, `RIG-BEGIN name` ... `RIG-END name rc=N`, `RIG-VALUE name=value`.

rig_mark() { echo "RIG-MARK $*"; }
rig_value() { echo "RIG-VALUE $1=$2"; }

# rig_cat FILE: prints FILE, ending with a newline even if the file does not (so markers start a line).
rig_cat() { cat "$1" 2>&1; [ -s "$1" ] && [ -n "$(tail -c 1 "$1")" ] && echo; return 0; }

# rig_run NAME CMD...: runs CMD, prints its output (stdout+stderr) between markers with its exit code.
rig_run() {
  _n=$1; shift
  echo "RIG-BEGIN $_n"
  "$@" > /tmp/rig_run.out 2>&1; _rc=$?
  rig_cat /tmp/rig_run.out
  echo "RIG-END $_n rc=$_rc"
  return $_rc
}

# rig_dump NAME FILE: prints a file between markers.
rig_dump() {
  echo "RIG-BEGIN $1"
  rig_cat "$2"
  echo "RIG-END $1 rc=0"
}

# rig_wait NAME [SECONDS]: blocks until the host raises NAME (GET :8081/cgi-bin/sig?NAME); 1 on timeout.
rig_wait() {
  _t=${2:-120}
  rig_mark "waiting $1"
  while [ ! -e "/tmp/sig/$1" ]; do
    _t=$((_t - 1)); [ $_t -le 0 ] && { echo "RIG-ERROR timeout waiting for $1"; return 1; }
    sleep 1
  done
  return 0
}

# rig_publish FILE: makes FILE downloadable by the host at :8081/out/NAME.
rig_publish() { cp "$1" /tmp/out/; rig_mark "published $(basename "$1") $(wc -c < "$1")"; }

# rig_feed_start [LOOPS [MJPG_SEGMENT]]: feeds /data/testsrc.h264 (640x480@30) into the loopback camera
# /dev/video10 and waits until the device offers capture. Sets RIG_FEED_PID. With MJPG_SEGMENT the camera is
# MJPG, each access unit muxed into APP4 segments of at most that many bytes (UVC 1.5 layout, see h264feed.c).
rig_feed_start() {
  h264feed /dev/video10 /data/testsrc.h264 640 480 30 "${1:-0}" ${2:+"$2"} 2>>/tmp/h264feed.log &
  RIG_FEED_PID=$!
  _t=75   # 15 s: h264feed may retry S_FMT for up to 10 s
  until v4l2-ctl -d /dev/video10 --all 2>/dev/null | grep -q "Video Capture"; do
    _t=$((_t - 1)); [ $_t -le 0 ] && { echo "RIG-ERROR loopback never offered capture"; return 1; }
    sleep 0.2
  done
  rig_mark "feeder started pid=$RIG_FEED_PID"
}

rig_feed_stop() { kill "$RIG_FEED_PID" 2>/dev/null; wait "$RIG_FEED_PID" 2>/dev/null; rig_mark "feeder stopped"; }

# rig_capture_dqbufs DEVNODE SECONDS: how many capture buffers were dequeued from /dev/DEVNODE during the
# next SECONDS (kernel tracepoint v4l2:v4l2_dqbuf, any process). 0 means nobody is streaming from it.
rig_capture_dqbufs() {
  _minor=$(cat /sys/class/video4linux/$1/dev | cut -d: -f2)
  _tr=/sys/kernel/tracing
  echo 0 > $_tr/tracing_on
  echo > $_tr/trace
  echo 1 > $_tr/events/v4l2/v4l2_dqbuf/enable
  echo 1 > $_tr/tracing_on
  sleep "$2"
  echo 0 > $_tr/tracing_on
  grep "v4l2_dqbuf: minor = $_minor," $_tr/trace | grep -c "VIDEO_CAPTURE"
}

# rig_wait_listen PORT [SECONDS]: waits until something listens on TCP PORT (reads /proc/net/tcp*, so it
# does not connect: a connection would wake an auto-sleeping camera).
rig_wait_listen() {
  _hex=$(printf '%04X' "$1"); _t=$((${2:-60} * 5))
  until cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '{print $2, $4}' | grep -q ":$_hex 0A"; do
    _t=$((_t - 1)); [ $_t -le 0 ] && { echo "RIG-ERROR nothing listens on $1"; return 1; }
    sleep 0.2
  done
  rig_mark "listening $1"
}

# rig_insmod NAME [PARAM=VALUE...]: loads /lib/modules/extra/NAME.ko (modules the boot leaves out, see setup.sh).
rig_insmod() {
  _m=$1; shift
  insmod "/lib/modules/extra/$_m.ko" "$@" || { echo "RIG-ERROR insmod $_m $*"; return 1; }
  rig_mark "loaded $_m $*"
}

# rig_node DRIVER [N]: /dev/videoX of the Nth (0-based, by node number) V4L2 node whose driver is DRIVER, e.g.
# vicodec registers encoder, decoder and stateless decoder in that order.
rig_node() {
  _i=0
  for _n in $(ls /sys/class/video4linux | sed -n 's/^video//p' | sort -n); do
    case "$(readlink -f /sys/class/video4linux/video$_n/device/driver 2>/dev/null)" in */"$1") ;; *) continue ;; esac
    [ "$_i" = "${2:-0}" ] && { echo "/dev/video$_n"; return 0; }
    _i=$((_i + 1))
  done
  return 1
}

# rig_uvc_gadget_start [H264_FILE FPS SEGMENT [paused]]: an emulated USB UVC camera seen by the real uvcvideo.
# Loads dummy_hcd (a USB host and device controller joined in software), the bulk-patched usb_f_uvc the caller
# passed to run.sh (/bin/usb_f_uvc.ko, built by tests/vm/setup-uvc.sh) and uvcvideo; builds a gadget in configfs
# (one MJPG format, one 640x480 frame at 30 fps; the patch enables camera terminal and processing unit controls,
# and with RIG_UVC_XU=1 adds a UVC H.264 extension unit); binds it to dummy_udc.0 (unbinding an earlier one) and
# starts uvcgadget, which answers the class requests (and, with H264_FILE, streams MJPG frames carrying it in APP4
# segments of at most SEGMENT bytes; `paused` until SIGUSR1). Waits for uvcvideo's capture node. Sets RIG_UVC_NODE
# (/dev/videoN, host side), RIG_UVC_GADGET (the gadget's node), RIG_UVC_PID; the device logs to /tmp/uvcgadget.log.
rig_uvc_gadget_start() {
  if [ ! -d /sys/module/usb_f_uvc ]; then
    [ -f /bin/usb_f_uvc.ko ] || { echo "RIG-ERROR /bin/usb_f_uvc.ko missing (tests/vm/setup-uvc.sh)"; return 1; }
    rig_insmod dummy_hcd || return 1
    insmod /bin/usb_f_uvc.ko || { echo "RIG-ERROR insmod usb_f_uvc.ko"; return 1; }
    rig_insmod uvcvideo || return 1
    mount -t configfs none /sys/kernel/config || return 1
  fi
  for _g in /sys/kernel/config/usb_gadget/*; do [ -n "$(cat $_g/UDC 2>/dev/null)" ] && echo "" > $_g/UDC; done
  # Read when the function is made: an H.264 extension unit (id 4) between the processing unit and the output terminal.
  echo "${RIG_UVC_XU:-0}" > /sys/module/usb_f_uvc/parameters/rig_h264_xu
  RIG_UVC_COUNT=$((${RIG_UVC_COUNT:-0} + 1))
  _g=/sys/kernel/config/usb_gadget/rigcam$RIG_UVC_COUNT
  RIG_UVC_CONFIGFS=$_g
  mkdir -p $_g/strings/0x409 $_g/configs/c.1 $_g/functions/uvc.0 || return 1
  echo 0x1d6b > $_g/idVendor; echo 0x0104 > $_g/idProduct; echo 0x0100 > $_g/bcdDevice
  echo Fmp4Streamer-Rig > $_g/strings/0x409/manufacturer
  echo Rig-UVC-Camera > $_g/strings/0x409/product
  echo 000$RIG_UVC_COUNT > $_g/strings/0x409/serialnumber
  _f=$_g/functions/uvc.0
  mkdir -p $_f/control/header/h
  ln -s $_f/control/header/h $_f/control/class/fs/h
  ln -s $_f/control/header/h $_f/control/class/ss/h
  _fr=$_f/streaming/mjpeg/m/480p
  mkdir -p $_fr
  echo 640 > $_fr/wWidth; echo 480 > $_fr/wHeight
  echo 614400 > $_fr/dwMaxVideoFrameBufferSize
  echo 333333 > $_fr/dwDefaultFrameInterval; echo 333333 > $_fr/dwFrameInterval
  echo 147456000 > $_fr/dwMinBitRate; echo 147456000 > $_fr/dwMaxBitRate
  mkdir -p $_f/streaming/header/h
  ln -s $_f/streaming/mjpeg/m $_f/streaming/header/h/m
  for _s in fs hs ss; do ln -s $_f/streaming/header/h $_f/streaming/class/$_s/h; done
  ln -s $_f $_g/configs/c.1/
  : > /tmp/uvcgadget.log
  _rig_uvc_bind "$@" || return 1
  rig_mark "uvc gadget $RIG_UVC_GADGET host $RIG_UVC_NODE pid=$RIG_UVC_PID xu=${RIG_UVC_XU:-0}"
}

# _rig_uvc_bind [UVCGADGET ARGS]: binds RIG_UVC_CONFIGFS to dummy_udc.0, starts uvcgadget on the gadget's node (its
# log appended to /tmp/uvcgadget.log), waits for uvcvideo's capture node.
_rig_uvc_bind() {
  echo dummy_udc.0 > $RIG_UVC_CONFIGFS/UDC || { echo "RIG-ERROR binding the UVC gadget to dummy_udc.0"; return 1; }
  RIG_UVC_GADGET=/dev/$(ls /sys/class/udc/dummy_udc.0/device/gadget*/video4linux/ 2>/dev/null | head -1)
  [ "$RIG_UVC_GADGET" != /dev/ ] || { echo "RIG-ERROR no gadget video node"; return 1; }
  uvcgadget "$RIG_UVC_GADGET" "$@" 2>>/tmp/uvcgadget.log &
  RIG_UVC_PID=$!
  _t=100
  until RIG_UVC_NODE=$(rig_node uvcvideo); do
    _t=$((_t - 1)); [ $_t -le 0 ] && { echo "RIG-ERROR uvcvideo never registered a node"; return 1; }
    sleep 0.2
  done
}

# rig_uvc_unplug: pulls the emulated camera's cable: stops uvcgadget (its close of the gadget's node turns the pull-up
# off: dummy_hcd reports a disconnect and uvcvideo unregisters its nodes), then unbinds the gadget from dummy_udc.0 and
# waits until no uvcvideo node is left. The configfs gadget stays for rig_uvc_replug. Unbinding first, with uvcgadget
# still streaming, disconnects the host the same way, but the 6.1 gadget then tears its video queue down under
# requests failing with ESHUTDOWN and once warned (__vb2_queue_cancel, from uvcgadget's STREAMOFF): a device-side
# artefact that would hide a host-side warning. The unbind also waits, uninterruptibly, for the gadget's node to close.
rig_uvc_unplug() {
  kill "$RIG_UVC_PID" 2>/dev/null; wait "$RIG_UVC_PID" 2>/dev/null
  echo "" > $RIG_UVC_CONFIGFS/UDC || { echo "RIG-ERROR unbinding the UVC gadget"; return 1; }
  _t=50
  while rig_node uvcvideo >/dev/null; do
    _t=$((_t - 1)); [ $_t -le 0 ] && { echo "RIG-ERROR uvcvideo kept its node after the unplug"; return 1; }
    sleep 0.2
  done
  rig_mark "uvc gadget unplugged"
}

# rig_uvc_replug [H264_FILE FPS SEGMENT]: plugs the same camera back (binds the gadget again, a new uvcgadget on its
# new node); sets RIG_UVC_NODE (which may be another number than before), RIG_UVC_GADGET, RIG_UVC_PID.
rig_uvc_replug() {
  _rig_uvc_bind "$@" || return 1
  rig_mark "uvc gadget replugged $RIG_UVC_GADGET host $RIG_UVC_NODE pid=$RIG_UVC_PID"
}

# rig_uvc_gadget_stop: stops uvcgadget; closing the gadget's node takes the device off the bus: waits until uvcvideo
# has removed its node.
rig_uvc_gadget_stop() {
  kill "$RIG_UVC_PID" 2>/dev/null; wait "$RIG_UVC_PID" 2>/dev/null
  _t=50
  while rig_node uvcvideo >/dev/null && [ $_t -gt 0 ]; do _t=$((_t - 1)); sleep 0.2; done
  rig_mark "uvc gadget stopped"
}
