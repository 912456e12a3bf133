#!/usr/bin/env bash
# HLS benchmark: the 1080p ~8 Mbit/s stream of run.sh served to 100 progressive clients alone, then to 100
# progressive clients beside 100 HLS players polling the playlist and fetching segments (hlsclient.py).
# Prints daemon CPU and peak RSS for both, and what the HLS players got.
# usage: tests/bench/hls.sh [SECONDS, default 20] [PROGRESSIVE, default 100] [HLS, default 100]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}; progressive=${2:-100}; players=${3:-100}
work=.work/bench; mkdir -p "$work"
src="$work/bench1080.h264"
if [ ! -s "$src" ]; then
  echo "making the 1080p test stream (once)..." >&2
  ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc2=size=1920x1080:rate=30 -t 20 \
    -c:v libx264 -preset veryfast -tune zerolatency -g 30 -b:v 8M -maxrate 8M -bufsize 4M -pix_fmt yuv420p \
    -x264-params aud=1 -f h264 "$src"
fi
gcc -O2 -o "$work/loadclient" tests/bench/loadclient.c
[ -x ./fmp4streamer ] || ./build.sh >/dev/null
port=18766
clk=$(getconf CLK_TCK)
cat > "$work/hls-bench.conf" <<CONF
[server]
listen = 127.0.0.1
port = $port
max_clients = 1000

[bench]
command = ffmpeg -hide_banner -loglevel error -nostdin -re -stream_loop -1 -f h264 -framerate 30 -i $PWD/$src -c copy -f h264 -
width = 1920
height = 1080
fps = 30
auto_sleep = no
CONF
printf '| load | daemon CPU (%% of one core) | peak RSS | HLS playlists / segments / 404 / errors |\n|---|---:|---:|---|\n'
for mode in progressive both; do
  ./fmp4streamer -c "$work/hls-bench.conf" 2> "$work/hls-daemon-$mode.log" &
  pid=$!
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done
  hls='-'
  if [ $mode = both ]; then
    # Warm the segmenter first so both runs measure a steady state.
    curl -s -o /dev/null --max-time 15 http://127.0.0.1:$port/streaminf.m3u8; sleep 8
  else
    sleep 2
  fi
  read -r u0 s0 < <(awk '{print $14, $15}' /proc/$pid/stat)
  if [ $mode = both ]; then
    python3 tests/bench/hlsclient.py 127.0.0.1 $port "$players" "$seconds" > "$work/hls-players.json" &
    hp=$!
  fi
  "$work/loadclient" 127.0.0.1 $port /stream.mp4 "$progressive" "$seconds" > "$work/hls-progressive-$mode.json"
  if [ $mode = both ]; then wait $hp; hls=$(python3 -c "import json;d=json.load(open('$work/hls-players.json'));print(f\"{d['playlists']} / {d['segments']} / {d['not_found']} / {d['errors']}\")"); fi
  read -r u1 s1 < <(awk '{print $14, $15}' /proc/$pid/stat)
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid || true
  cpu=$(awk -v a=$((u1 + s1 - u0 - s0)) -v c=$clk -v s="$seconds" 'BEGIN { printf "%.1f", 100 * a / c / s }')
  label=$([ $mode = both ] && echo "$progressive progressive + $players HLS" || echo "$progressive progressive")
  printf '| %s | %s %% | %.1f MB | %s |\n' "$label" "$cpu" "$(awk -v k=$hwm 'BEGIN{print k/1024}')" "$hls"
done
