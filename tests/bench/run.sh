#!/usr/bin/env bash
# Fan-out benchmark: a 1920x1080 30 fps ~8 Mbit/s H264 stream (made once with ffmpeg, replayed through a
# `command =` source) served to 1, 10, 100 and 500 loopback clients read by one epoll load client.
# Prints a Markdown table: daemon CPU per streamed second, fan-out delay (frame arrival -> last byte accepted
# by the kernel for the last client) median and p99, peak RSS, frames the clients missed.
# usage: tests/bench/run.sh [SECONDS per step, default 20] [client counts...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}; shift || true
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(1 10 100 500)
. tests/bench/common.sh
ls -l fmp4streamer | awk '{printf "binary size: %.2f MB\n", $5/1048576}'

port=18765
printf '| clients | daemon CPU (%% of one core: user + kernel) | fan-out delay median | p99 | peak RSS | frames missed | frames per client |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|\n'
for n in "${counts[@]}"; do
  bench_config "$work/bench.conf" $port
  ./fmp4streamer -c "$work/bench.conf" 2> "$work/daemon-$n.log" &
  pid=$!
  wait_listening $port
  sleep 2
  read -r u0 s0 < <(awk '{print $14, $15}' /proc/$pid/stat)
  result=$("$work/loadclient" 127.0.0.1 $port /stream.mp4 "$n" "$seconds")
  read -r u1 s1 < <(awk '{print $14, $15}' /proc/$pid/stat)
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid || true
  cpu=$(awk -v u=$((u1 - u0)) -v k=$((s1 - s0)) -v c=$clk -v s="$seconds" \
    'BEGIN { printf "%.1f %% (%.1f + %.1f)", 100 * (u + k) / c / s, 100 * u / c / s, 100 * k / c / s }')
  delay=$(grep -o 'fan-out delay: median [0-9]* us, p99 [0-9]* us' "$work/daemon-$n.log" | tail -1)
  med=$(sed -E 's/.*median ([0-9]+) us.*/\1/' <<<"$delay"); p99=$(sed -E 's/.*p99 ([0-9]+) us.*/\1/' <<<"$delay")
  gaps=$(sed -E 's/.*"gaps":([0-9]+).*/\1/' <<<"$result")
  minf=$(sed -E 's/.*"min_frames":([0-9]+).*/\1/' <<<"$result"); maxf=$(sed -E 's/.*"max_frames":([0-9]+).*/\1/' <<<"$result")
  printf '| %d | %s | %s µs | %s µs | %.1f MB | %s | %s–%s |\n' "$n" "$cpu" "${med:-?}" "${p99:-?}" "$(awk -v k=$hwm 'BEGIN{print k/1024}')" "$gaps" "$minf" "$maxf"
done
t0=$(date +%s%N)
./fmp4streamer --test-pattern --listen 127.0.0.1 --port $port 2>/dev/null & p=$!
until (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.002; done
t1=$(date +%s%N); kill -TERM $p; wait $p || true
echo "start to listening: $(( (t1 - t0) / 1000000 )) ms (includes the shell's polling)"
