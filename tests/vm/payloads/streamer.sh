# The daemon on real kernel drivers, in one boot. Run by Fmp4Streamer.Tests/EndToEnd/Vm/StreamerVmTests
# with ./fmp4streamer copied to /bin. The host drives the HTTP side through the port forward (guest :8000)
# and answers the rig_wait signals below.
. /rig/lib.sh
S=/bin/fmp4streamer
[ -x $S ] || { echo "RIG-ERROR /bin/fmp4streamer missing"; exit 2; }
rig_value machine "$(uname -m)"

conf() { # conf FILE DEVICE [KEY = VALUE lines on stdin]: a config with [server] and one device section
  { printf '[server]\nlisten =\nport = 8000\n\n[%s]\nwidth = 640\nheight = 480\nfps = 30\n' "$2"; cat; } > "$1"
}

# --- 1. -l on vivid, next to v4l2-ctl's view of the same controls (nothing changed yet) ----------------
conf /tmp/vivid.conf /dev/video0 </dev/null
rig_run vivid-L v4l2-ctl -d /dev/video0 --list-ctrls-menus
rig_run streamer-l timeout 60 $S -c /tmp/vivid.conf -l

# --- 2. bad controls stop start-up (and -l) with a message naming the control ------------------------
conf /tmp/bad-menu.conf /dev/video0 <<'C'
menu = Menu Item 2
C
rig_run bad-menu timeout 30 $S -c /tmp/bad-menu.conf -l
conf /tmp/bad-intmenu.conf /dev/video0 <<'C'
integer_menu = 4
C
rig_run bad-intmenu timeout 30 $S -c /tmp/bad-intmenu.conf -l
conf /tmp/bad-bool.conf /dev/video0 <<'C'
boolean = maybe
C
rig_run bad-bool timeout 30 $S -c /tmp/bad-bool.conf -l
conf /tmp/bad-int.conf /dev/video0 <<'C'
brightness = bright
C
rig_run bad-int timeout 30 $S -c /tmp/bad-int.conf -l

# --- 3. controls from a config (int, bool as a word, menu by name, integer menu by value), read back ----
conf /tmp/vivid-controls.conf /dev/video0 <<'C'
brightness = 200
boolean = no
mute = yes
menu = Menu Item 4
integer_menu = 13
horizontal_movement = Move Right
C
rig_run streamer-l-controls timeout 60 $S -c /tmp/vivid-controls.conf -l
rig_run controls-after v4l2-ctl -d /dev/video0 -C brightness,boolean,mute,menu,integer_menu,horizontal_movement

# --- 4. H264 from the loopback camera, auto-sleep, feeder restart ----------------------------------------
rig_feed_start 0
conf /tmp/bad-unknown.conf /dev/video10 <<'C'
capture_format = H264
no_such_control = 1
C
rig_run bad-unknown timeout 30 $S -c /tmp/bad-unknown.conf

conf /tmp/loop.conf /dev/video10 <<'C'
capture_format = H264
auto_sleep = yes
C
rig_run loop-L v4l2-ctl -d /dev/video10 --list-ctrls-menus
rig_run streamer-l-loop timeout 60 $S -c /tmp/loop.conf -l

$S -c /tmp/loop.conf > /tmp/daemon.log 2>&1 &
D=$!
if rig_wait_listen 8000 90; then
  sleep 2
  rig_value sleep_before_dqbufs "$(rig_capture_dqbufs video10 2)"
  rig_mark ready-for-clients
  rig_wait client-connected 120 && rig_value active_dqbufs "$(rig_capture_dqbufs video10 2)"
  rig_mark measured-active
  if rig_wait clients-gone 180; then
    i=0; n=-1
    while [ $i -lt 15 ]; do
      i=$((i + 1)); n=$(rig_capture_dqbufs video10 1); [ "$n" = 0 ] && break
    done
    rig_value sleep_after_dqbufs "$n"
    rig_value sleep_after_seconds "$i"
  fi
  rig_mark measured-sleep
  if rig_wait restart-feeder 120; then
    # Longer than the daemon's no-frame timeout (5 s): it restarts the device, and while nobody writes the
    # loopback (exclusive_caps=1) offers no capture at all, so reopening fails until the feeder is back.
    rig_feed_stop
    sleep 8
    rig_feed_start 0
  fi
  rig_value alive_after_restart "$(kill -0 $D 2>/dev/null && echo yes || echo no)"
  rig_mark feeder-restarted
  rig_wait done 180
fi
rig_value alive_at_end "$(kill -0 $D 2>/dev/null && echo yes || echo no)"
kill $D 2>/dev/null; wait $D; rig_value daemon_exit $?
rig_dump daemon-log /tmp/daemon.log

# --- 5. auto_sleep = no, device named by a /dev/v4l/by-id style symlink: streams with no client at all ---
mkdir -p /dev/v4l/by-id && ln -sf ../../video10 /dev/v4l/by-id/rig-loopback-video-index0
conf /tmp/nosleep.conf /dev/v4l/by-id/rig-loopback-video-index0 <<'C'
capture_format = H264
auto_sleep = no
C
$S -c /tmp/nosleep.conf > /tmp/daemon-nosleep.log 2>&1 &
D=$!
if rig_wait_listen 8000 60; then
  sleep 2
  rig_value nosleep_dqbufs "$(rig_capture_dqbufs video10 2)"
fi
kill $D 2>/dev/null; wait $D
rig_dump daemon-nosleep-log /tmp/daemon-nosleep.log
rig_feed_stop
rig_dump feeder-log /tmp/h264feed.log
