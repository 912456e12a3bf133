# Camera settings changed from the browser on a real driver, in one boot. Run by
# Fmp4Streamer.Tests/EndToEnd/Vm/SettingsVmTests with ./fmp4streamer copied to /bin. The daemon serves vivid
# (/dev/video0, every control type) as a pictures-only YUYV camera: vivid has no H264 and the rig no H264 encoder.
# The config's controls are set when the daemon opens the camera at start. The host's headless Chromium moves a
# slider, flips a switch and picks a menu item in the page's settings panel; the guest reads the values back with v4l2-ctl and publishes the config file before and
# after; then vivid is reset to its defaults and the daemon restarted: it must set the saved values again.
. /rig/lib.sh
S=/bin/fmp4streamer
[ -x $S ] || { echo "RIG-ERROR /bin/fmp4streamer missing"; exit 2; }
C=/tmp/settings.conf
CTRLS=brightness,boolean,menu,contrast

cat > $C <<'CONF'
# The settings VM test's config: the daemon rewrites the changed values in place and keeps
# every comment, blank line and unrelated key as it is.

[server]
listen =
port = 8000
# the host's browser arrives through qemu's user network from 10.0.2.2; no htpasswd, so only
# exempt addresses may change settings
auth_exempt = 10.0.2.2

# vivid: a test driver with every control type
[/dev/video0]
capture_format = YUYV
width = 640
height = 480
fps = 30

# values the panel changes
brightness = 100
boolean = yes
menu = Menu Item 3
# one it leaves alone
contrast = 90
CONF
cp $C /tmp/settings-before.conf
rig_publish /tmp/settings-before.conf

start_daemon() { # start_daemon LOG: sets D
  $S -c $C > "$1" 2>&1 &
  D=$!
  rig_wait_listen 8000 90
}
stop_daemon() {
  kill $D 2>/dev/null; wait $D; rig_value "daemon_exit_$1" $?
}

# --- 1. the daemon at start: the config's values on the device -------------------------------------------------
start_daemon /tmp/daemon.log
rig_run controls-at-start v4l2-ctl -d /dev/video0 -C $CTRLS
rig_mark ready-for-browser

# --- 2. the host's browser changes three controls through the panel ----------------------------------------------
if rig_wait changed 150; then
  rig_run controls-after-panel v4l2-ctl -d /dev/video0 -C $CTRLS
  cp $C /tmp/settings-after.conf
  rig_publish /tmp/settings-after.conf
fi
rig_value alive_after_panel "$(kill -0 $D 2>/dev/null && echo yes || echo no)"
stop_daemon first
rig_dump daemon-log /tmp/daemon.log

# --- 3. back to vivid's defaults, then the daemon again: the saved values are set at start ---------------------
rig_run reset v4l2-ctl -d /dev/video0 -c brightness=128,boolean=1,menu=3,contrast=128
rig_run controls-reset v4l2-ctl -d /dev/video0 -C $CTRLS
start_daemon /tmp/daemon-restart.log
rig_run controls-after-restart v4l2-ctl -d /dev/video0 -C $CTRLS
rig_value alive_after_restart "$(kill -0 $D 2>/dev/null && echo yes || echo no)"
stop_daemon second
rig_dump daemon-restart-log /tmp/daemon-restart.log
rig_mark fetch-files
rig_wait fetched 60
