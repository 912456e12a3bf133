# Pictures-only cameras on real kernel drivers, in one boot. Run by Fmp4Streamer.Tests/EndToEnd/Vm/PicturesVmTests
# with ./fmp4streamer copied to /bin and /data/nodht.mjpg: JPEG frames made on the host by ffmpeg with their Huffman
# tables (DHT) taken out, as UVC cameras send them.
# - vivid /dev/video0 captures YUYV 640x480 with a still picture (no moving overlay text): v4l2-ctl captures one frame
#   first, published as vivid.yuyv; the daemon serves the same camera without an encoder (snapshots through the JPEG
#   encoder at quality 90).
# - the loopback camera /dev/video10 is MJPG, fed the DHT-less JPEGs by `h264feed ... jpeg`; the daemon passes them
#   through with the standard tables inserted.
# Nothing captures from either camera before a client asks, nor after the last one left (auto-sleep).
# - then vivid again as NV12 under a second daemon: one frame captured by v4l2-ctl (vivid.nv12) and the snapshot.
. /rig/lib.sh
S=/bin/fmp4streamer
[ -x $S ] || { echo "RIG-ERROR /bin/fmp4streamer missing"; exit 2; }
[ -s /data/nodht.mjpg ] || { echo "RIG-ERROR /data/nodht.mjpg missing"; exit 2; }

# vivid's default moving parts are off already (no movement); its text overlay (time, counters) is the rest.
rig_run vivid-still v4l2-ctl -d /dev/video0 -c osd_text_mode=2 -c test_pattern=0
rig_run vivid-capture v4l2-ctl -d /dev/video0 --set-fmt-video=width=640,height=480,pixelformat=YUYV \
  --stream-mmap --stream-count=4 --stream-to=/tmp/vivid4.yuyv
# The last of four frames: past anything the first buffers of a fresh stream may hold.
tail -c 614400 /tmp/vivid4.yuyv > /tmp/vivid.yuyv
rig_publish /tmp/vivid.yuyv

h264feed /dev/video10 /data/nodht.mjpg 640 480 30 0 jpeg 2>>/tmp/h264feed.log &
F=$!
_t=75
until v4l2-ctl -d /dev/video10 --list-formats 2>/dev/null | grep -q '\[0\]' || [ $_t -le 0 ]; do _t=$((_t - 1)); sleep 0.2; done
rig_run loop-formats v4l2-ctl -d /dev/video10 --list-formats

printf '[server]\nlisten =\nport = 8000\nsleep_grace = 1\n\n' > /tmp/pictures.conf
printf '[/dev/video0]\nname = vivid\ncapture_format = YUYV\nwidth = 640\nheight = 480\nfps = 30\nsnapshot_quality = 90\nosd_text_mode = None\n\n' >> /tmp/pictures.conf
printf '[/dev/video10]\nname = loop\ncapture_format = MJPG\nwidth = 640\nheight = 480\nfps = 30\nmjpeg_fps = 30\n' >> /tmp/pictures.conf
rig_dump config /tmp/pictures.conf
$S -c /tmp/pictures.conf > /tmp/daemon.log 2>&1 &
D=$!
if rig_wait_listen 8000 90; then
  rig_value dqbufs_before_clients "$(( $(rig_capture_dqbufs video0 1) + $(rig_capture_dqbufs video10 1) ))"
  rig_mark ready-for-clients
  if rig_wait done 120; then
    # sleep_grace is 1 s: both cameras are closed again by now.
    sleep 2
    rig_value dqbufs_after_clients "$(( $(rig_capture_dqbufs video0 1) + $(rig_capture_dqbufs video10 1) ))"
  fi
fi
rig_value alive_at_end "$(kill -0 $D 2>/dev/null && echo yes || echo no)"
kill $D 2>/dev/null; wait $D; rig_value daemon_exit $?
rig_dump daemon-log /tmp/daemon.log
kill $F 2>/dev/null; wait $F 2>/dev/null
rig_dump feeder-log /tmp/h264feed.log

# Second phase: the same vivid camera as NV12 (what many CSI and M2M pipelines deliver), again without an encoder.
rig_run vivid-capture-nv12 v4l2-ctl -d /dev/video0 --set-fmt-video=width=640,height=480,pixelformat=NV12 \
  --stream-mmap --stream-count=4 --stream-to=/tmp/vivid4.nv12
tail -c 460800 /tmp/vivid4.nv12 > /tmp/vivid.nv12
rig_publish /tmp/vivid.nv12
printf '[server]\nlisten =\nport = 8000\nsleep_grace = 1\n\n' > /tmp/nv12.conf
printf '[/dev/video0]\nname = vivid\ncapture_format = NV12\nwidth = 640\nheight = 480\nfps = 30\nsnapshot_quality = 90\nosd_text_mode = None\n' >> /tmp/nv12.conf
$S -c /tmp/nv12.conf > /tmp/daemon-nv12.log 2>&1 &
D=$!
if rig_wait_listen 8000 90; then
  rig_mark ready-for-nv12
  rig_wait done-nv12 120
fi
kill $D 2>/dev/null; wait $D; rig_value daemon_nv12_exit $?
rig_dump daemon-nv12-log /tmp/daemon-nv12.log
