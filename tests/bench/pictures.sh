#!/usr/bin/env bash
# Pictures benchmark: snapshot latency (camera awake and asleep) and the picture thread's cost per MJPEG frame at 720p
# and 1080p, from x264 streams (testsrc2, 30 fps, key frame every second, no B-frames as cameras send) replayed through a `command =` source.
# Prints a Markdown table. usage: tests/bench/pictures.sh [SECONDS of MJPEG per size, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
. tests/bench/common.sh
port=18766

printf '| size | snapshot awake (median of 5) | snapshot asleep | MJPEG 15 fps: daemon CPU | CPU per MJPEG frame | encode alone |\n'
printf '|---|---:|---:|---:|---:|---:|\n'
for size in 1280x720 1920x1080; do
  w=${size%x*}; h=${size#*x}
  stream="$work/pictures-nob-$h.h264"
  [ -s "$stream" ] || ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc2=size=${size}:rate=30 -t 10 \
    -c:v libx264 -preset veryfast -bf 0 -g 30 -b:v 4M -pix_fmt yuv420p -f h264 "$stream"
  cat > "$work/pictures.conf" <<CONF
[server]
listen = 127.0.0.1
port = $port
sleep_grace = 1
rtsp_port = 0

[cam]
command = ffmpeg -hide_banner -loglevel error -nostdin -re -stream_loop -1 -f h264 -framerate 30 -i $PWD/$stream -c copy -f h264 -
width = $w
height = $h
fps = 30
CONF
  ./fmp4streamer -c "$work/pictures.conf" 2> "$work/pictures-$h.log" &
  pid=$!
  wait_listening $port
  url=http://127.0.0.1:$port
  # Asleep: the first request wakes the command.
  asleep=$(curl -s -o /dev/null -w '%{time_total}' "$url/?action=snapshot")
  # Awake: a viewer keeps the camera running; requests 0.5 s apart do not share pictures.
  curl -s -o /dev/null "$url/stream.mp4" & viewer=$!
  sleep 2
  awake=$(for i in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total}\n' "$url/snapshot.jpg"; sleep 0.5; done | sort -n | sed -n 3p)
  metric() { curl -s "$url/metrics" | awk -v k="$1" 'index($0, k) == 1 {print $2}'; }
  e0=$(metric 'fmp4streamer_picture_encodes_total'); t0=$(metric 'fmp4streamer_picture_encode_seconds_sum')
  read -r u0 s0 < <(awk '{print $14, $15}' /proc/$pid/stat)
  timeout "$seconds" curl -s -o /dev/null "$url/stream.mjpg" || true
  read -r u1 s1 < <(awk '{print $14, $15}' /proc/$pid/stat)
  e1=$(metric 'fmp4streamer_picture_encodes_total'); t1=$(metric 'fmp4streamer_picture_encode_seconds_sum')
  kill $viewer 2>/dev/null || true
  kill -TERM $pid; wait $pid || true
  awk -v size="$size" -v awake="$awake" -v asleep="$asleep" -v u=$((u1 - u0)) -v k=$((s1 - s0)) -v c=$clk -v s="$seconds" \
      -v e="$(echo "$e1 - $e0" | bc)" -v t="$(echo "$t1 - $t0" | bc)" 'BEGIN {
    cpu = (u + k) / c;
    printf "| %s | %.0f ms | %.0f ms | %.0f %% of a core | %.1f ms (%d frames) | %.1f ms |\n",
      size, awake * 1000, asleep * 1000, 100 * cpu / s, (e > 0 ? 1000 * cpu / e : 0), e, (e > 0 ? 1000 * t / e : 0) }'
done
