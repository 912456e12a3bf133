#!/usr/bin/env bash
# HLS benchmark: the 1080p ~8 Mbit/s stream of run.sh served to 100 progressive clients alone, then to 100
# progressive clients beside 100 HLS players polling the playlist and fetching segments (hlsclient.py).
# Prints daemon CPU and peak RSS for both, and what the HLS players got.
# usage: tests/bench/hls.sh [SECONDS, default 20] [PROGRESSIVE, default 100] [HLS, default 100]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}; progressive=${2:-100}; players=${3:-100}
. tests/bench/common.sh
port=18766
bench_config "$work/hls-bench.conf" $port
printf '| load | daemon CPU (%% of one core) | peak RSS | HLS playlists / segments / 404 / errors |\n|---|---:|---:|---|\n'
for mode in progressive both; do
  ./fmp4streamer -c "$work/hls-bench.conf" 2> "$work/hls-daemon-$mode.log" &
  pid=$!
  wait_listening $port
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
