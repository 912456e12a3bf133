# Proves the rig with v4l-utils only (no daemon): vivid's controls, H264 capture from the loopback camera,
# setting controls of every settable scalar type. Run by Fmp4Streamer.Tests/EndToEnd/Vm/VmRigTests.
. /rig/lib.sh

# (a) vivid: device list and its controls (the daemon's `-l` is compared with these later)
rig_run list-devices v4l2-ctl --list-devices
rig_run vivid-l v4l2-ctl -d /dev/video0 -l
rig_run vivid-L v4l2-ctl -d /dev/video0 --list-ctrls-menus

# (b) loopback camera fed with H264, captured with MMAP streaming: 90 access units, so that at least 60 follow
# the first key frame (the capture joins the feed mid-GOP; keyint is 30)
rig_feed_start 0
rig_run loopback-all v4l2-ctl -d /dev/video10 --all
rig_value idle_dqbufs "$(rig_capture_dqbufs video10 1)"
v4l2-ctl -d /dev/video10 --stream-mmap --stream-count=90 --stream-to=/tmp/out.h264 2>/tmp/capture.log &
cap=$!
rig_value capture_dqbufs "$(rig_capture_dqbufs video10 1)"
wait $cap; rig_value capture_rc $?
rig_value after_dqbufs "$(rig_capture_dqbufs video10 1)"
rig_feed_stop
rig_publish /tmp/out.h264

# (c) controls: int, bool, menu (by index), integer menu (by index), read back
rig_run set-controls v4l2-ctl -d /dev/video0 -c brightness=200,boolean=0,menu=4,integer_menu=6
rig_run get-controls v4l2-ctl -d /dev/video0 -C brightness,boolean,menu,integer_menu
rig_run set-out-of-range v4l2-ctl -d /dev/video0 -c brightness=999
rig_run get-clamped v4l2-ctl -d /dev/video0 -C brightness

rig_wait fetched 120
