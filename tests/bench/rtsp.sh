#!/usr/bin/env bash
# RTSP beside HTTP: the 1080p ~8 Mbit/s stream to 100 progressive HTTP clients alone, then with 100 RTSP sessions
# over TCP (interleaved) and 100 over UDP at the same time, each kind read by one epoll load client
# (tests/bench/loadclient.c, tests/bench/rtspclient.c). Prints daemon CPU, peak RSS and what the clients missed.
# usage: tests/bench/rtsp.sh [SECONDS, default 20] [CLIENTS per kind, default 100]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}; n=${2:-100}
. tests/bench/common.sh
gcc -O2 -o "$work/rtspclient" tests/bench/rtspclient.c
port=18767; rtsp_port=18768

printf '| clients | daemon CPU (%% of one core: user + kernel) | peak RSS | HTTP frames missed | RTSP packets lost (TCP / UDP) | RTSP frames per session |\n'
printf '|---|---:|---:|---:|---:|---:|\n'
for mode in http all; do
  bench_config "$work/rtsp.conf" $port
  sed -i "s/^max_clients = 1000$/max_clients = 1000\nrtsp_port = $rtsp_port/" "$work/rtsp.conf"
  ./fmp4streamer -c "$work/rtsp.conf" 2> "$work/rtsp-$mode.log" &
  pid=$!
  wait_listening $port
  sleep 2
  read -r u0 s0 < <(awk '{print $14, $15}' /proc/$pid/stat)
  "$work/loadclient" 127.0.0.1 $port /stream.mp4 "$n" "$seconds" > "$work/http.json" &
  h=$!
  if [ $mode = all ]; then
    "$work/rtspclient" 127.0.0.1 $rtsp_port /bench "$n" "$seconds" tcp > "$work/tcp.json" &
    t=$!
    "$work/rtspclient" 127.0.0.1 $rtsp_port /bench "$n" "$seconds" udp > "$work/udp.json" &
    u=$!
    wait $t $u
  fi
  wait $h
  read -r u1 s1 < <(awk '{print $14, $15}' /proc/$pid/stat)
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid || true
  cpu=$(awk -v u=$((u1 - u0)) -v k=$((s1 - s0)) -v c=$clk -v s="$seconds" \
    'BEGIN { printf "%.1f %% (%.1f + %.1f)", 100 * (u + k) / c / s, 100 * u / c / s, 100 * k / c / s }')
  gaps=$(sed -E 's/.*"gaps":([0-9]+).*/\1/' "$work/http.json")
  if [ $mode = all ]; then
    lost="$(sed -E 's/.*"lost":([0-9]+).*/\1/' "$work/tcp.json") / $(sed -E 's/.*"lost":([0-9]+).*/\1/' "$work/udp.json")"
    frames="$(sed -E 's/.*"min_frames":([0-9]+).*/\1/' "$work/tcp.json")–$(sed -E 's/.*"max_frames":([0-9]+).*/\1/' "$work/udp.json")"
    label="$n HTTP + $n RTSP/TCP + $n RTSP/UDP"
  else
    lost="–"; frames="–"; label="$n HTTP"
  fi
  printf '| %s | %s | %.1f MB | %s | %s | %s |\n' "$label" "$cpu" "$(awk -v k=$hwm 'BEGIN{print k/1024}')" "$gaps" "$lost" "$frames"
done
