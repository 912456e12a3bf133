# The daemon on an emulated USB UVC camera, in one boot: the real uvcvideo driver enumerates a usb_f_uvc gadget
# through dummy_hcd (rig_uvc_gadget_start, guest/lib.sh). Run by Fmp4Streamer.Tests/EndToEnd/Vm/UvcGadgetVmTests
# with ./fmp4streamer and the bulk-patched usb_f_uvc.ko (tests/vm/setup-uvc.sh) copied to /bin.
# The camera offers one MJPG format; its frames carry the test stream's access units in APP4 segments of at most
# 1000 bytes (uvcgadget), but only after SIGUSR1: first the daemon streams from a camera that sends nothing.
# Then the same camera again with a UVC H.264 extension unit: the host changes its bitrate through POST /controls while
# the camera is idle, the daemon configures it (muxing H.264 into MJPG, that bitrate) and asks it for IDRs, and the
# host decodes that stream too.
. /rig/lib.sh
S=/bin/fmp4streamer
[ -x $S ] || { echo "RIG-ERROR /bin/fmp4streamer missing"; exit 2; }

conf() { # conf FILE DEVICE [KEY = VALUE lines on stdin]: a config with [server] and one device section
  { printf '[server]\nlisten =\nport = 8000\n\n[%s]\ncapture_format = MJPGH264\nwidth = 640\nheight = 480\nfps = 30\n' "$2"; cat; } > "$1"
}

if ! rig_uvc_gadget_start /data/testsrc.h264 30 1000 paused; then
  rig_dump gadget-log /tmp/uvcgadget.log
  rig_run uvc-dmesg dmesg
  exit 1
fi
N=$RIG_UVC_NODE
V=${N#/dev/}
rig_value uvc_node "$N"
rig_value uvc_driver "$(basename "$(readlink -f /sys/class/video4linux/$V/device/driver)")"

# --- 1. what uvcvideo made of the camera: driver info, formats, controls, the USB descriptors it parsed -------
rig_run uvc-D v4l2-ctl -d $N -D
rig_run uvc-formats v4l2-ctl -d $N --list-formats-ext
rig_run uvc-L v4l2-ctl -d $N --list-ctrls-menus
# The device's descriptors file (device + configuration descriptors), as the daemon's extension unit search reads it.
rig_run uvc-descriptors hexdump -v -e '16/1 "%02x " "\n"' /sys/class/video4linux/$V/device/../descriptors

# --- 2. -l, controls from a config (signed int, menu by name, menu with a hole), an unknown control --------------
conf /tmp/uvc.conf $N </dev/null
rig_run streamer-l-uvc timeout 60 $S -c /tmp/uvc.conf -l
conf /tmp/uvc-controls.conf $N <<'C'
brightness = -23
power_line_frequency = 60 Hz
auto_exposure = Manual Mode
C
rig_run streamer-l-uvc-controls timeout 60 $S -c /tmp/uvc-controls.conf -l
# GET_CUR over USB: uvcgadget answers from the state the daemon's SET_CUR left.
rig_run uvc-controls-after v4l2-ctl -d $N -C brightness,power_line_frequency,auto_exposure
conf /tmp/uvc-bad.conf $N <<'C'
no_such_control = 1
C
rig_run uvc-bad-unknown timeout 30 $S -c /tmp/uvc-bad.conf -l

# --- 3. the daemon: first the camera streams but sends no frame, then frames come -------------------------------
conf /tmp/uvc-daemon.conf $N <<'C'
auto_sleep = no
C
$S -c /tmp/uvc-daemon.conf > /tmp/daemon.log 2>&1 &
D=$!
if rig_wait_listen 8000 90; then
  # Longer than the daemon's 5 s no-frame timeout: it must say so, restart the device and keep running.
  sleep 12
  rig_value alive_without_frames "$(kill -0 $D 2>/dev/null && echo yes || echo no)"
  kill -USR1 $RIG_UVC_PID
  rig_mark frames-resumed
  rig_mark ready-for-clients
  rig_wait done 120
fi
rig_value alive_at_end "$(kill -0 $D 2>/dev/null && echo yes || echo no)"
kill $D 2>/dev/null; wait $D; rig_value daemon_exit $?
rig_dump daemon-log /tmp/daemon.log
rig_uvc_gadget_stop
rig_dump gadget-log /tmp/uvcgadget.log

# --- 4. the camera with a UVC H.264 extension unit --------------------------------------------------------------
if RIG_UVC_XU=1 rig_uvc_gadget_start /data/testsrc.h264 30 1000; then
  N=$RIG_UVC_NODE
  V=${N#/dev/}
  rig_value uvc_xu_node "$N"
  rig_run uvc-xu-descriptors hexdump -v -e '16/1 "%02x " "\n"' /sys/class/video4linux/$V/device/../descriptors
  # auto_sleep: the camera is idle until the host's client, so a setting POSTed before it reaches the H.264 unit at
  # once (COMMIT, read back through the probe). The host (10.0.2.2 here) is exempt, so it may change settings.
  printf '[server]\nlisten =\nport = 8000\nauth_exempt = 10.0.2.2\n\n[%s]\ncapture_format = MJPGH264\nwidth = 640\nheight = 480\nfps = 30\n' "$N" > /tmp/uvc-xu.conf
  cat >> /tmp/uvc-xu.conf <<'C'
auto_sleep = yes
uvcx_h264_bitrate = 2000000
C
  rig_run streamer-l-uvc-xu timeout 60 $S -c /tmp/uvc-xu.conf -l
  $S -c /tmp/uvc-xu.conf > /tmp/daemon-xu.log 2>&1 &
  D=$!
  if rig_wait_listen 8000 90; then
    rig_mark ready-for-xu-client
    rig_wait xu-done 120
  fi
  rig_dump uvc-xu-conf-after /tmp/uvc-xu.conf
  rig_value xu_alive_at_end "$(kill -0 $D 2>/dev/null && echo yes || echo no)"
  kill $D 2>/dev/null; wait $D; rig_value xu_daemon_exit $?
  rig_dump daemon-xu-log /tmp/daemon-xu.log
  rig_uvc_gadget_stop
fi
rig_dump gadget-xu-log /tmp/uvcgadget.log
# The USB side of the kernel log (and any kernel warning): the patched function must not trip one.
rig_run uvc-dmesg sh -c 'dmesg | grep -E "usb|uvc|dummy|WARNING|Call Trace|BUG|Oops" | grep -v "VS request completed with status"'
