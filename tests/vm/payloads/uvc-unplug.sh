# A USB camera unplugged and plugged back while the daemon streams it, on the real uvcvideo driver, in one boot.
# Run by Fmp4Streamer.Tests/EndToEnd/Vm/UvcUnplugVmTests with ./fmp4streamer and the bulk-patched usb_f_uvc.ko
# (tests/vm/setup-uvc.sh) copied to /bin. The emulated camera (rig_uvc_gadget_start) streams MJPG frames carrying
# H264 in APP4 segments; the daemon (capture_format = MJPGH264, auto_sleep = no) reads it by its /dev/videoN path.
# Unplug = the gadget unbound from dummy_udc.0 (uvcvideo sees a USB disconnect and removes its nodes), replug = bound
# again. The host reads /stream.mp4 across the first outage, checks the HTTP side while the camera is gone, then the
# camera is unplugged and plugged back at once, within the daemon's first retry delay. Last, a replug while another
# program holds the old node: the camera comes back under another number, which the daemon (a /dev/videoN path, no
# udev here) does not follow, until a later plug-in gets the old number back.
. /rig/lib.sh
S=/bin/fmp4streamer
[ -x $S ] || { echo "RIG-ERROR /bin/fmp4streamer missing"; exit 2; }

uptime_cs() { read -r _up _ < /proc/uptime; echo "${_up%.*}${_up#*.}"; }   # centiseconds since boot
fds() { ls /proc/$D/fd | wc -l; }                                          # the daemon's open fds
video_maps() { grep -c /dev/video /proc/$D/maps; }                          # its mappings of capture buffers
dump_fds() { rig_run "$1" sh -c "ls -l /proc/$D/fd | sed 's/.* [0-9][0-9]* -> //; s/\[[0-9]*\]//' | sort | uniq -c"; }
# wait_log PATTERN COUNT SECONDS: until the daemon's log has COUNT lines matching PATTERN; 1 on timeout.
wait_log() {
  _t=$(($3 * 10))
  until [ "$(grep -c "$1" /tmp/daemon.log)" -ge "$2" ]; do
    _t=$((_t - 1)); [ $_t -le 0 ] && return 1
    sleep 0.1
  done
}
alive() { kill -0 $D 2>/dev/null && echo yes || echo no; }
resumes() { grep -c "streaming again" /tmp/daemon.log; }                  # each ends an outage of the camera
# replug_and_wait N WHICH: plugs the camera back, then reports the node and how long (since $T) until the node was
# there and until the daemon streamed again (its log's R+1th "streaming again").
replug_and_wait() {
  rig_uvc_replug /data/testsrc.h264 30 1000 || finish 1
  rig_value "node_after_replug_$1" "$RIG_UVC_NODE"
  rig_value "node_ms_$1" $(( ($(uptime_cs) - T) * 10 ))
  wait_log "streaming again" $((R + 1)) 30 || echo "RIG-ERROR the daemon did not resume after the $2 replug"
  rig_value "resume_ms_$1" $(( ($(uptime_cs) - T) * 10 ))
}
finish() { # finish RC: the logs the host reads, then exit
  rig_value alive_at_end "$(alive)"
  kill $D 2>/dev/null; wait $D; rig_value daemon_exit $?
  rig_dump daemon-log /tmp/daemon.log
  rig_uvc_gadget_stop
  rig_dump gadget-log /tmp/uvcgadget.log
  rig_run uvc-dmesg sh -c 'dmesg | grep -E "usb|uvc|dummy|WARNING|Call Trace|BUG|Oops" | grep -v "VS request completed with status"'
  exit "$1"
}

if ! rig_uvc_gadget_start /data/testsrc.h264 30 1000; then
  rig_dump gadget-log /tmp/uvcgadget.log
  rig_run uvc-dmesg dmesg
  exit 1
fi
N=$RIG_UVC_NODE
rig_value uvc_node "$N"
# udev makes /dev/v4l/by-id and by-path; the rig runs no udev, so a USB camera has only its /dev/videoN here.
rig_value stable_paths "$(ls /dev/v4l 2>/dev/null | tr '\n' ' ')"

printf '[server]\nlisten =\nport = 8000\n\n[%s]\ncapture_format = MJPGH264\nwidth = 640\nheight = 480\nfps = 30\nauto_sleep = no\n' \
  "$N" > /tmp/unplug.conf
