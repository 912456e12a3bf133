# The daemon's M2M stages on real kernel codecs, in one boot. Run by Fmp4Streamer.Tests/EndToEnd/Vm/M2MVmTests with
# /bin/m2mcheck (tests/vm/M2MCheck: the daemon's BufferQueue, M2MStage and event loop, wired as in a camera chain).
# vivid's camera (YUYV, colour squares moving left fast, so consecutive frames differ) feeds vicodec's stateful
# encoder (YUYV -> FWHT), whose output feeds vicodec's stateful decoder (FWHT -> YUYV): the same API as a Raspberry
# Pi's bcm2835-codec, only the codec differs. Every link combination, first single-planar, then multi-planar
# (vicodec multiplanar=1). One matched captured/decoded frame pair per planarity goes to the host for ffmpeg.
. /rig/lib.sh
C=/bin/m2mcheck
[ -x $C ] || { echo "RIG-ERROR /bin/m2mcheck missing"; exit 2; }
FRAMES=${M2M_FRAMES:-45}
rig_insmod v4l2-mem2mem || exit 1
v4l2-ctl -d /dev/video0 -c test_pattern=4 -c horizontal_movement=0 || echo "RIG-ERROR vivid controls"

run_all() { # $1: planarity label
  E=$(rig_node vicodec 0); D=$(rig_node vicodec 1)
  rig_value "$1_encoder" "$E"; rig_value "$1_decoder" "$D"
  rig_run "$1-encoder-info" v4l2-ctl -d "$E" -D
  for links in copy,copy copy,import import,copy import,import; do
    dump=""; [ "$links" = import,import ] && dump="--dump /tmp/out/$1"
    rig_run "$1-$links" $C --camera /dev/video0 --encoder "$E" --decoder "$D" --size 640x480 --format YUYV \
      --links "$links" --frames "$FRAMES" --timeout 60 $dump
  done
  # A stop and a fresh start of the same chain on the same nodes (the daemon's auto-sleep does this all day).
  rig_run "$1-restart" $C --camera /dev/video0 --encoder "$E" --decoder "$D" --links import,import --frames 15 --timeout 60
}

rig_insmod vicodec || exit 1
run_all single

# -l and start-up of the daemon with vicodec as a YUYV camera's encoder (it makes FWHT, not H264).
S=/bin/fmp4streamer
chain_conf() { # $1: file, then lines for the encoder's own section
  _f=$1; shift
  { printf '[server]\nport = 8000\n\n[/dev/video0]\ncapture_format = YUYV\nencoder = %s\nwidth = 640\nheight = 480\n\n[%s]\n' "$E" "$E"
    for _l in "$@"; do echo "$_l"; done; } > "$_f"
}
chain_conf /tmp/m2m.conf
chain_conf /tmp/m2m-set.conf "fwht_p_frame_qp_value = 25" "video_gop_size = 12"
chain_conf /tmp/m2m-bad.conf "fwht_p_frame_qp_valu = 25"
rig_run encoder-L v4l2-ctl -d "$E" --list-ctrls-menus
rig_run streamer-l-m2m timeout 60 $S -c /tmp/m2m.conf -l
rig_run streamer-l-m2m-set timeout 60 $S -c /tmp/m2m-set.conf -l
rig_run streamer-l-m2m-bad timeout 60 $S -c /tmp/m2m-bad.conf -l
rig_run streamer-fwht-encoder timeout 60 $S -c /tmp/m2m.conf
rmmod vicodec || echo "RIG-ERROR rmmod vicodec"
rig_insmod vicodec multiplanar=1 || exit 1
run_all multi
ls -l /tmp/out
rig_mark dumps-ready
rig_wait fetched 60
exit 0
