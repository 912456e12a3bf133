# CPU per frame of one M2M hop (camera -> M2M stage), copied (MMAP -> MMAP, one memcpy) or shared (the camera's
# exported dmabuf imported by the stage). Run by tests/bench/m2m.sh. The stage is vim2m (RGB24 -> YUYV): it converts
# in a kernel worker, so the checker's CPU time is the hop's own cost to the daemon's process. (vicodec encodes
# inside the QBUF ioctl, in the caller's time, which would bury the hop under the codec.)
. /rig/lib.sh
C=/bin/m2mcheck
SIZE=${M2M_BENCH_SIZE:-640x480}  # vim2m's largest
FRAMES=${M2M_BENCH_FRAMES:-150}
rig_insmod v4l2-mem2mem || exit 1
rig_insmod vim2m || exit 1
M=$(rig_node vim2m 0)
rig_run vim2m-ctrls v4l2-ctl -d "$M" -l
for round in 1 2 3; do
  for link in copy import; do
    rig_run "bench-$link-$round" $C --camera /dev/video0 --encoder "$M" --format RGB3 --encoded-format YUYV --size "$SIZE" \
      --links "$link" --frames "$FRAMES" --timeout 120
  done
done