$S -c /tmp/unplug.conf > /tmp/daemon.log 2>&1 &
D=$!
rig_value daemon_pid $D
rig_wait_listen 8000 90 || finish 1
wait_log "stream: 640x480" 1 30 || { echo "RIG-ERROR the daemon never streamed"; finish 1; }
sleep 1
# No client yet: the daemon's own fds (log, epoll, eventfd, listening socket, the device and its exported buffers).
rig_value fds_before "$(fds)"
rig_value video_maps_before "$(video_maps)"
dump_fds fds-before

# --- 1. unplugged while a host client reads /stream.mp4 ---------------------------------------------------------------
rig_mark ready-for-watcher
rig_wait watching 60 || finish 1
rig_uvc_unplug || finish 1
T=$(uptime_cs)
wait_log "reopening with back-off" 1 10 || echo "RIG-ERROR the daemon never noticed the unplug"
rig_value notice_ms_1 $(( ($(uptime_cs) - T) * 10 ))
# Its first reopen (1 s later) finds no node: the second back-off message.
wait_log "ENOENT" 1 10
rig_value alive_unplugged "$(alive)"
rig_value fds_unplugged "$(fds)"
rig_value video_maps_unplugged "$(video_maps)"
dump_fds fds-unplugged
rig_value nodes_unplugged "$(ls /sys/class/video4linux | grep video | tr '\n' ' ')"
rig_mark camera-gone
rig_wait outage-checked 60 || finish 1

# --- 2. plugged back: the daemon must reopen it by itself -----------------------------------------------------------------
R=$(resumes)
T=$(uptime_cs)
replug_and_wait 1 first
rig_mark replugged-1
rig_wait decoded-1 90 || finish 1

# --- 3. unplugged and plugged back at once, inside the daemon's first retry delay (1 s) ----------------------------------
R=$(resumes)
rig_uvc_unplug || finish 1
T=$(uptime_cs)
replug_and_wait 2 second
rig_mark replugged-2
rig_wait done 90 || finish 1

# --- 4. flapping: plugged back and pulled again at once, three times, so that a reopen may meet a vanishing device ------
for X in 0 0.3 0.6; do
  rig_uvc_unplug || finish 1
  rig_uvc_replug /data/testsrc.h264 30 1000 || finish 1
  sleep $X
done
# Plugged in at the end: streaming once the last of the daemon's outage/resume lines is a resume.
T=$(uptime_cs)
_t=300
until grep -E "streaming again|reopening with back-off" /tmp/daemon.log | tail -1 | grep -q "streaming again"; do
  _t=$((_t - 1)); [ $_t -le 0 ] && { echo "RIG-ERROR the daemon did not resume after flapping"; break; }
  sleep 0.1
done
rig_value resume_ms_flapping $(( ($(uptime_cs) - T) * 10 ))
rig_value node_after_flapping "$RIG_UVC_NODE"

# --- 5. every client gone: the same fds and mappings as before the first unplug, and still capturing ---------------------
sleep 1
rig_value fds_after "$(fds)"
rig_value video_maps_after "$(video_maps)"
dump_fds fds-after
rig_value dqbufs_at_end "$(rig_capture_dqbufs "${RIG_UVC_NODE#/dev/}" 1)"

# --- 6. a renumbered node: another program holds the old node open across the replug ---------------------------------
# videodev frees a node's number only when its last opener closes it, so the camera comes back under another number;
# the daemon, configured with the old /dev/videoN (no udev: no by-id link), cannot follow it and keeps retrying.
sleep 120 3<"$N" &
H=$!
sleep 0.5
R=$(resumes)
rig_uvc_unplug || finish 1
rig_uvc_replug /data/testsrc.h264 30 1000 || finish 1
rig_value node_renumbered "$RIG_UVC_NODE"
sleep 4
rig_value alive_renumbered "$(alive)"
rig_value resumes_while_renumbered $(( $(resumes) - R ))
rig_value dqbufs_renumbered "$(rig_capture_dqbufs "${RIG_UVC_NODE#/dev/}" 1)"
# The holder closes: the old number is free again, and the next plug-in gets it back.
kill $H; wait $H 2>/dev/null
rig_uvc_unplug || finish 1
T=$(uptime_cs)
rig_uvc_replug /data/testsrc.h264 30 1000 || finish 1
rig_value node_after_holder "$RIG_UVC_NODE"
wait_log "streaming again" $((R + 1)) 30 || echo "RIG-ERROR the daemon did not resume once the camera had its number back"
rig_value resume_ms_3 $(( ($(uptime_cs) - T) * 10 ))
sleep 1
rig_value fds_final "$(fds)"
rig_value video_maps_final "$(video_maps)"
finish 0
