# capture_format = MJPGH264 on real kernel drivers, in one boot. Run by
# Fmp4Streamer.Tests/EndToEnd/Vm/MjpgH264VmTests with ./fmp4streamer copied to /bin. The loopback camera offers
# only MJPG: h264feed muxes each access unit of the test stream into APP4 segments of at most 1000 bytes, so key
# frames span several segments and the small P frames fit in one. v4l2loopback has no UVC extension unit: the
# daemon warns and takes the H264 out of the frames as they come. The host decodes /stream.mp4 meanwhile.
. /rig/lib.sh
S=/bin/fmp4streamer
[ -x $S ] || { echo "RIG-ERROR /bin/fmp4streamer missing"; exit 2; }

rig_feed_start 0 1000 || exit 1
# The capture side lists its format only once the first frame is written (it may offer capture just before).
_t=25; until v4l2-ctl -d /dev/video10 --list-formats 2>/dev/null | grep -q '\[0\]' || [ $_t -le 0 ]; do _t=$((_t - 1)); sleep 0.2; done
rig_run loop-formats v4l2-ctl -d /dev/video10 --list-formats
printf '[server]\nlisten =\nport = 8000\n\n[/dev/video10]\ncapture_format = MJPGH264\nwidth = 640\nheight = 480\nfps = 30\n' \
  > /tmp/mjpgh264.conf
$S -c /tmp/mjpgh264.conf > /tmp/daemon.log 2>&1 &
D=$!
if rig_wait_listen 8000 90; then
  rig_mark ready-for-clients
  rig_wait done 120
fi
rig_value alive_at_end "$(kill -0 $D 2>/dev/null && echo yes || echo no)"
kill $D 2>/dev/null; wait $D; rig_value daemon_exit $?
rig_dump daemon-log /tmp/daemon.log
rig_feed_stop
rig_dump feeder-log /tmp/h264feed.log
