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
